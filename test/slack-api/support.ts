/** Running the Slack sync against the emulator in tests: the real WebClient, a fast retry policy. */
import { afterEach } from 'vitest';
import { z } from 'zod';
import {
  syncSlack,
  type SlackSyncOptions,
  type SlackSyncSummary,
} from '../../ingest/slack-api/sync.ts';
import { parseConfig, type Config } from '../../warehouse/config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { recordingReporter, type RecordingReporter } from '../../warehouse/reporter.ts';
import { testPseudonymizer } from '../helpers/warehouse.ts';
import { SlackEmulator, type EmulatedWorkspace } from './emulator.ts';
import { USER_TOKEN } from './workspace.ts';

const emulators: SlackEmulator[] = [];

afterEach(async () => {
  for (const emulator of emulators.splice(0)) await emulator.close();
});

export async function startEmulator(workspace: EmulatedWorkspace): Promise<SlackEmulator> {
  const emulator = await SlackEmulator.start(workspace);
  emulators.push(emulator);
  return emulator;
}

export function configFor(emulator: SlackEmulator, extra: Record<string, unknown> = {}): Config {
  return parseConfig({ slack: { apiUrl: emulator.url, ...extra } });
}

/** The WebClient's retries without its waits, so a test of retries takes milliseconds. */
export const FAST_RETRY = { retries: 5, factor: 1, minTimeout: 1, maxTimeout: 5 };

export interface SyncRun {
  readonly summary: SlackSyncSummary;
  readonly reporter: RecordingReporter;
}

export async function sync(
  db: Warehouse,
  emulator: SlackEmulator,
  at: number,
  options: Partial<SlackSyncOptions> = {},
): Promise<SyncRun> {
  const reporter = recordingReporter();
  const summary = await syncSlack({
    db,
    config: configFor(emulator),
    pseudonymizer: testPseudonymizer,
    reporter,
    token: USER_TOKEN,
    clock: () => new Date(at),
    retryConfig: FAST_RETRY,
    sleep: () => Promise.resolve(),
    ...options,
  });
  return { summary, reporter };
}

const messageRow = z.object({
  conversation_key: z.string(),
  ts: z.string(),
  user_key: z.string().nullable(),
  thread_ts: z.string().nullable(),
  parent_user_key: z.string().nullable(),
  subtype: z.string().nullable(),
  bot_id: z.string().nullable(),
  reply_count: z.number().nullable(),
  edited_ts: z.string().nullable(),
});
export type MessageRow = z.output<typeof messageRow>;

/** Every raw message, as comparable text, ignoring which run or source wrote it. */
export async function messages(db: Warehouse): Promise<MessageRow[]> {
  return db.parse(
    messageRow,
    `SELECT conversation_key, epoch_us(ts)::VARCHAR AS ts, user_key,
            epoch_us(thread_ts)::VARCHAR AS thread_ts, parent_user_key, subtype, bot_id,
            reply_count, epoch_us(edited_ts)::VARCHAR AS edited_ts
     FROM raw.slack_messages ORDER BY conversation_key, ts`,
  );
}

/** Raw Slack tables other than messages, without run ids. */
export async function slackRows(db: Warehouse): Promise<Record<string, unknown[]>> {
  return {
    users: await db.all(
      `SELECT user_key, email_person_id, timezone, is_bot, is_deleted FROM raw.slack_users ORDER BY ALL`,
    ),
    conversations: await db.all(
      `SELECT conversation_key, conversation_type FROM raw.slack_conversations ORDER BY ALL`,
    ),
    messages: await messages(db),
  };
}

export async function coverage(
  db: Warehouse,
): Promise<{ start: string; end: string; source: string }[]> {
  return db.parse(
    z.object({ start: z.string(), end: z.string(), source: z.string() }),
    `SELECT strftime(window_start, '%Y-%m-%dT%H:%M:%SZ') AS start,
            strftime(window_end, '%Y-%m-%dT%H:%M:%SZ') AS "end", source
     FROM raw.slack_coverage ORDER BY window_start, window_end`,
  );
}
