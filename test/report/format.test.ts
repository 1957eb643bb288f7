/**
 * The report formats numbers and changes itself (server/ may not import web/), so it is checked
 * against the dashboard's own functions over a grid of values: the two must never drift apart.
 */
import { describe, expect, it } from 'vitest';
import { METRICS, TEAM_WEEK_METRICS, type MetricUnit } from '../../server/contract/metrics.ts';
import {
  describeChange,
  formatShortDay,
  formatTarget,
  formatValue,
} from '../../server/report/format.ts';
import { describeChange as dashboardChange } from '../../web/src/lib/change.ts';
import { formatValue as dashboardValue } from '../../web/src/lib/format.ts';

const UNITS: MetricUnit[] = ['hours', 'minutes', 'percent', 'share', 'count'];
const VALUES = [
  0, -0.01, 0.0004, 0.032, 0.075, 0.274, 1, 4.25, 7.46, 9.95, 12, 42.4, 99.96, 1250, -2, -4.26,
];

describe('report numbers read exactly like the dashboard’s', () => {
  it('formats every value in every unit the same way', () => {
    for (const unit of UNITS) {
      for (const value of [...VALUES, null]) {
        expect(formatValue(value, unit), `${String(value)} ${unit}`).toBe(
          dashboardValue(value, unit),
        );
      }
    }
  });

  it('describes every change of every metric with the same text and tone', () => {
    for (const metric of TEAM_WEEK_METRICS) {
      for (const change of [...VALUES, null]) {
        const dashboard = dashboardChange(change, METRICS[metric]);
        const report = describeChange(change, METRICS[metric]);
        expect(report, `${metric} ${String(change)}`).toEqual(
          dashboard === null ? null : { text: dashboard.text, tone: dashboard.tone },
        );
      }
    }
  });

  it('writes targets and week labels short enough for a phone', () => {
    expect(formatTarget('max', 30, 'percent')).toBe('≤ 30%');
    expect(formatTarget('min', 12, 'hours')).toBe('≥ 12 h');
    expect(formatTarget('max', 0.1, 'share')).toBe('≤ 10%');
    expect(formatShortDay('2026-11-09')).toBe('9 Nov');
    // The label is computed in UTC from the date alone: the machine's zone (Lord Howe) cannot shift it.
    expect(formatShortDay('2026-04-06')).toBe('6 Apr');
  });
});
