/**
 * The one mapping of Slack metadata to raw tables, shared by the export importer, the API ingest
 * and the demo generator. Only metadata crosses this boundary: there is no field for text here,
 * so no caller can store any.
 *
 * Rows are appended to temporary staging tables and merged at `finish()`: a message already in the
 * warehouse (same conversation and `ts`) is replaced, so re-importing an export, or importing a
 * later one that overlaps it, leaves no duplicates and the later copy (with its edits) wins.
 * Coverage windows are merged per source (`./coverage.ts`), so a re-import adds no row.
 */
import type { Warehouse } from '../db.ts';
import type { ImportRun } from '../runs.ts';
import { StagingTable } from './append.ts';
import { mergeCoverage, SLACK_COVERAGE } from './coverage.ts';

export const CONVERSATION_TYPES = ['public_channel', 'private_channel', 'im', 'mpim'] as const;
export type ConversationType = (typeof CONVERSATION_TYPES)[number];

export interface SlackUser {
  readonly userKey: string;
  /** `Pseudonymizer.person(email)` when Slack gave an email address; matches roster `person_id`. */
  readonly emailPersonId: string | null;
  /** The profile's IANA zone (the fallback when neither roster nor calendar gives one). */
  readonly timezone: string | null;
  readonly isBot: boolean;
  readonly isDeleted: boolean;
}

export interface SlackConversation {
  readonly conversationKey: string;
  readonly type: ConversationType;
}

export interface SlackMessage {
  readonly conversationKey: string;
  /** Slack's `ts` as microseconds since the epoch: exact, since `ts` has six decimals. */
  readonly ts: bigint;
  readonly userKey: string | null;
  readonly threadTs: bigint | null;
  readonly parentUserKey: string | null;
  readonly subtype: string | null;
  readonly botId: string | null;
  readonly replyCount: number | null;
  readonly editedTs: bigint | null;
}

/** A period the batch holds every message of (for an export: its first to its last day). */
export interface SlackWindow {
  /** Microseconds since the epoch; [start, end). */
  readonly start: bigint;
  readonly end: bigint;
}

export interface SlackWriteCounts {
  readonly users: number;
  readonly conversations: number;
  readonly messages: number;
}

/** Parses Slack's `ts` (`"1700000000.000100"`) into exact microseconds, or null when malformed. */
export function parseSlackTs(ts: unknown): bigint | null {
  if (typeof ts !== 'string') return null;
  const match = /^(\d{1,12})\.(\d{6})$/.exec(ts);
  if (!match) return null;
  return BigInt(match[1] ?? '0') * 1_000_000n + BigInt(match[2] ?? '0');
}

export function formatSlackTs(micros: bigint): string {
  const seconds = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, '0');
  return `${seconds}.${fraction}`;
}

export class SlackBatchWriter {
  readonly #db: Warehouse;
  readonly #run: ImportRun;
  readonly #users: StagingTable;
  readonly #conversations: StagingTable;
  readonly #messages: StagingTable;
  readonly #windows: SlackWindow[] = [];

  private constructor(
    db: Warehouse,
    run: ImportRun,
    users: StagingTable,
    conversations: StagingTable,
    messages: StagingTable,
  ) {
    this.#db = db;
    this.#run = run;
    this.#users = users;
    this.#conversations = conversations;
    this.#messages = messages;
  }

  /**
   * Declares that the batch holds every message of the period: inside it, a person without
   * messages sent none; outside every such period, message metrics are unknown.
   */
  coverWindow(window: SlackWindow): void {
    if (window.end <= window.start)
      throw new Error('a Slack coverage window must end after it starts');
    this.#windows.push(window);
  }

  /** Starts a batch; call inside the import's transaction. */
  static async begin(db: Warehouse, run: ImportRun): Promise<SlackBatchWriter> {
    const users = await StagingTable.create(db, 'slack_users', {
      user_key: 'VARCHAR',
      email_person_id: 'VARCHAR',
      timezone: 'VARCHAR',
      is_bot: 'BOOLEAN',
      is_deleted: 'BOOLEAN',
    });
    const conversations = await StagingTable.create(db, 'slack_conversations', {
      conversation_key: 'VARCHAR',
      conversation_type: 'VARCHAR',
    });
    const messages = await StagingTable.create(db, 'slack_messages', {
      conversation_key: 'VARCHAR',
      ts_us: 'BIGINT',
      user_key: 'VARCHAR',
      thread_ts_us: 'BIGINT',
      parent_user_key: 'VARCHAR',
      subtype: 'VARCHAR',
      bot_id: 'VARCHAR',
      reply_count: 'INTEGER',
      edited_ts_us: 'BIGINT',
    });
    return new SlackBatchWriter(db, run, users, conversations, messages);
  }

  addUser(user: SlackUser): void {
    this.#users.append([
      user.userKey,
      user.emailPersonId,
      user.timezone,
      user.isBot,
      user.isDeleted,
    ]);
  }

  addConversation(conversation: SlackConversation): void {
    this.#conversations.append([conversation.conversationKey, conversation.type]);
  }

  addMessage(message: SlackMessage): void {
    this.#messages.append([
      message.conversationKey,
      message.ts,
      message.userKey,
      message.threadTs,
      message.parentUserKey,
      message.subtype,
      message.botId,
      message.replyCount,
      message.editedTs,
    ]);
  }

  get messagesAdded(): number {
    return this.#messages.rowCount;
  }

  /** Merges the batch into the raw tables and drops the staging tables. */
  async finish(): Promise<SlackWriteCounts> {
    const db = this.#db;
    const source = this.#run.source;
    const runId = this.#run.runId;
    try {
      for (const table of [this.#users, this.#conversations, this.#messages]) table.flush();
      await db.run(
        `INSERT INTO raw.slack_users
         SELECT user_key, email_person_id, timezone, is_bot, is_deleted, $1, $2
         FROM ${this.#users.name}
         QUALIFY row_number() OVER (PARTITION BY user_key ORDER BY seq DESC) = 1
         ON CONFLICT (user_key) DO UPDATE SET
           email_person_id = coalesce(excluded.email_person_id, raw.slack_users.email_person_id),
           timezone = coalesce(excluded.timezone, raw.slack_users.timezone),
           is_bot = excluded.is_bot, is_deleted = excluded.is_deleted,
           source = excluded.source, run_id = excluded.run_id`,
        [source, runId],
      );
      await db.run(
        `INSERT INTO raw.slack_conversations
         SELECT conversation_key, conversation_type, $1, $2
         FROM ${this.#conversations.name}
         QUALIFY row_number() OVER (PARTITION BY conversation_key ORDER BY seq DESC) = 1
         ON CONFLICT (conversation_key) DO UPDATE SET
           conversation_type = excluded.conversation_type, source = excluded.source, run_id = excluded.run_id`,
        [source, runId],
      );
      await db.run(
        `DELETE FROM raw.slack_messages AS m
         USING (SELECT DISTINCT conversation_key, make_timestamptz(ts_us) AS ts FROM ${this.#messages.name}) AS incoming
         WHERE m.conversation_key = incoming.conversation_key AND m.ts = incoming.ts`,
      );
      await db.run(
        `INSERT INTO raw.slack_messages
         SELECT conversation_key, make_timestamptz(ts_us), user_key, make_timestamptz(thread_ts_us),
                parent_user_key, subtype, bot_id, reply_count, make_timestamptz(edited_ts_us), $1, $2
         FROM ${this.#messages.name}
         QUALIFY row_number() OVER (PARTITION BY conversation_key, ts_us ORDER BY seq DESC) = 1`,
        [source, runId],
      );
      for (const window of this.#windows) {
        await db.run(
          `INSERT INTO raw.slack_coverage VALUES (make_timestamptz($1::BIGINT), make_timestamptz($2::BIGINT), $3, $4)`,
          [window.start, window.end, source, runId],
        );
      }
      if (this.#windows.length > 0)
        await mergeCoverage(db, SLACK_COVERAGE, 'source = $source', { source });
      const counts = await db.one(
        `SELECT (SELECT count(DISTINCT user_key) FROM ${this.#users.name})::INTEGER AS users,
                (SELECT count(DISTINCT conversation_key) FROM ${this.#conversations.name})::INTEGER AS conversations,
                (SELECT count(*) FROM (SELECT DISTINCT conversation_key, ts_us FROM ${this.#messages.name}))::INTEGER AS messages`,
      );
      return {
        users: Number(counts?.['users'] ?? 0),
        conversations: Number(counts?.['conversations'] ?? 0),
        messages: Number(counts?.['messages'] ?? 0),
      };
    } finally {
      for (const table of [this.#users, this.#conversations, this.#messages]) await table.drop();
    }
  }

  /** Drops the staging tables without merging (the import failed). */
  async abandon(): Promise<void> {
    for (const table of [this.#users, this.#conversations, this.#messages]) await table.drop();
  }
}
