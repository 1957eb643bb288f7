/**
 * The Slack API sync against the emulator (a real HTTP server) with the real WebClient and real
 * DuckDB files: full and incremental runs, threads, edits and deletions, and what is stored.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { consoleReporter } from '../../scripts/cli/io.ts';
import { parseSlackTs } from '../../warehouse/raw/slack.ts';
import { tempWarehouse, testPseudonymizer as keys } from '../helpers/warehouse.ts';
import { coverage, messages, slackRows, startEmulator, sync } from './support.ts';
import { message, smallWorkspace, tsAt } from './workspace.ts';

const DAY = 86_400_000;
const GENERAL = keys.slackConversation('CGENERAL');
const LEADS = keys.slackConversation('GLEADS');
const DM = keys.slackConversation('DANABEN');
const MPIM = keys.slackConversation('GMPIM');

function us(ts: string): string {
  return String(parseSlackTs(ts));
}

describe('slack sync, first run', () => {
  it('stores every message and reply of every conversation the token sees, metadata only, and covers the history up to its start', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    const db = await tempWarehouse();
    const { summary } = await sync(db, emulator, now);

    const rows = await messages(db);
    const general = workspace.conversations[0]!;
    // Everything but the channel join, by conversation.
    expect(rows.filter((row) => row.conversation_key === GENERAL)).toHaveLength(
      general.messages.length - 1,
    );
    expect(rows.filter((row) => row.conversation_key === LEADS)).toHaveLength(2);
    expect(rows.filter((row) => row.conversation_key === DM)).toHaveLength(2);
    expect(rows.filter((row) => row.conversation_key === MPIM)).toHaveLength(2);
    expect(summary).toMatchObject({
      conversations: 4,
      conversationsRead: 4,
      failed: 0,
      messagesRemoved: 0,
      users: 7,
      bots: 2,
    });

    const oldThread = general.messages[2]!.ts;
    const reply = rows.find((row) => row.ts === us(general.messages[3]!.ts));
    expect(reply).toMatchObject({
      conversation_key: GENERAL,
      user_key: keys.slackUser('UBEN'),
      thread_ts: us(oldThread),
      parent_user_key: keys.slackUser('UANA'),
    });
    expect(rows.find((row) => row.ts === us(oldThread))).toMatchObject({
      reply_count: 2,
      thread_ts: us(oldThread),
    });
    expect(rows.find((row) => row.ts === us(general.messages[5]!.ts))?.edited_ts).toBe(
      us(String(general.messages[5]!.edited?.ts)),
    );
    expect(rows.find((row) => row.subtype === 'bot_message')).toMatchObject({
      user_key: null,
      bot_id: 'B0DEPLOY',
    });

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
    const byKey = new Map(users.map((user) => [user.user_key, user]));
    expect(byKey.get(keys.slackUser('UBEN'))).toEqual({
      user_key: keys.slackUser('UBEN'),
      email_person_id: keys.person('uben@example.com'),
      timezone: 'America/New_York',
      is_bot: false,
      is_deleted: false,
    });
    expect(byKey.get(keys.slackUser('UDEE'))?.is_deleted).toBe(true);
    expect(byKey.get(keys.slackUser('UBOT'))?.is_bot).toBe(true);
    expect(byKey.get(keys.slackUser('USLACKBOT'))?.is_bot).toBe(true);
    // A Slack Connect guest that users.list does not show is kept, without profile.
    expect(byKey.get(keys.slackUser('UEXT'))).toMatchObject({
      email_person_id: null,
      is_bot: false,
    });

    const types = await db.all(
      `SELECT conversation_key, conversation_type FROM raw.slack_conversations ORDER BY ALL`,
    );
    expect(types).toEqual(
      [
        { conversation_key: GENERAL, conversation_type: 'public_channel' },
        { conversation_key: LEADS, conversation_type: 'private_channel' },
        { conversation_key: DM, conversation_type: 'im' },
        { conversation_key: MPIM, conversation_type: 'mpim' },
      ].sort((a, b) => a.conversation_key.localeCompare(b.conversation_key)),
    );

    const start = new Date(now - 182 * DAY).toISOString().replace('.000Z', 'Z');
    expect(await coverage(db)).toEqual([
      { start, end: new Date(now).toISOString().replace('.000Z', 'Z'), source: 'slack_api' },
    ]);
    const [state] = await db.all(
      `SELECT count(*)::INTEGER AS n, count(last_error)::INTEGER AS errors,
              bool_and(synced_through = make_timestamptz($1::BIGINT)) AS through_start
       FROM meta.slack_sync_conversations`,
      [BigInt(now) * 1000n],
    );
    expect(state).toEqual({ n: 4, errors: 0, through_start: true });
    const [run] = await db.all(
      `SELECT source, summary->>'complete' AS complete FROM meta.import_runs`,
    );
    expect(run).toEqual({ source: 'slack_api', complete: 'true' });
  });
});

describe('slack sync, later runs', () => {
  it('after new messages, reads each conversation from its watermark and adds exactly the new ones; a rerun changes nothing', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    const db = await tempWarehouse();
    await sync(db, emulator, now);
    const before = await messages(db);

    const later = now + DAY;
    const general = emulator.conversation('CGENERAL');
    general.messages.push(message(tsAt(now + 3_600_000, 1), 'UANA'));
    emulator.conversation('DANABEN').messages.push(message(tsAt(now + 7_200_000, 2), 'UBEN'));
    emulator.requests.length = 0;
    const { summary } = await sync(db, emulator, later);

    const after = await messages(db);
    expect(after).toHaveLength(before.length + 2);
    expect(
      after
        .filter((row) => !before.some((old) => old.ts === row.ts))
        .map((row) => row.ts)
        .sort(),
    ).toEqual([us(tsAt(now + 3_600_000, 1)), us(tsAt(now + 7_200_000, 2))]);
    // History is read from the rescan window (14 days) on, not from the start; only threads whose
    // replies changed are read again (none did).
    const history = emulator.calls('conversations.history');
    expect(history).toHaveLength(4);
    for (const call of history) expect(call.params['oldest']).toBe(tsAt(later - 14 * DAY));
    expect(emulator.calls('conversations.replies')).toHaveLength(0);
    expect(summary.threadsRead).toBe(0);

    const settled = await slackRows(db);
    const { summary: rerun } = await sync(db, emulator, later + 60_000);
    expect(await slackRows(db)).toEqual(settled);
    expect(rerun.messagesRemoved).toBe(0);
  });

  it('picks up a reply added to a thread whose parent is two weeks old', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    const db = await tempWarehouse();
    await sync(db, emulator, now);
    const general = emulator.conversation('CGENERAL');
    const parent = general.messages[2]!;
    // The parent is 13 days old at the first run, so 13.5 days old at the next one.
    const replyTs = tsAt(now + 6 * 3_600_000, 9);
    general.messages.push(
      message(replyTs, 'UCHO', { thread_ts: parent.ts, parent_user_id: 'UANA' }),
    );
    emulator.requests.length = 0;
    const { summary } = await sync(db, emulator, now + DAY / 2);
    expect(summary.threadsRead).toBe(1);
    expect(emulator.calls('conversations.replies').map((call) => call.params['ts'])).toEqual([
      parent.ts,
    ]);
    const rows = await messages(db);
    expect(rows.find((row) => row.ts === us(replyTs))).toMatchObject({
      thread_ts: us(parent.ts),
      user_key: keys.slackUser('UCHO'),
    });
    expect(rows.find((row) => row.ts === us(parent.ts))?.reply_count).toBe(3);
  });

  it('an edit updates the stored message; a deleted message or reply is removed, as Slack no longer has it', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    const db = await tempWarehouse();
    await sync(db, emulator, now);
    const general = emulator.conversation('CGENERAL');
    const edited = general.messages[0]!; // 20 days old: outside the rescan window
    const recent = general.messages[5]!; // 5 days old
    const editTs = tsAt(now + 3_600_000);
    recent.edited = { user: 'UBEN', ts: editTs };
    const leads = emulator.conversation('GLEADS');
    const deleted = leads.messages.shift()!;
    // A reply deleted from the recent thread (its parent's count and latest reply change).
    const thread = general.messages.findIndex(
      (entry) => entry.ts === entry.thread_ts && entry.ts !== general.messages[2]!.ts,
    );
    const deletedReply = general.messages.splice(thread + 1, 1)[0]!;
    const before = await messages(db);

    const { summary } = await sync(db, emulator, now + DAY);
    const rows = await messages(db);
    expect(rows.find((row) => row.ts === us(recent.ts))?.edited_ts).toBe(us(editTs));
    expect(rows.some((row) => row.ts === us(deleted.ts))).toBe(false);
    expect(rows.some((row) => row.ts === us(deletedReply.ts))).toBe(false);
    expect(rows.some((row) => row.ts === us(edited.ts))).toBe(true);
    expect(summary.messagesRemoved).toBe(2);
    expect(rows).toHaveLength(before.length - 2);
  });

  it('--full re-reads everything and ends with the same rows as the incremental runs', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    const db = await tempWarehouse();
    await sync(db, emulator, now);
    emulator.conversation('CGENERAL').messages.push(message(tsAt(now + 3_600_000), 'UANA'));
    await sync(db, emulator, now + DAY);
    const incremental = await slackRows(db);
    emulator.requests.length = 0;
    await sync(db, emulator, now + DAY + 60_000, { full: true });
    expect(await slackRows(db)).toEqual(incremental);
    expect(emulator.calls('conversations.replies').length).toBeGreaterThan(0);
  });
});

describe('slack sync on a terminal', () => {
  it('draws a progress line with conversations done of total, messages, requests a minute and an ETA', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    // Slow answers, so the line is redrawn between conversations (it redraws at most every 100 ms).
    emulator.faults.delayMs = 120;
    const db = await tempWarehouse();
    const stderr = new PassThrough() as PassThrough & { isTTY?: boolean };
    stderr.isTTY = true;
    let text = '';
    stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const reporter = consoleReporter({
      stdout: new PassThrough(),
      stderr,
      env: {},
      cwd: '/',
      now: () => new Date(now),
    });
    await sync(db, emulator, now, { reporter });
    expect(text).toMatch(/Syncing Slack: 4 of 4 conversations · \d+ messages · \d+ requests\/min/);
    expect(text).toMatch(/\d of 4 conversations · \d+ messages · \d+ requests\/min · ETA \d+ s/);
  });
});
