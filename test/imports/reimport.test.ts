/**
 * Re-imports are idempotent: importing the same calendars and the same Slack export again (a daily
 * cron) leaves every table as large as it was; only the import log grows, by one run per import.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importIcs } from '../../ingest/ics/import.ts';
import { importRoster } from '../../ingest/roster/import.ts';
import { importSlackExport } from '../../ingest/slack-export/import.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { CalendarBatchWriter } from '../../warehouse/raw/calendar.ts';
import { SlackBatchWriter } from '../../warehouse/raw/slack.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { beginRun, recordRun } from '../../warehouse/runs.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { tempDir, tempWarehouse, testPseudonymizer } from '../helpers/warehouse.ts';
import { ICS_FIXTURES } from '../ics/support.ts';
import { ACME, ACME_LATER, ROSTER } from '../slack-export/export-files.ts';

async function tableCounts(db: Warehouse): Promise<Record<string, number>> {
  const tables = await db.parse(
    z.object({ name: z.string() }),
    `SELECT schema_name || '.' || table_name AS name FROM duckdb_tables()
     WHERE NOT temporary ORDER BY ALL`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await db.parse(
      z.object({ n: z.number() }),
      `SELECT count(*)::INTEGER AS n FROM ${name}`,
    );
    counts[name] = row?.n ?? 0;
  }
  return counts;
}

describe('re-importing the same files', () => {
  it('leaves every table but the import log unchanged across three imports of the same .ics files and Slack export', async () => {
    const db = await tempWarehouse();
    const calendars = tempDir();
    copyFileSync(join(ICS_FIXTURES, 'berlin-team.ics'), join(calendars, 'ada@example.com.ics'));
    copyFileSync(join(ICS_FIXTURES, 'zones.ics'), join(calendars, 'grace@example.com.ics'));
    copyFileSync(join(ICS_FIXTURES, 'canary.ics'), join(calendars, 'ken@example.com.ics'));
    await importRoster({
      db,
      pseudonymizer: testPseudonymizer,
      file: join(REPO_ROOT, 'test', 'fixtures', 'roster', 'valid.csv'),
      asOf: '2026-01-01',
      reporter: silentReporter,
    });
    await importRoster({
      db,
      pseudonymizer: testPseudonymizer,
      file: ROSTER,
      asOf: '2026-01-05',
      reporter: silentReporter,
    });
    const importBoth = async (): Promise<void> => {
      await importIcs({
        db,
        pseudonymizer: testPseudonymizer,
        paths: [calendars],
        owner: null,
        from: '2026-03-02',
        to: '2026-04-30',
        reporter: silentReporter,
      });
      for (const path of [ACME, ACME_LATER]) {
        await importSlackExport({
          db,
          pseudonymizer: testPseudonymizer,
          path,
          reporter: silentReporter,
        });
      }
    };

    const after: Record<string, number>[] = [];
    for (let round = 0; round < 3; round++) {
      await importBoth();
      after.push(await tableCounts(db));
    }
    const [first, second, third] = after.map(({ 'meta.import_runs': runs, ...rest }) => ({
      runs,
      rest,
    }));
    expect(first?.rest['raw.calendar_coverage']).toBe(3);
    expect(first?.rest['raw.slack_coverage']).toBe(1);
    expect(second?.rest).toEqual(first?.rest);
    expect(third?.rest).toEqual(first?.rest);
    // Two roster imports, then three imports per round.
    expect([first?.runs, second?.runs, third?.runs]).toEqual([5, 8, 11]);
  });
});

describe('coverage windows', () => {
  const day = (date: string): bigint => BigInt(Date.parse(`${date}T00:00:00Z`)) * 1000n;
  const coverage = (db: Warehouse, table: string) =>
    db.parse(
      z.object({ window_start: z.string(), window_end: z.string() }),
      `SELECT strftime(window_start, '%Y-%m-%d') AS window_start, strftime(window_end, '%Y-%m-%d') AS window_end
       FROM ${table} ORDER BY window_start`,
    );

  it('merges overlapping and touching windows per owner and per Slack source, keeps gaps', async () => {
    const db = await tempWarehouse();
    const ada = testPseudonymizer.person('ada@example.com');
    const bob = testPseudonymizer.person('bob@example.com');
    const windows: [string, string][][] = [
      [
        ['2026-03-01', '2026-03-03'],
        ['2026-03-03', '2026-03-05'],
        ['2026-03-07', '2026-03-09'],
      ],
      [['2026-03-02', '2026-03-04']],
    ];
    for (const batch of windows) {
      await db.transaction(async () => {
        const run = await beginRun(db, 'demo');
        const calendar = await CalendarBatchWriter.begin(db, run);
        const slack = await SlackBatchWriter.begin(db, run);
        for (const [start, end] of batch) {
          calendar.coverWindow({ ownerId: ada, start: day(start), end: day(end), timezone: null });
          slack.coverWindow({ start: day(start), end: day(end) });
        }
        calendar.coverWindow({
          ownerId: bob,
          start: day('2026-03-04'),
          end: day('2026-03-06'),
          timezone: null,
        });
        await calendar.finish();
        await slack.finish();
        await recordRun(db, run, {});
      });
    }
    const expected = [
      { window_start: '2026-03-01', window_end: '2026-03-05' },
      { window_start: '2026-03-07', window_end: '2026-03-09' },
    ];
    expect(await coverage(db, 'raw.slack_coverage')).toEqual(expected);
    expect(
      await db.parse(
        z.object({ owner_id: z.string(), windows: z.number() }),
        `SELECT owner_id, count(*)::INTEGER AS windows FROM raw.calendar_coverage GROUP BY ALL ORDER BY windows`,
      ),
    ).toEqual([
      { owner_id: bob, windows: 1 },
      { owner_id: ada, windows: 2 },
    ]);
  });
});
