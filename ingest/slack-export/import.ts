/**
 * `syncbalance import slack-export PATH`: a Slack workspace export (the ZIP or its unpacked folder)
 * into the raw Slack tables, metadata only.
 *
 * Users and conversation listings are read and validated first; then the day files are read one
 * at a time and every message is validated, reduced to metadata and staged. All of it is written
 * in one transaction, so the first problem (a damaged archive, a malformed day file, a message
 * without `ts`) stops the import with the file named and nothing written. Problems never
 * quote the export: they name the file, the line and column, the message's position and the field.
 * See docs/imports-slack.md.
 */
import { z } from 'zod';
import { addDays } from '../../warehouse/dates.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { localTimeToMicros } from '../../warehouse/zoned-time.ts';
import {
  describeRange,
  isPlausible,
  plausibleRange,
  type PlausibleRange,
} from '../../warehouse/bounds.ts';
import { formatProblem, InputError } from '../../warehouse/errors.ts';
import type { Pseudonymizer } from '../../warehouse/identity.ts';
import { StagingTable } from '../../warehouse/raw/append.ts';
import {
  SlackBatchWriter,
  type SlackConversation,
  type SlackUser,
} from '../../warehouse/raw/slack.ts';
import type { Reporter } from '../../warehouse/reporter.ts';
import { beginRun, recordRun, type ImportRun } from '../../warehouse/runs.ts';
import { isTimeZone } from '../../warehouse/schedule.ts';
import { arrayElementPosition, parseJson } from './json.ts';
import { readLayout, type ExportLayout } from './layout.ts';
import {
  describeFirstIssue,
  SKIP_REASONS,
  skipReason,
  slackConversationSchema,
  slackMessageSchema,
  slackUserSchema,
  type FieldProblem,
  type SkipReason,
} from './schema.ts';
import {
  DEFAULT_MAX_FILE_BYTES,
  openExportSource,
  readAhead,
  type ExportFile,
  type ExportSource,
} from './source.ts';

export interface SlackExportImportOptions {
  readonly db: Warehouse;
  readonly pseudonymizer: Pseudonymizer;
  /** The export ZIP, or the folder it unpacks to. */
  readonly path: string;
  readonly reporter: Reporter;
  /** Largest single file (uncompressed) the import accepts; default 256 MB. */
  readonly maxFileBytes?: number;
  /** Messages merged into the raw tables at a time; default 200,000 (see `BatchedWriter`). */
  readonly messagesPerBatch?: number;
  /** The import's clock, for the plausible range of `ts` (warehouse/bounds.ts); default now. */
  readonly now?: Date;
}

export interface SlackExportSummary {
  /** Conversations in the export's listings. */
  readonly conversations: number;
  /** Of those, the ones with at least one message kept. */
  readonly conversationsWithMessages: number;
  /** Distinct messages (conversation and `ts`) written. */
  readonly messagesKept: number;
  /** Every skip reason, with zero for those that did not occur. */
  readonly messagesSkipped: Readonly<Record<SkipReason, number>>;
  /** Users in users.json plus users that messages name but users.json does not list. */
  readonly users: number;
  readonly bots: number;
  /** Users that messages name but users.json does not list (such as Slack Connect guests). */
  readonly usersNotInExport: number;
  /** Users other than bots that match no roster person, by email or by `slack_user_id`. */
  readonly unmatchedUsers: number;
  /** Users whose profile zone is not an IANA name, stored without one. */
  readonly invalidTimezones: number;
  readonly dayFiles: number;
}

/** Slack's own system user, listed in users.json with `is_bot: false`. */
const SLACKBOT_ID = 'USLACKBOT';

interface KnownUser {
  readonly key: string;
  readonly isBot: boolean;
}

interface ExportUsers {
  readonly byId: ReadonlyMap<string, KnownUser>;
  readonly records: readonly SlackUser[];
  readonly invalidTimezones: number;
}

interface ExportConversations {
  readonly byFolder: ReadonlyMap<string, SlackConversation>;
  readonly all: readonly SlackConversation[];
}

interface JsonArrayFile {
  readonly text: string;
  readonly items: readonly unknown[];
}

async function readJsonArray(source: ExportSource, file: ExportFile): Promise<JsonArrayFile> {
  return parseJsonArray(source, file, await source.readText(file));
}

function parseJsonArray(source: ExportSource, file: ExportFile, text: string): JsonArrayFile {
  const parsed = parseJson(text);
  const where = source.describe(file.path);
  if (!parsed.ok) {
    const { position, reason } = parsed.problem;
    throw InputError.at(
      { file: where, line: position?.line, column: position?.column },
      `is not valid JSON: ${reason}; nothing was imported`,
    );
  }
  if (!Array.isArray(parsed.value))
    throw InputError.at({ file: where }, 'expected a JSON array; nothing was imported');
  return { text, items: parsed.value };
}

function entryProblem(
  source: ExportSource,
  file: ExportFile,
  array: JsonArrayFile,
  index: number,
  what: string,
  problem: FieldProblem,
): InputError {
  const position = arrayElementPosition(array.text, index);
  return InputError.at(
    {
      file: source.describe(file.path),
      line: position?.line,
      column: position?.column,
      field: problem.field === '' ? undefined : problem.field,
    },
    `${problem.message} in ${what} ${index + 1} of this file; nothing was imported`,
  );
}

async function readUsers(
  source: ExportSource,
  layout: ExportLayout,
  pseudonymizer: Pseudonymizer,
): Promise<ExportUsers> {
  const byId = new Map<string, KnownUser>();
  const records = new Map<string, SlackUser>();
  let invalidTimezones = 0;
  for (const file of layout.userFiles) {
    const array = await readJsonArray(source, file);
    array.items.forEach((item, index) => {
      const parsed = slackUserSchema.safeParse(item);
      if (!parsed.success)
        throw entryProblem(
          source,
          file,
          array,
          index,
          'user',
          describeFirstIssue(parsed.error, item),
        );
      const user = parsed.data;
      const key = pseudonymizer.slackUser(user.id);
      const isBot =
        user.id === SLACKBOT_ID || user.is_bot === true || user.is_workflow_bot === true;
      const email = user.profile?.email?.trim() ?? '';
      const zone = user.tz ?? null;
      const timezone = zone !== null && isTimeZone(zone) ? zone : null;
      if (zone !== null && zone !== '' && timezone === null) invalidTimezones += 1;
      byId.set(user.id, { key, isBot });
      records.set(user.id, {
        userKey: key,
        emailPersonId: email === '' ? null : pseudonymizer.person(email),
        timezone,
        isBot,
        isDeleted: user.deleted === true,
      });
    });
  }
  return { byId, records: [...records.values()], invalidTimezones };
}

async function readConversations(
  source: ExportSource,
  layout: ExportLayout,
  pseudonymizer: Pseudonymizer,
): Promise<ExportConversations> {
  const byFolder = new Map<string, SlackConversation>();
  const byId = new Map<string, SlackConversation>();
  const all = new Map<string, SlackConversation>();
  for (const { listing, file } of layout.listings) {
    const array = await readJsonArray(source, file);
    array.items.forEach((item, index) => {
      const parsed = slackConversationSchema.safeParse(item);
      if (!parsed.success) {
        throw entryProblem(
          source,
          file,
          array,
          index,
          'conversation',
          describeFirstIssue(parsed.error, item),
        );
      }
      const { id, name } = parsed.data;
      const conversation: SlackConversation = {
        conversationKey: pseudonymizer.slackConversation(id),
        type: listing.type,
      };
      all.set(conversation.conversationKey, conversation);
      byId.set(id, conversation);
      const folder = listing.folderBy === 'name' && name ? name : id;
      if (!byFolder.has(folder)) byFolder.set(folder, conversation);
    });
  }
  // Some export tools name every folder by id; a name always takes precedence.
  for (const [id, conversation] of byId) if (!byFolder.has(id)) byFolder.set(id, conversation);
  return { byFolder, all: [...all.values()] };
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : nouns}`;
}

const SKIP_LABELS: Record<SkipReason, string> = {
  channel_event: 'channel events such as joins and topic changes',
  change_event: 'edit notifications',
  not_a_message: 'entries that are not messages',
  unlisted_conversation: 'in folders that no listing names',
  implausible_time: 'with a time outside the plausible range',
};

function formatSummary(summary: SlackExportSummary): string {
  const skipped = SKIP_REASONS.filter((reason) => summary.messagesSkipped[reason] > 0).map(
    (reason) => `${summary.messagesSkipped[reason].toLocaleString('en-US')} ${SKIP_LABELS[reason]}`,
  );
  const skippedTotal = SKIP_REASONS.reduce(
    (total, reason) => total + summary.messagesSkipped[reason],
    0,
  );
  const userNotes = [plural(summary.bots, 'bot')];
  if (summary.usersNotInExport > 0)
    userNotes.push(`${summary.usersNotInExport.toLocaleString('en-US')} not in users.json`);
  return (
    `Imported Slack export: ${plural(summary.conversations, 'conversation')} ` +
    `(${summary.conversationsWithMessages.toLocaleString('en-US')} with messages), ` +
    `${plural(summary.messagesKept, 'message')} kept, ` +
    `${skippedTotal.toLocaleString('en-US')} skipped${skipped.length > 0 ? ` (${skipped.join(', ')})` : ''}, ` +
    `${plural(summary.users, 'user')} (${userNotes.join(', ')}), ` +
    `${summary.unmatchedUsers.toLocaleString('en-US')} not matched to a roster person`
  );
}

export async function importSlackExport(
  options: SlackExportImportOptions,
): Promise<SlackExportSummary> {
  const { db, pseudonymizer, reporter } = options;
  const source = await openExportSource(
    options.path,
    options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  );
  try {
    const layout = readLayout(source, options.path);
    const users = await readUsers(source, layout, pseudonymizer);
    const conversations = await readConversations(source, layout, pseudonymizer);
    const summary = await db.transaction(async () => {
      const run = await beginRun(db, 'slack_export', pseudonymizer);
      const result = await writeExport(options, source, layout, users, conversations, run);
      await recordRun(db, run, {
        conversations: result.conversations,
        conversations_with_messages: result.conversationsWithMessages,
        messages_kept: result.messagesKept,
        ...Object.fromEntries(
          SKIP_REASONS.map((reason) => [`skipped_${reason}`, result.messagesSkipped[reason]]),
        ),
        users: result.users,
        bots: result.bots,
        users_not_in_export: result.usersNotInExport,
        unmatched_users: result.unmatchedUsers,
        invalid_timezones: result.invalidTimezones,
        day_files: result.dayFiles,
      });
      return result;
    });
    if (summary.invalidTimezones > 0) {
      reporter.warn(
        `${plural(summary.invalidTimezones, 'Slack user has', 'Slack users have')} a profile time zone that is not an IANA name; stored without one (the roster's zone applies)`,
      );
    }
    reporter.result(formatSummary(summary));
    return summary;
  } finally {
    source.close();
  }
}

const DEFAULT_MESSAGES_PER_BATCH = 200_000;

/**
 * A `SlackBatchWriter` merged and renewed every `messagesPerBatch` messages. Each batch is merged
 * (still inside the import's one transaction) before the next is staged, so DuckDB stages and
 * deduplicates one batch at a time: at a million messages this keeps the peak about 170 MB lower
 * than a single batch. Merging replaces by key, so a message seen again in a later batch still
 * ends up once, as its later copy.
 */
class BatchedWriter {
  readonly #db: Warehouse;
  readonly #run: ImportRun;
  readonly #messagesPerBatch: number;
  #writer: SlackBatchWriter;

  private constructor(
    db: Warehouse,
    run: ImportRun,
    messagesPerBatch: number,
    writer: SlackBatchWriter,
  ) {
    this.#db = db;
    this.#run = run;
    this.#messagesPerBatch = messagesPerBatch;
    this.#writer = writer;
  }

  static async begin(
    db: Warehouse,
    run: ImportRun,
    messagesPerBatch: number,
  ): Promise<BatchedWriter> {
    return new BatchedWriter(db, run, messagesPerBatch, await SlackBatchWriter.begin(db, run));
  }

  get batch(): SlackBatchWriter {
    return this.#writer;
  }

  async mergeIfFull(): Promise<void> {
    if (this.#writer.messagesAdded < this.#messagesPerBatch) return;
    await this.#writer.finish();
    this.#writer = await SlackBatchWriter.begin(this.#db, this.#run);
  }

  async finish(): Promise<void> {
    await this.#writer.finish();
  }

  async abandon(): Promise<void> {
    await this.#writer.abandon();
  }
}

interface StagedMessages {
  readonly skipped: Record<SkipReason, number>;
  readonly conversationsWithMessages: number;
  /** Users that messages name but users.json does not list. */
  readonly missingUsers: ReadonlyMap<string, KnownUser>;
}

async function stageMessages(
  options: SlackExportImportOptions,
  source: ExportSource,
  layout: ExportLayout,
  users: ExportUsers,
  conversations: ExportConversations,
  writer: BatchedWriter,
  range: PlausibleRange,
): Promise<StagedMessages> {
  // Keys are memoised: a busy workspace names the same few hundred people a million times.
  const missingUsers = new Map<string, KnownUser>();
  const userKey = (id: string, postedByBot: boolean): string => {
    const known = users.byId.get(id);
    if (known !== undefined) return known.key;
    const missing = missingUsers.get(id);
    if (missing !== undefined) {
      if (postedByBot && !missing.isBot) missingUsers.set(id, { key: missing.key, isBot: true });
      return missing.key;
    }
    const key = options.pseudonymizer.slackUser(id);
    missingUsers.set(id, { key, isBot: id === SLACKBOT_ID || postedByBot });
    return key;
  };
  const skipped = Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<
    SkipReason,
    number
  >;
  const withMessages = new Set<string>();
  const dayFiles = layout.folders.flatMap((folder) =>
    folder.days.map((file) => ({ file, conversation: conversations.byFolder.get(folder.name) })),
  );
  const progress = options.reporter.progress('Reading Slack export', 'day files', dayFiles.length);
  try {
    for await (const { item, text } of readAhead(source, dayFiles)) {
      const { file, conversation } = item;
      const array = parseJsonArray(source, file, text);
      let implausible = 0;
      let firstImplausible = -1;
      for (let index = 0; index < array.items.length; index++) {
        const entry = array.items[index];
        const parsed = slackMessageSchema.safeParse(entry);
        if (!parsed.success) {
          throw entryProblem(
            source,
            file,
            array,
            index,
            'message',
            describeFirstIssue(parsed.error, entry),
          );
        }
        const message = parsed.data;
        if (conversation === undefined) {
          skipped.unlisted_conversation += 1;
          continue;
        }
        const reason = skipReason(message);
        if (reason !== null) {
          skipped[reason] += 1;
          continue;
        }
        if (!isPlausible(range, message.ts)) {
          skipped.implausible_time += 1;
          implausible += 1;
          if (firstImplausible < 0) firstImplausible = index;
          continue;
        }
        withMessages.add(conversation.conversationKey);
        writer.batch.addMessage({
          conversationKey: conversation.conversationKey,
          ts: message.ts,
          userKey: message.user === null ? null : userKey(message.user, message.bot_id !== null),
          threadTs: message.thread_ts ?? null,
          parentUserKey:
            message.parent_user_id === null ? null : userKey(message.parent_user_id, false),
          subtype: message.subtype,
          botId: message.bot_id,
          replyCount: message.reply_count ?? null,
          editedTs: message.edited?.ts ?? null,
        });
      }
      if (implausible > 0)
        warnImplausible(options, source, file, array, firstImplausible, implausible, range);
      progress.advance();
      await writer.mergeIfFull();
    }
  } finally {
    progress.done();
  }
  return { skipped, conversationsWithMessages: withMessages.size, missingUsers };
}

/** One warning per day file: how many messages were skipped for their time, and where the first is. */
function warnImplausible(
  options: SlackExportImportOptions,
  source: ExportSource,
  file: ExportFile,
  array: JsonArrayFile,
  first: number,
  count: number,
  range: PlausibleRange,
): void {
  const position = arrayElementPosition(array.text, first);
  options.reporter.warn(
    formatProblem({
      location: {
        file: source.describe(file.path),
        line: position?.line,
        column: position?.column,
        field: 'ts',
      },
      message: `${plural(count, 'message')} skipped (first: message ${first + 1} of this file): the time is outside ${describeRange(range)}, the range syncbalance accepts`,
    }),
  );
}

async function writeExport(
  options: SlackExportImportOptions,
  source: ExportSource,
  layout: ExportLayout,
  users: ExportUsers,
  conversations: ExportConversations,
  run: ImportRun,
): Promise<SlackExportSummary> {
  const { db } = options;
  const writer = await BatchedWriter.begin(
    db,
    run,
    options.messagesPerBatch ?? DEFAULT_MESSAGES_PER_BATCH,
  );
  let importUsers: StagingTable | null = null;
  try {
    for (const user of users.records) writer.batch.addUser(user);
    for (const conversation of conversations.all) writer.batch.addConversation(conversation);
    // Day files are named by UTC date; the export holds every message from its first to its last
    // (within the plausible range: a stray day file cannot claim decades of silence).
    const range = plausibleRange(options.now ?? new Date());
    if (layout.firstDay !== null && layout.lastDay !== null) {
      const start = localTimeToMicros(layout.firstDay, 0, 'UTC');
      const end = localTimeToMicros(addDays(layout.lastDay, 1), 0, 'UTC');
      const clamped = {
        start: start > range.startUs ? start : range.startUs,
        end: end < range.endUs ? end : range.endUs,
      };
      if (clamped.end > clamped.start) writer.batch.coverWindow(clamped);
    }
    const staged = await stageMessages(
      options,
      source,
      layout,
      users,
      conversations,
      writer,
      range,
    );

    importUsers = await StagingTable.create(db, 'slack_export_users', {
      user_key: 'VARCHAR',
      missing_from_export: 'BOOLEAN',
    });
    for (const user of users.records) importUsers.append([user.userKey, false]);
    for (const user of staged.missingUsers.values()) importUsers.append([user.key, true]);
    importUsers.flush();
    // A user an earlier export listed keeps what that export said (bot, deleted, email).
    const alreadyStored = new Set(
      (
        await db.parse(
          z.object({ user_key: z.string() }),
          `SELECT i.user_key FROM ${importUsers.name} AS i JOIN raw.slack_users AS u USING (user_key)
           WHERE i.missing_from_export`,
        )
      ).map((row) => row.user_key),
    );
    for (const user of staged.missingUsers.values()) {
      if (alreadyStored.has(user.key)) continue;
      writer.batch.addUser({
        userKey: user.key,
        emailPersonId: null,
        timezone: null,
        isBot: user.isBot,
        isDeleted: false,
      });
    }
    await writer.finish();

    const [counts] = await db.parse(
      z.object({ messages: z.number(), unmatched: z.number() }),
      `SELECT (SELECT count(*) FROM raw.slack_messages WHERE run_id = $run)::INTEGER AS messages,
              (SELECT count(*)
               FROM (SELECT DISTINCT user_key FROM ${importUsers.name}) AS i
               JOIN raw.slack_users AS u USING (user_key)
               WHERE NOT u.is_bot
                 AND NOT EXISTS (SELECT 1 FROM raw.roster_people AS r
                                 WHERE r.person_id = u.email_person_id
                                    OR r.slack_user_key = u.user_key))::INTEGER AS unmatched`,
      { run: run.runId },
    );
    const allUsers = [...users.byId.values(), ...staged.missingUsers.values()];
    return {
      conversations: conversations.all.length,
      conversationsWithMessages: staged.conversationsWithMessages,
      messagesKept: counts?.messages ?? 0,
      messagesSkipped: staged.skipped,
      users: allUsers.length,
      bots: allUsers.filter((user) => user.isBot).length,
      usersNotInExport: staged.missingUsers.size,
      unmatchedUsers: counts?.unmatched ?? 0,
      invalidTimezones: users.invalidTimezones,
      dayFiles: layout.dayFileCount,
    };
  } catch (error) {
    await writer.abandon();
    throw error;
  } finally {
    await importUsers?.drop();
  }
}
