/**
 * A commit torn by a kill can leave rows whose import run was never recorded (a Slack import's
 * messages without their conversations or run) or attendees without their events. Opening the
 * warehouse for writing removes them, says so, and the build refuses to commit while any raw row
 * breaks the raw invariants of warehouse/models/sources.yml.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importIcs } from '../../ingest/ics/import.ts';
import { importRoster } from '../../ingest/roster/import.ts';
import { importSlackExport } from '../../ingest/slack-export/import.ts';
import { buildModels } from '../../warehouse/build.ts';
import { defaultConfig } from '../../warehouse/config.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { runCli } from '../helpers/cli.ts';
import { fingerprint, tempDir, TEST_SALT, testPseudonymizer } from '../helpers/warehouse.ts';
import { ICS_FIXTURES } from '../ics/support.ts';
import { ACME, ROSTER } from '../slack-export/export-files.ts';

async function importedWarehouse(file: string): Promise<Warehouse> {
  const db = await Warehouse.open(file);
  const calendars = tempDir();
  copyFileSync(join(ICS_FIXTURES, 'berlin-team.ics'), join(calendars, 'ada@example.com.ics'));
  await importRoster({
    db,
    pseudonymizer: testPseudonymizer,
    file: ROSTER,
    asOf: '2026-01-05',
    reporter: silentReporter,
  });
  await importIcs({
    db,
    pseudonymizer: testPseudonymizer,
    paths: [calendars],
    owner: null,
    from: '2026-03-02',
    to: '2026-04-30',
    reporter: silentReporter,
  });
  await importSlackExport({
    db,
    pseudonymizer: testPseudonymizer,
    path: ACME,
    reporter: silentReporter,
  });
  return db;
}

/** What a torn Slack import and a torn calendar import leave: rows of run 9001, never recorded. */
async function tear(db: Warehouse): Promise<void> {
  await db.run(
    `INSERT INTO raw.slack_messages
     SELECT 'sc_torn', TIMESTAMPTZ '2026-01-05 10:00:00+00' + to_microseconds(i), 'su_torn', NULL, NULL, NULL, NULL, NULL, NULL, 'slack_export', 9001
     FROM range(1000) AS r(i)`,
  );
  await db.run(
    `INSERT INTO raw.calendar_events VALUES ('p_torn', 'ce_torn', '', TIMESTAMPTZ '2026-03-03 10:00:00+00', TIMESTAMPTZ '2026-03-03 11:00:00+00', NULL, NULL, false, 'confirmed', 'opaque', 'default', false, NULL, 'ics', 9002)`,
  );
  await db.run(
    `INSERT INTO raw.calendar_attendees SELECT 'p_gone', 'ce_gone', '', 'p_' || i, 'person', 'accepted' FROM range(50) AS r(i)`,
  );
  await db.run(
    `INSERT INTO raw.slack_coverage VALUES (TIMESTAMPTZ '1970-01-01 00:00:00+00', TIMESTAMPTZ '2100-01-01 00:00:00+00', 'slack_export', 9001)`,
  );
}

describe('torn-write recovery', () => {
  it('removes rows of unrecorded runs and attendees without events on open, and says what it removed', async () => {
    const file = join(tempDir(), 'w.duckdb');
    const db = await importedWarehouse(file);
    const clean = await fingerprint(db);
    await tear(db);
    db.close();

    const reopened = await Warehouse.open(file);
    try {
      expect([...reopened.removedOnOpen].sort((a, b) => a.table.localeCompare(b.table))).toEqual([
        { table: 'raw.calendar_attendees', rows: 50, reason: 'missing parent' },
        { table: 'raw.calendar_events', rows: 1, reason: 'unrecorded run' },
        { table: 'raw.slack_coverage', rows: 1, reason: 'unrecorded run' },
        { table: 'raw.slack_messages', rows: 1000, reason: 'unrecorded run' },
      ]);
      expect(await fingerprint(reopened)).toEqual(clean);
      await buildModels(reopened, defaultConfig());
    } finally {
      reopened.close();
    }
    const again = await Warehouse.open(file);
    expect(again.removedOnOpen).toEqual([]);
    again.close();
  });

  it('refuses to build while a raw row belongs to no recorded run or points at a missing row', async () => {
    const db = await importedWarehouse(join(tempDir(), 'w.duckdb'));
    try {
      await tear(db);
      // A row of a recorded run whose conversation is missing is not a tear: kept, but reported.
      await db.run(
        `INSERT INTO raw.slack_messages SELECT 'sc_missing', TIMESTAMPTZ '2026-01-05 10:00:00+00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'slack_export', max(run_id) FROM meta.import_runs`,
      );
      const failure = buildModels(db, defaultConfig()).catch((error: unknown) => error);
      const error = (await failure) as { details: string[] };
      expect(error.details).toEqual(
        expect.arrayContaining([
          'raw.slack_messages: every row belongs to a recorded run (meta.import_runs) (1000 rows)',
          'raw.calendar_events: every row belongs to a recorded run (meta.import_runs) (1 rows)',
          'raw.calendar_attendees: (owner_id, event_key, recurrence_key) references raw.calendar_events (50 rows)',
          'raw.slack_messages: (conversation_key) references raw.slack_conversations (1001 rows)',
        ]),
      );
      expect(
        await db.one(
          `SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_schema = 'marts'`,
        ),
      ).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('refuses an incremental build whose new raw rows belong to no run or point at a missing row', async () => {
    const db = await importedWarehouse(join(tempDir(), 'w.duckdb'));
    try {
      await buildModels(db, defaultConfig());
      // A day of new rows after the build: an incremental build checks the raw rows of the days
      // that changed, and only those (the others passed the last build's checks).
      await db.run(
        `INSERT INTO raw.slack_messages SELECT 'sc_missing', TIMESTAMPTZ '2026-03-04 10:00:00+00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'slack_export', max(run_id) FROM meta.import_runs`,
      );
      await db.run(
        `INSERT INTO raw.calendar_events VALUES ('p_torn', 'ce_torn', '', TIMESTAMPTZ '2026-03-05 10:00:00+00', TIMESTAMPTZ '2026-03-05 11:00:00+00', NULL, NULL, false, 'confirmed', 'opaque', 'default', false, NULL, 'ics', 9002)`,
      );
      await db.run(
        `INSERT INTO raw.slack_coverage VALUES (TIMESTAMPTZ '2026-03-06 00:00:00+00', TIMESTAMPTZ '2026-03-07 00:00:00+00', 'slack_export', 9001)`,
      );
      const error = (await buildModels(db, defaultConfig()).catch(
        (failure: unknown) => failure,
      )) as { details?: string[] };
      expect(error.details).toEqual([
        'raw.calendar_events: every row belongs to a recorded run (meta.import_runs) (1 rows)',
        'raw.slack_coverage: every row belongs to a recorded run (meta.import_runs) (1 rows)',
        'raw.slack_messages: (conversation_key) references raw.slack_conversations (1 rows)',
      ]);
      await db.run(`DELETE FROM raw.calendar_events WHERE event_key = 'ce_torn'`);
      await db.run(`DELETE FROM raw.slack_coverage WHERE run_id = 9001`);
      await db.run(`DELETE FROM raw.slack_messages WHERE conversation_key = 'sc_missing'`);
      expect((await buildModels(db, defaultConfig())).mode).toEqual({
        kind: 'incremental',
        weeks: [],
      });
    } finally {
      db.close();
    }
  });

  it('refuses the next build, incremental or selected, when attendees lose their event after a build', async () => {
    const db = await importedWarehouse(join(tempDir(), 'w.duckdb'));
    try {
      await buildModels(db, defaultConfig());
      // Recorded attendees whose event is deleted without them (a bug, not a tear): the build
      // that counts them in its fingerprints and the one that joins them both report them.
      const [copy] = await db.parse(
        z.object({
          owner_id: z.string(),
          event_key: z.string(),
          recurrence_key: z.string(),
          attendees: z.number(),
        }),
        `SELECT owner_id, event_key, recurrence_key, count(*)::INTEGER AS attendees
         FROM raw.calendar_attendees GROUP BY ALL
         ORDER BY attendees DESC, owner_id, event_key, recurrence_key LIMIT 1`,
      );
      if (copy === undefined) throw new Error('the fixture has no attendees');
      await db.run(
        `DELETE FROM raw.calendar_events WHERE owner_id = $1 AND event_key = $2 AND recurrence_key = $3`,
        [copy.owner_id, copy.event_key, copy.recurrence_key],
      );
      const orphans = `raw.calendar_attendees: (owner_id, event_key, recurrence_key) references raw.calendar_events (${copy.attendees} rows)`;
      for (const options of [{}, { select: ['int_meetings'] }]) {
        const error = (await buildModels(db, defaultConfig(), options).catch(
          (failure: unknown) => failure,
        )) as { details?: string[] };
        expect(error.details).toEqual([orphans]);
      }
    } finally {
      db.close();
    }
  });

  it('tells the person running the next command what was removed', async () => {
    const dir = tempDir();
    const file = join(dir, 'w.duckdb');
    const db = await importedWarehouse(file);
    await tear(db);
    db.close();
    const result = await runCli(['--db', file, 'build'], { env: { SYNCBALANCE_SALT: TEST_SALT } });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Removed rows an interrupted import left behind: ');
    expect(result.stderr).toContain(
      '1,000 from raw.slack_messages (their import run was never recorded)',
    );
    expect(result.stderr).toContain(
      '50 from raw.calendar_attendees (the rows they belong to are gone)',
    );
  });
});
