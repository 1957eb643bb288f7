/**
 * Roster import through the real CLI and the real model build: all-or-nothing validation, dated
 * snapshots, and team history following the snapshot in force each week.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importRoster } from '../../ingest/roster/import.ts';
import { buildModels } from '../../warehouse/build.ts';
import { defaultConfig } from '../../warehouse/config.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { SlackBatchWriter } from '../../warehouse/raw/slack.ts';
import { recordingReporter } from '../../warehouse/reporter.ts';
import { beginRun, recordRun } from '../../warehouse/runs.ts';
import { runCli } from '../helpers/cli.ts';
import {
  fingerprint,
  tempDir,
  tempWarehouse,
  TEST_SALT,
  testPseudonymizer as keys,
} from '../helpers/warehouse.ts';
import { instant } from '../metrics/scenario.ts';

const HEADER = 'email,name,team,manager_email,timezone,work_days,work_start,work_end,slack_user_id';

function rosterFile(dir: string, name: string, rows: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, [HEADER, ...rows].join('\n') + '\n');
  return file;
}

describe('syncbalance import roster', () => {
  it('imports a snapshot, and a failing roster leaves the warehouse exactly as it was (exit 2, every line named)', async () => {
    const dir = tempDir();
    const db = join(dir, 'w.duckdb');
    const env = { SYNCBALANCE_SALT: TEST_SALT };
    const good = rosterFile(dir, 'good.csv', [
      'ada@example.com,Ada,Eng,,Europe/Berlin,,,,',
      'bob@example.com,Bob,Eng/Core,ada@example.com,,,,,',
    ]);
    const ok = await runCli(['--db', db, 'import', 'roster', good, '--as-of', '2026-01-05'], {
      env,
    });
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toBe('Imported roster snapshot 2026-01-05: 2 people in 2 teams\n');

    const before = await Warehouse.open(db).then(async (warehouse) => {
      const snapshot = await fingerprint(warehouse);
      warehouse.close();
      return snapshot;
    });
    const bad = rosterFile(dir, 'bad.csv', [
      'ada@example.com,Ada,Eng,,Europe/Berlin,,,,',
      'carol@example.com,Carol,Eng,,Nowhere/City,,,,',
      'ADA@example.com,Ada again,Eng,,,,,,',
    ]);
    const failed = await runCli(['--db', db, 'import', 'roster', bad, '--as-of', '2026-01-05'], {
      env,
    });
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toBe(
      [
        `error: ${bad}: 2 problems; nothing was imported`,
        `  ${bad}:3 timezone: unknown time zone 'Nowhere/City' (expected an IANA name such as Europe/Berlin)`,
        `  ${bad}:4 email: duplicate email ada@example.com (first on line 2)`,
        '',
      ].join('\n'),
    );
    const warehouse = await Warehouse.open(db);
    expect(await fingerprint(warehouse)).toEqual(before);
    warehouse.close();
  });

  it('leaves a new warehouse exactly as it was when its very first import fails', async () => {
    const dir = tempDir();
    const db = join(dir, 'fresh.duckdb');
    const fresh = await Warehouse.open(db);
    const before = await fingerprint(fresh);
    fresh.close();
    const bad = rosterFile(dir, 'bad.csv', ['carol@example.com,Carol,Eng,,Nowhere/City,,,,']);
    const failed = await runCli(['--db', db, 'import', 'roster', bad], {
      env: { SYNCBALANCE_SALT: TEST_SALT },
    });
    expect(failed.code).toBe(2);
    const after = await Warehouse.open(db);
    // Not even the salt's fingerprint: it is recorded in the transaction of the first import.
    expect(await fingerprint(after)).toEqual(before);
    after.close();
  });

  it('replaces a snapshot re-imported with the same date, keeping other dates', async () => {
    const dir = tempDir();
    const db = await tempWarehouse();
    const reporter = recordingReporter();
    const first = rosterFile(dir, 'a.csv', [
      'ada@example.com,Ada,Eng,,,,,,',
      'bob@example.com,Bob,Eng,,,,,,',
    ]);
    const second = rosterFile(dir, 'b.csv', ['ada@example.com,Ada,Ops,,,,,,']);
    await importRoster({ db, pseudonymizer: keys, file: first, asOf: '2026-01-05', reporter });
    await importRoster({ db, pseudonymizer: keys, file: first, asOf: '2026-02-02', reporter });
    await importRoster({ db, pseudonymizer: keys, file: second, asOf: '2026-02-02', reporter });
    const rows = await db.all(
      `SELECT as_of::VARCHAR AS as_of, email, team_path FROM raw.roster_people ORDER BY ALL`,
    );
    expect(rows).toEqual([
      { as_of: '2026-01-05', email: 'ada@example.com', team_path: 'Eng' },
      { as_of: '2026-01-05', email: 'bob@example.com', team_path: 'Eng' },
      { as_of: '2026-02-02', email: 'ada@example.com', team_path: 'Ops' },
    ]);
    expect(
      await db.all(
        'SELECT as_of::VARCHAR AS as_of, people FROM raw.roster_snapshots ORDER BY as_of',
      ),
    ).toEqual([
      { as_of: '2026-01-05', people: 2 },
      { as_of: '2026-02-02', people: 1 },
    ]);
  });

  it('keeps a person’s history with their old team after they move (the snapshot in force each week)', async () => {
    const dir = tempDir();
    const db = await tempWarehouse();
    const reporter = recordingReporter();
    await importRoster({
      db,
      pseudonymizer: keys,
      file: rosterFile(dir, 'jan.csv', ['ada@example.com,Ada,Eng/Apps,,Europe/Berlin,,,,U0ADA']),
      asOf: '2026-02-02',
      reporter,
    });
    await importRoster({
      db,
      pseudonymizer: keys,
      file: rosterFile(dir, 'mar.csv', [
        'ada@example.com,Ada,Eng/Platform,,Europe/Berlin,,,,U0ADA',
      ]),
      asOf: '2026-03-02',
      reporter,
    });
    // One message a week from 2026-01-19 (before any snapshot) to 2026-03-09.
    await db.transaction(async () => {
      const run = await beginRun(db, 'demo');
      const slack = await SlackBatchWriter.begin(db, run);
      slack.coverWindow({
        start: instant('2026-01-01 00:00', 'UTC'),
        end: instant('2026-04-01 00:00', 'UTC'),
      });
      slack.addUser({
        userKey: keys.slackUser('U0ADA'),
        emailPersonId: null,
        timezone: null,
        isBot: false,
        isDeleted: false,
      });
      slack.addConversation({
        conversationKey: keys.slackConversation('C1'),
        type: 'public_channel',
      });
      for (const day of ['2026-01-20', '2026-02-03', '2026-02-24', '2026-03-03', '2026-03-10']) {
        slack.addMessage({
          conversationKey: keys.slackConversation('C1'),
          ts: instant(`${day} 10:00`, 'Europe/Berlin'),
          userKey: keys.slackUser('U0ADA'),
          threadTs: null,
          parentUserKey: null,
          subtype: null,
          botId: null,
          replyCount: null,
          editedTs: null,
        });
      }
      await slack.finish();
      await recordRun(db, run, {});
    });
    await buildModels(db, defaultConfig());
    const weeks = await db.parse(
      z.object({ week_start: z.string(), team_path: z.string(), messages_sent: z.number() }),
      `SELECT week_start::VARCHAR AS week_start, team_path, messages_sent FROM marts.person_weeks WHERE messages_sent > 0 ORDER BY week_start`,
    );
    expect(weeks).toEqual([
      // Before the first snapshot: the earliest one applies.
      { week_start: '2026-01-19', team_path: 'Eng/Apps', messages_sent: 1 },
      { week_start: '2026-02-02', team_path: 'Eng/Apps', messages_sent: 1 },
      { week_start: '2026-02-23', team_path: 'Eng/Apps', messages_sent: 1 },
      // From the Monday of the second snapshot on: the new team.
      { week_start: '2026-03-02', team_path: 'Eng/Platform', messages_sent: 1 },
      { week_start: '2026-03-09', team_path: 'Eng/Platform', messages_sent: 1 },
    ]);
    // The Slack account matched through the roster's slack_user_id (it carries no email).
    expect(await db.all(`SELECT matched_by FROM intermediate.int_slack_identities`)).toEqual([
      { matched_by: 'slack_user_id' },
    ]);
  });
});
