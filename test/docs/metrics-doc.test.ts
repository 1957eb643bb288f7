/**
 * docs/metrics.md is the product's definitions: every metric the API, dashboard and CSV expose must
 * be defined there (the dashboard's popovers quote it), and every model column must be documented.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DISTRIBUTION_METRICS,
  METRICS,
  parseMetricDefinitions,
} from '../../server/contract/index.ts';
import { TEAM_WEEK_CSV_COLUMNS } from '../../warehouse/export/team-weeks-csv.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'metrics.md'), 'utf8');
const definitions = parseMetricDefinitions(doc);

describe('docs/metrics.md', () => {
  it('defines every metric the dashboard and API name, in a sentence or more', () => {
    const keys = new Set([
      ...Object.values(METRICS).map((metric) => metric.definitionKey),
      ...DISTRIBUTION_METRICS,
    ]);
    for (const key of keys) {
      expect(definitions[key], key).toMatch(/\w.{30,}\./);
    }
  });

  it('documents every CSV column in the export section', () => {
    const section = doc.slice(doc.indexOf('## The CSV export'), doc.indexOf('## Choices made'));
    for (const [column] of TEAM_WEEK_CSV_COLUMNS)
      expect(section, column).toContain(`\`${column}\``);
  });

  it('names the config thresholds the SQL reads', () => {
    for (const setting of [
      'minGroupSize',
      'focusBlockMinutes',
      'minutesPerMessage',
      'meetingMaxHours',
      'latencyCapDays',
      'holidayZScore',
    ]) {
      expect(doc).toContain(setting);
    }
  });
});
