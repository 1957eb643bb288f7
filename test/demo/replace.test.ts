/**
 * The demo's contract with the warehouse: one seed always gives the same rows, a re-run replaces
 * the earlier demo instead of adding to it, and a warehouse with real data is never touched.
 * Short periods keep these fast; the full demo is checked in demo.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateDemo, generateOrganisation } from '../../ingest/demo/generate.ts';
import { importRoster } from '../../ingest/roster/import.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { InputError } from '../../warehouse/errors.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { fingerprint, tempDir, tempWarehouse, testPseudonymizer } from '../helpers/warehouse.ts';
import { createStoryViews } from './story-metrics.ts';

const options = { seed: 42, lastWeek: '2026-11-09', weeks: 2, reporter: silentReporter };

/** Row counts and content of every raw table, leaving out the run id that differs per import. */
async function rawContent(db: Warehouse): Promise<Record<string, string>> {
  const tables = await db.parse(
    z.object({ name: z.string(), has_run_id: z.boolean() }),
    `SELECT t.schema_name || '.' || t.table_name AS name,
            EXISTS (SELECT 1 FROM duckdb_columns() AS c WHERE c.schema_name = t.schema_name
                      AND c.table_name = t.table_name AND c.column_name = 'run_id') AS has_run_id
     FROM duckdb_tables() AS t WHERE t.schema_name = 'raw' AND NOT t.temporary ORDER BY ALL`,
  );
  const content: Record<string, string> = {};
  for (const { name, has_run_id } of tables) {
    const [row] = await db.parse(
      z.object({ content: z.string() }),
      `SELECT count(*) || ' rows ' || coalesce(md5(string_agg(t::VARCHAR, '\n' ORDER BY t::VARCHAR)), '') AS content
       FROM (SELECT * ${has_run_id ? 'EXCLUDE (run_id)' : ''} FROM ${name}) AS t`,
    );
    content[name] = row?.content ?? '';
  }
  return content;
}

describe('determinism', () => {
  it('gives identical raw rows for the same seed and last week, and different rows for another seed', async () => {
    const first = await tempWarehouse();
    const second = await tempWarehouse();
    const other = await tempWarehouse();
    await generateDemo(first, testPseudonymizer, options);
    await generateDemo(second, testPseudonymizer, options);
    await generateDemo(other, testPseudonymizer, { ...options, seed: 7 });
    const expected = await fingerprint(first, ['raw']);
    expect(expected['raw.slack_messages']?.rows).toBeGreaterThan(1000);
    expect(await fingerprint(second, ['raw'])).toEqual(expected);
    const different = await fingerprint(other, ['raw']);
    for (const table of ['raw.roster_people', 'raw.calendar_events', 'raw.slack_messages'])
      expect(different[table]?.checksum, table).not.toBe(expected[table]?.checksum);
  });

  it('scales the same generator for the benchmark, deterministically too', async () => {
    const first = await tempWarehouse();
    const second = await tempWarehouse();
    const scaled = {
      seed: 1,
      lastWeek: '2026-11-09',
      weeks: 2,
      people: 60,
      meetingsPerPersonWeek: 20,
      messagesPerPersonWeek: 250,
      weeksPerBatch: 1,
      reporter: silentReporter,
    };
    const summary = await generateOrganisation(first, testPseudonymizer, scaled);
    await generateOrganisation(second, testPseudonymizer, scaled);
    expect(await fingerprint(second, ['raw'])).toEqual(await fingerprint(first, ['raw']));
    expect(summary.people).toBeGreaterThanOrEqual(60);
    expect(summary.people).toBeLessThan(80);
    // Both per-person targets land within a fifth of what was asked.
    const perPersonWeek = (value: number): number => value / summary.people / scaled.weeks;
    expect(perPersonWeek(summary.countedMessages)).toBeGreaterThan(200);
    expect(perPersonWeek(summary.countedMessages)).toBeLessThan(300);
    await createStoryViews(first, '2026-11-02', scaled.weeks);
    const [meetings] = await first.parse(
      z.object({ n: z.number() }),
      `SELECT count(*)::INTEGER AS n FROM story_meetings`,
    );
    expect(perPersonWeek(meetings?.n ?? 0)).toBeGreaterThan(16);
    expect(perPersonWeek(meetings?.n ?? 0)).toBeLessThan(24);
    // Batches of one week: each batch covers its week, and the writer merges the adjacent weekly
    // windows, so each person's calendar is one coverage row.
    const [coverage] = await first.parse(
      z.object({ windows: z.number(), owners: z.number() }),
      `SELECT count(*)::INTEGER AS windows, count(DISTINCT owner_id)::INTEGER AS owners FROM raw.calendar_coverage`,
    );
    expect(coverage?.windows).toBe(coverage?.owners);
  });
});

describe('re-running and refusing', () => {
  it('replaces an earlier demo: the raw tables hold the same rows after a second run', async () => {
    const db = await tempWarehouse();
    await generateDemo(db, testPseudonymizer, options);
    const once = await rawContent(db);
    await generateDemo(db, testPseudonymizer, options);
    expect(await rawContent(db)).toEqual(once);
    const runs = await db.parse(
      z.object({ source: z.string() }),
      `SELECT source FROM meta.import_runs ORDER BY run_id`,
    );
    expect(runs.map((run) => run.source)).toEqual(['demo', 'demo']);
  });

  it('replaces a longer earlier demo with a shorter one without leftovers', async () => {
    const db = await tempWarehouse();
    await generateDemo(db, testPseudonymizer, { ...options, weeks: 3, seed: 3 });
    await generateDemo(db, testPseudonymizer, options);
    const fresh = await tempWarehouse();
    await generateDemo(fresh, testPseudonymizer, options);
    expect(await rawContent(db)).toEqual(await rawContent(fresh));
  });

  it('refuses a warehouse holding imported data, says to use --db, and changes nothing', async () => {
    const db = await tempWarehouse();
    const file = join(tempDir(), 'roster.csv');
    writeFileSync(
      file,
      'email,name,team\nada@example.org,Ada,Research/Lab\nbo@example.org,Bo,Research/Lab\n',
    );
    await importRoster({
      db,
      pseudonymizer: testPseudonymizer,
      file,
      asOf: '2026-07-27',
      reporter: silentReporter,
    });
    const before = await fingerprint(db);
    const attempt = generateDemo(db, testPseudonymizer, options);
    await expect(attempt).rejects.toThrow(InputError);
    await expect(attempt).rejects.toThrow(/already holds imported data \(roster\).*--db/);
    expect(await fingerprint(db)).toEqual(before);
  });

  it('refuses a last week that is not a Monday before touching the warehouse', async () => {
    const db = await tempWarehouse();
    const before = await fingerprint(db);
    await expect(
      generateDemo(db, testPseudonymizer, { ...options, lastWeek: '2026-11-10' }),
    ).rejects.toThrow(/expected a Monday/);
    expect(await fingerprint(db)).toEqual(before);
  });
});
