/**
 * What the Slack API sync writes besides the raw rows `SlackBatchWriter` merges: its state per
 * conversation (`meta.slack_sync_conversations`), the removal of messages Slack no longer has, and
 * the completion of its run log entry. Every function joins the caller's transaction, so a
 * conversation's messages, its deletions and its new state commit together.
 */
import { z } from 'zod';
import type { Warehouse } from '../db.ts';
import type { ImportRun } from '../runs.ts';
import { StagingTable } from './append.ts';

export const SYNC_ERROR_CODES = [
  'not_in_channel',
  'missing_scope',
  'channel_not_found',
  'failed',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

export interface ConversationSyncState {
  readonly conversationKey: string;
  /** Microseconds since the epoch; null until the conversation was read completely once. */
  readonly syncedFrom: bigint | null;
  /** Every message in [syncedFrom, syncedThrough) is in the warehouse (as of the last read). */
  readonly syncedThrough: bigint | null;
  /** The newest `ts` read: the next run reads from here (or from its rescan window, if earlier). */
  readonly newestTs: bigint | null;
  readonly lastError: SyncErrorCode | null;
}

const micros = z
  .union([z.string(), z.number()])
  .nullable()
  .transform((value) => (value === null ? null : BigInt(value)));

const stateRow = z.object({
  conversation_key: z.string(),
  synced_from: micros,
  synced_through: micros,
  newest_ts: micros,
  last_error: z.enum(SYNC_ERROR_CODES).nullable(),
});

export async function readSyncStates(db: Warehouse): Promise<Map<string, ConversationSyncState>> {
  const rows = await db.parse(
    stateRow,
    `SELECT conversation_key, epoch_us(synced_from)::VARCHAR AS synced_from,
            epoch_us(synced_through)::VARCHAR AS synced_through,
            epoch_us(newest_ts)::VARCHAR AS newest_ts, last_error
     FROM meta.slack_sync_conversations`,
  );
  return new Map(
    rows.map((row) => [
      row.conversation_key,
      {
        conversationKey: row.conversation_key,
        syncedFrom: row.synced_from,
        syncedThrough: row.synced_through,
        newestTs: row.newest_ts,
        lastError: row.last_error,
      },
    ]),
  );
}

/** Records a complete read of a conversation (clearing any earlier error). */
export async function recordConversationSynced(
  db: Warehouse,
  run: ImportRun,
  state: {
    readonly conversationKey: string;
    readonly syncedFrom: bigint;
    readonly syncedThrough: bigint;
    readonly newestTs: bigint | null;
  },
): Promise<void> {
  await db.run(
    `INSERT INTO meta.slack_sync_conversations
     VALUES ($key, make_timestamptz($from::BIGINT), make_timestamptz($through::BIGINT),
             make_timestamptz($newest::BIGINT), make_timestamptz($through::BIGINT), NULL, NULL, $run)
     ON CONFLICT (conversation_key) DO UPDATE SET
       synced_from = excluded.synced_from, synced_through = excluded.synced_through,
       newest_ts = greatest(excluded.newest_ts, meta.slack_sync_conversations.newest_ts),
       last_synced_at = excluded.last_synced_at, last_error = NULL, last_error_at = NULL,
       run_id = excluded.run_id`,
    {
      key: state.conversationKey,
      from: state.syncedFrom,
      through: state.syncedThrough,
      newest: state.newestTs,
      run: run.runId,
    },
  );
}

/**
 * Records that a conversation could not be read. What was read before stays valid (its window is
 * kept), but the conversation is not complete up to this run, so the run records no coverage.
 */
export async function recordConversationError(
  db: Warehouse,
  run: ImportRun,
  conversationKey: string,
  error: SyncErrorCode,
  at: bigint,
): Promise<void> {
  await db.run(
    `INSERT INTO meta.slack_sync_conversations
     VALUES ($key, NULL, NULL, NULL, NULL, $error, make_timestamptz($at::BIGINT), $run)
     ON CONFLICT (conversation_key) DO UPDATE SET
       last_error = excluded.last_error, last_error_at = excluded.last_error_at,
       run_id = excluded.run_id`,
    { key: conversationKey, error, at, run: run.runId },
  );
}

export interface ThreadState {
  /** Newest reply stored, in microseconds. */
  readonly latestReply: bigint;
  readonly replies: number;
}

/**
 * The stored replies of every thread, by conversation and then by the parent's `ts`
 * (microseconds): what the sync compares each parent's `latest_reply` and `reply_count` with.
 */
export async function readThreadStates(
  db: Warehouse,
): Promise<Map<string, Map<bigint, ThreadState>>> {
  const rows = await db.parse(
    z.object({
      conversation_key: z.string(),
      thread: z.string(),
      latest: z.string(),
      replies: z.number(),
    }),
    `SELECT conversation_key, epoch_us(thread_ts)::VARCHAR AS thread,
            epoch_us(max(ts))::VARCHAR AS latest, count(*)::INTEGER AS replies
     FROM raw.slack_messages
     WHERE thread_ts IS NOT NULL AND thread_ts <> ts
     GROUP BY conversation_key, thread_ts`,
  );
  const states = new Map<string, Map<bigint, ThreadState>>();
  for (const row of rows) {
    let threads = states.get(row.conversation_key);
    if (threads === undefined) {
      threads = new Map();
      states.set(row.conversation_key, threads);
    }
    threads.set(BigInt(row.thread), { latestReply: BigInt(row.latest), replies: row.replies });
  }
  return states;
}

/**
 * Deletes the messages Slack no longer returns. Call after the run's messages for this conversation
 * were merged (they carry `run.runId`): inside the window that history was read for, a top-level
 * message or thread parent that this run did not write was deleted in Slack; in each thread whose
 * replies were read in full, so was a reply this run did not write. Returns the rows removed.
 */
export async function removeMessagesGoneFromSlack(
  db: Warehouse,
  run: ImportRun,
  conversationKey: string,
  window: { readonly oldest: bigint; readonly latest: bigint },
  threadsRead: readonly bigint[],
): Promise<number> {
  const removed = await db.all(
    `DELETE FROM raw.slack_messages
     WHERE conversation_key = $key AND run_id <> $run
       AND ts > make_timestamptz($oldest::BIGINT) AND ts < make_timestamptz($latest::BIGINT)
       AND (thread_ts IS NULL OR thread_ts = ts OR subtype = 'thread_broadcast')
     RETURNING 1 AS removed`,
    { key: conversationKey, run: run.runId, oldest: window.oldest, latest: window.latest },
  );
  if (threadsRead.length === 0) return removed.length;
  const threads = await StagingTable.create(db, 'slack_threads_read', { thread_ts_us: 'BIGINT' });
  try {
    for (const thread of threadsRead) threads.append([thread]);
    threads.flush();
    const replies = await db.all(
      `DELETE FROM raw.slack_messages
       WHERE conversation_key = $key AND run_id <> $run AND thread_ts <> ts
         AND epoch_us(thread_ts) IN (SELECT thread_ts_us FROM ${threads.name})
       RETURNING 1 AS removed`,
      { key: conversationKey, run: run.runId },
    );
    return removed.length + replies.length;
  } finally {
    await threads.drop();
  }
}
