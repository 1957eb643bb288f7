/**
 * The Slack export importer against real DuckDB files and the hand-written fixtures in
 * test/fixtures/slack-export (its README tells the story of each message).
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importRoster } from '../../ingest/roster/import.ts';
import { importSlackExport, type SlackExportSummary } from '../../ingest/slack-export/import.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { recordingReporter, type Progress, type Reporter } from '../../warehouse/reporter.ts';
import { tempDir, tempWarehouse, testPseudonymizer as keys } from '../helpers/warehouse.ts';
import { ACME, ACME_LATER, ROSTER, zippedFixture } from './export-files.ts';

const GENERAL = keys.slackConversation('C01GEN');
const QUIET = keys.slackConversation('C01QUIET');
const LEADS = keys.slackConversation('G01LEADS');
const DM = keys.slackConversation('D01ANABEN');
const MPIM = keys.slackConversation('G01MPIM');

const ANA = keys.slackUser('U01ANA');
const BEN = keys.slackUser('U01BEN');
const CHO = keys.slackUser('U01CHO');
const DEL = keys.slackUser('U01DEL');
const BOT = keys.slackUser('U01BOT');
const EVE = keys.slackUser('U01EVE');
const GHOST = keys.slackUser('U09GST');
const SLACKBOT = keys.slackUser('USLACKBOT');

const THREAD = '1767603600.000200';

/** Slack `ts` → the microseconds DuckDB's `epoch_us` returns, as text. */
function us(ts: string): string {
  return ts.replace('.', '').replace(/^0+/, '');
}

/** The messages the fixture keeps, by conversation: everything but channel events. */
const KEPT: Record<string, string[]> = {
  [GENERAL]: [
    '1767225600.000123',
    THREAD,
    '1767604200.000300',
    '1767607200.000400',
    '1767607800.000500',
    '1767611000.000700',
    '1767612000.000800',
    '1767613000.000900',
    '1767664800.001000',
    '1767668400.001100',
  ],
  [LEADS]: ['1767620000.002000', '1767620600.002100'],
  [DM]: ['1767653400.003000', '1767655800.003100', '1767658200.003200', '1767659400.003300'],
  [MPIM]: ['1767690000.004000', '1767690600.004100'],
};

const messageRow = z.object({
  conversation_key: z.string(),
  ts_us: z.string(),
  user_key: z.string().nullable(),
  thread_ts_us: z.string().nullable(),
  parent_user_key: z.string().nullable(),
  subtype: z.string().nullable(),
  bot_id: z.string().nullable(),
  reply_count: z.number().nullable(),
  edited_ts_us: z.string().nullable(),
});
type MessageRow = z.output<typeof messageRow>;

async function messages(db: Warehouse): Promise<MessageRow[]> {
  return db.parse(
    messageRow,
    `SELECT conversation_key, epoch_us(ts)::VARCHAR AS ts_us, user_key,
            epoch_us(thread_ts)::VARCHAR AS thread_ts_us, parent_user_key, subtype, bot_id,
            reply_count, epoch_us(edited_ts)::VARCHAR AS edited_ts_us
     FROM raw.slack_messages ORDER BY conversation_key, ts`,
  );
}

async function message(db: Warehouse, conversation: string, ts: string): Promise<MessageRow> {
  const found = (await messages(db)).filter(
    (row) => row.conversation_key === conversation && row.ts_us === us(ts),
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

async function importExport(
  db: Warehouse,
  path: string,
  reporter: Reporter = recordingReporter(),
): Promise<SlackExportSummary> {
  return importSlackExport({ db, pseudonymizer: keys, path, reporter });
}

/** Every raw Slack table's content without the run that wrote it, to compare two imports. */
async function slackContent(db: Warehouse): Promise<Record<string, string>> {
  const content: Record<string, string> = {};
  for (const table of ['raw.slack_users', 'raw.slack_conversations', 'raw.slack_messages']) {
    const [row] = await db.parse(
      z.object({ rows: z.number(), checksum: z.string() }),
      `SELECT count(*)::INTEGER AS rows,
              coalesce(md5(string_agg(t::VARCHAR, '\n' ORDER BY t::VARCHAR)), '') AS checksum
       FROM (SELECT * EXCLUDE (run_id) FROM ${table}) AS t`,
    );
    content[table] = `${row?.rows ?? 0} ${row?.checksum ?? ''}`;
  }
  return content;
}

describe('importSlackExport', () => {
  it('keeps every message but channel events, with ts exact to the microsecond', async () => {
    const db = await tempWarehouse();
    await importExport(db, ACME);
    const stored = await messages(db);
    const byConversation: Record<string, string[]> = {};
    for (const row of stored) (byConversation[row.conversation_key] ??= []).push(row.ts_us);
    expect(byConversation).toEqual(
      Object.fromEntries(Object.entries(KEPT).map(([key, list]) => [key, list.map(us)])),
    );
    // Midnight UTC on 2026-01-01 plus 123 µs survives as exactly that instant.
    const [first] = await db.parse(
      z.object({ us: z.string(), text: z.string() }),
      `SELECT epoch_us(ts)::VARCHAR AS us, strftime(ts, '%Y-%m-%d %H:%M:%S.%f') AS text
       FROM raw.slack_messages ORDER BY ts LIMIT 1`,
    );
    expect(first).toEqual({ us: '1767225600000123', text: '2026-01-01 00:00:00.000123' });
  });

  it('reports the counts in the summary, the import log and one line without names', async () => {
    const db = await tempWarehouse();
    const reporter = recordingReporter();
    const summary = await importExport(db, ACME, reporter);
    expect(summary).toEqual({
      conversations: 5,
      conversationsWithMessages: 4,
      messagesKept: 18,
      messagesSkipped: {
        channel_event: 5,
        change_event: 0,
        not_a_message: 0,
        unlisted_conversation: 2,
        implausible_time: 0,
      },
      users: 8,
      bots: 2,
      usersNotInExport: 2,
      unmatchedUsers: 6,
      invalidTimezones: 1,
      dayFiles: 8,
    });
    expect(reporter.results).toEqual([
      'Imported Slack export: 5 conversations (4 with messages), 18 messages kept, 7 skipped ' +
        '(5 channel events such as joins and topic changes, 2 in folders that no listing names), ' +
        '8 users (2 bots, 2 not in users.json), 6 not matched to a roster person',
    ]);
    expect(reporter.warnings).toEqual([
      "1 Slack user has a profile time zone that is not an IANA name; stored without one (the roster's zone applies)",
    ]);
    const [run] = await db.parse(
      z.object({ source: z.string(), summary: z.string() }),
      `SELECT source, summary::VARCHAR AS summary FROM meta.import_runs`,
    );
    expect(run?.source).toBe('slack_export');
    expect(JSON.parse(run?.summary ?? '{}')).toEqual({
      conversations: 5,
      conversations_with_messages: 4,
      messages_kept: 18,
      skipped_channel_event: 5,
      skipped_change_event: 0,
      skipped_not_a_message: 0,
      skipped_unlisted_conversation: 2,
      skipped_implausible_time: 0,
      users: 8,
      bots: 2,
      users_not_in_export: 2,
      unmatched_users: 6,
      invalid_timezones: 1,
      day_files: 8,
    });
  });

  it('shows progress by day file', async () => {
    const db = await tempWarehouse();
    const calls: string[] = [];
    let advanced = 0;
    const reporter: Reporter = {
      ...recordingReporter(),
      progress(label, unit, total): Progress {
        calls.push(`${label} (${unit}, ${total ?? '?'})`);
        return {
          advance: (by = 1) => (advanced += by),
          done: () => calls.push('done'),
        };
      },
    };
    await importExport(db, await zippedFixture(ACME), reporter);
    expect(calls).toEqual(['Reading Slack export (day files, 8)', 'done']);
    expect(advanced).toBe(8);
  });

  it('links a reply on a later day file, and a broadcast, to their thread', async () => {
    const db = await tempWarehouse();
    await importExport(db, ACME);
    expect(await message(db, GENERAL, THREAD)).toMatchObject({
      user_key: ANA,
      thread_ts_us: us(THREAD),
      reply_count: 3,
      edited_ts_us: us('1767603700.000000'),
    });
    expect(await message(db, GENERAL, '1767664800.001000')).toMatchObject({
      user_key: CHO,
      thread_ts_us: us(THREAD),
      parent_user_key: ANA,
      subtype: null,
    });
    expect(await message(db, GENERAL, '1767668400.001100')).toMatchObject({
      user_key: BEN,
      thread_ts_us: us(THREAD),
      subtype: 'thread_broadcast',
    });
  });

  it('marks bots and keeps their messages, with or without a user', async () => {
    const db = await tempWarehouse();
    await importExport(db, ACME);
    expect(await message(db, GENERAL, '1767607200.000400')).toMatchObject({
      user_key: null,
      subtype: 'bot_message',
      bot_id: 'B01BOT',
    });
    expect(await message(db, GENERAL, '1767607800.000500')).toMatchObject({
      user_key: BOT,
      subtype: null,
      bot_id: 'B01BOT',
    });
    expect(await message(db, GENERAL, '1767612000.000800')).toMatchObject({
      user_key: SLACKBOT,
    });
  });

  it('stores users pseudonymously: email as a person key, zone, bot and deleted flags', async () => {
    const db = await tempWarehouse();
    await importExport(db, ACME);
    const users = await db.parse(
      z.object({
        user_key: z.string(),
        email_person_id: z.string().nullable(),
        timezone: z.string().nullable(),
        is_bot: z.boolean(),
        is_deleted: z.boolean(),
      }),
      `SELECT user_key, email_person_id, timezone, is_bot, is_deleted FROM raw.slack_users`,
    );
    const byKey = Object.fromEntries(users.map(({ user_key, ...rest }) => [user_key, rest]));
    const user = (
      email: string | null,
      timezone: string | null,
      isBot = false,
      isDeleted = false,
    ): object => ({
      email_person_id: email === null ? null : keys.person(email),
      timezone,
      is_bot: isBot,
      is_deleted: isDeleted,
    });
    expect(byKey).toEqual({
      [ANA]: user('canary-slack-email-ana@example.com', 'Europe/Berlin'),
      [BEN]: user(null, 'America/Los_Angeles'),
      [CHO]: user('canary-slack-email-cho@example.com', 'Asia/Tokyo'),
      [DEL]: user(null, null, false, true),
      [BOT]: user(null, null, true),
      // Written " Canary-Slack-Email-Eve@Example.COM " with an unknown zone in the export.
      [EVE]: user('canary-slack-email-eve@example.com', null),
      // Named by a message but not in users.json (a guest from another workspace).
      [GHOST]: user(null, null),
      // Slack's own bot is never in users.json of this export.
      [SLACKBOT]: user(null, null, true),
    });
    const [emails] = await db.parse(
      z.object({ n: z.number() }),
      `SELECT count(*)::INTEGER AS n FROM raw.slack_users AS u WHERE u::VARCHAR LIKE '%@%'`,
    );
    expect(emails?.n).toBe(0);
  });

  it('stores each conversation with its type, including one without messages', async () => {
    const db = await tempWarehouse();
    await importExport(db, ACME);
    const rows = await db.parse(
      z.object({ conversation_key: z.string(), conversation_type: z.string() }),
      `SELECT conversation_key, conversation_type FROM raw.slack_conversations`,
    );
    expect(
      Object.fromEntries(rows.map((row) => [row.conversation_key, row.conversation_type])),
    ).toEqual({
      [GENERAL]: 'public_channel',
      [QUIET]: 'public_channel',
      [LEADS]: 'private_channel',
      [DM]: 'im',
      [MPIM]: 'mpim',
    });
  });

  it('records the period the export covers: its first to its last day file, in UTC days', async () => {
    const db = await tempWarehouse();
    await importExport(db, ACME);
    expect(
      await db.all(
        `SELECT strftime(window_start, '%Y-%m-%d %H:%M') AS from_, strftime(window_end, '%Y-%m-%d %H:%M') AS until, source FROM raw.slack_coverage`,
      ),
    ).toEqual([{ from_: '2026-01-01 00:00', until: '2026-01-07 00:00', source: 'slack_export' }]);
  });

  it('keeps a DM across midnight as instants that fall on different local days per person', async () => {
    const db = await tempWarehouse();
    await importExport(db, ACME);
    const rows = await db.parse(
      z.object({ sender: z.string(), ana_local: z.string(), ben_local: z.string() }),
      `SELECT m.user_key AS sender,
              strftime(timezone(ana.timezone, m.ts), '%Y-%m-%d %H:%M') AS ana_local,
              strftime(timezone(ben.timezone, m.ts), '%Y-%m-%d %H:%M') AS ben_local
       FROM raw.slack_messages AS m, raw.slack_users AS ana, raw.slack_users AS ben
       WHERE m.conversation_key = $dm AND ana.user_key = $ana AND ben.user_key = $ben
       ORDER BY m.ts`,
      { dm: DM, ana: ANA, ben: BEN },
    );
    expect(rows).toEqual([
      { sender: ANA, ana_local: '2026-01-05 23:50', ben_local: '2026-01-05 14:50' },
      { sender: BEN, ana_local: '2026-01-06 00:30', ben_local: '2026-01-05 15:30' },
      { sender: ANA, ana_local: '2026-01-06 01:10', ben_local: '2026-01-05 16:10' },
      { sender: BEN, ana_local: '2026-01-06 01:30', ben_local: '2026-01-05 16:30' },
    ]);
  });

  it('matches users to the roster by email, else by slack_user_id, and counts the rest', async () => {
    const db = await tempWarehouse();
    await importRoster({
      db,
      pseudonymizer: keys,
      file: ROSTER,
      asOf: '2026-01-01',
      reporter: recordingReporter(),
    });
    const summary = await importExport(db, ACME);
    // Cho has an email the roster lacks, Del none, the guest is unknown; bots never count.
    expect(summary.unmatchedUsers).toBe(3);
    const matches = await db.parse(
      z.object({ user_key: z.string(), person_id: z.string().nullable() }),
      `SELECT u.user_key, any_value(r.person_id) AS person_id
       FROM raw.slack_users AS u
       LEFT JOIN raw.roster_people AS r
         ON r.person_id = u.email_person_id OR r.slack_user_key = u.user_key
       GROUP BY u.user_key`,
    );
    expect(Object.fromEntries(matches.map((row) => [row.user_key, row.person_id]))).toEqual({
      [ANA]: keys.person('canary-slack-email-ana@example.com'),
      [BEN]: keys.person('ben@example.com'),
      [EVE]: keys.person('canary-slack-email-eve@example.com'),
      [CHO]: null,
      [DEL]: null,
      [BOT]: null,
      [GHOST]: null,
      [SLACKBOT]: null,
    });
  });

  it('reads a ZIP, the folder, and either with the export one folder down, alike', async () => {
    const fromFolder = await tempWarehouse();
    await importExport(fromFolder, ACME);
    const fromZip = await tempWarehouse();
    await importExport(fromZip, await zippedFixture(ACME));
    const fromNestedZip = await tempWarehouse();
    await importExport(fromNestedZip, await zippedFixture(ACME, { prefix: 'acme-2026-01/' }));
    const outer = tempDir();
    cpSync(ACME, join(outer, 'acme-2026-01'), { recursive: true });
    const fromNestedFolder = await tempWarehouse();
    await importExport(fromNestedFolder, outer);
    const expected = await slackContent(fromFolder);
    expect(expected['raw.slack_messages']).toMatch(/^18 /);
    expect(await slackContent(fromZip)).toEqual(expected);
    expect(await slackContent(fromNestedZip)).toEqual(expected);
    expect(await slackContent(fromNestedFolder)).toEqual(expected);
  });

  it('gives the same rows when messages are merged in many small batches', async () => {
    const whole = await tempWarehouse();
    await importExport(whole, ACME);
    const batched = await tempWarehouse();
    const summary = await importSlackExport({
      db: batched,
      pseudonymizer: keys,
      path: ACME,
      reporter: recordingReporter(),
      messagesPerBatch: 2,
    });
    expect(summary.messagesKept).toBe(18);
    expect(await slackContent(batched)).toEqual(await slackContent(whole));
  });
});

describe('importing again', () => {
  it('leaves the same rows when the same export is imported twice', async () => {
    const db = await tempWarehouse();
    await importExport(db, ACME);
    const once = await slackContent(db);
    const again = await importExport(db, await zippedFixture(ACME));
    expect(again.messagesKept).toBe(18);
    expect(await slackContent(db)).toEqual(once);
    const [runs] = await db.parse(
      z.object({ n: z.number() }),
      `SELECT count(*)::INTEGER AS n FROM meta.import_runs`,
    );
    expect(runs?.n).toBe(2);
  });

  it('merges a later overlapping export without duplicates, its edits winning', async () => {
    const db = await tempWarehouse();
    await importExport(db, ACME);
    const later = await importExport(db, ACME_LATER);
    expect(later.messagesKept).toBe(6);
    const stored = await messages(db);
    expect(stored).toHaveLength(20);
    const keysSeen = new Set(stored.map((row) => `${row.conversation_key} ${row.ts_us}`));
    expect(keysSeen.size).toBe(20);
    // Edited after the first export: the later copy (and its edit time) wins.
    expect(await message(db, GENERAL, '1767664800.001000')).toMatchObject({
      edited_ts_us: us('1767700000.000000'),
    });
    expect(await message(db, DM, '1767659400.003300')).toMatchObject({
      edited_ts_us: us('1767701000.000000'),
    });
    // New in the later export, and only in the first one: both present.
    expect(await message(db, GENERAL, '1767747600.005000')).toMatchObject({
      user_key: BEN,
      thread_ts_us: us(THREAD),
    });
    expect(await message(db, GENERAL, '1767225600.000123')).toMatchObject({ user_key: ANA });
    // The later export lists Slackbot with is_bot: false, as Slack does; it stays a bot.
    const [slackbot] = await db.parse(
      z.object({ is_bot: z.boolean() }),
      `SELECT is_bot FROM raw.slack_users WHERE user_key = $key`,
      { key: SLACKBOT },
    );
    expect(slackbot?.is_bot).toBe(true);
  });
});
