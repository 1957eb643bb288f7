/**
 * `syncbalance sync slack`: Slack metadata read with the Web API, incrementally, into the same raw
 * tables the export importer writes (see docs/sources-slack.md).
 *
 * A run reads users and the conversation list, then each conversation's history from its
 * watermark (or from the start of its rescan window, whichever is earlier) up to the run's start
 * instant, and the replies of every thread whose latest reply or reply count differs from what is
 * stored. Conversations are fetched a few at a time but written one at a time, each in its own
 * transaction with its new state, so a crash loses at most the conversations in flight and the
 * rerun reads them again. The run records coverage only when every conversation it could read
 * was read up to its start; otherwise those weeks stay unknown.
 *
 * Metadata only: each response is reduced by the zod schemas in `schema.ts` as it arrives, and
 * nothing below keeps, logs or reports a field they do not name.
 */
import { existsSync } from 'node:fs';
import type { RetryOptions } from '@slack/web-api';
import { z } from 'zod';
import type { Config } from '../../warehouse/config.ts';
import { credentialPath, readCredential } from '../../warehouse/credentials.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { InputError } from '../../warehouse/errors.ts';
import type { Pseudonymizer } from '../../warehouse/identity.ts';
import {
  formatSlackTs,
  SlackBatchWriter,
  type ConversationType,
  type SlackMessage,
  type SlackUser,
} from '../../warehouse/raw/slack.ts';
import {
  readSyncStates,
  readThreadStates,
  recordConversationError,
  recordConversationSynced,
  removeMessagesGoneFromSlack,
  type ConversationSyncState,
  type SyncErrorCode,
} from '../../warehouse/raw/slack-sync.ts';
import type { Reporter } from '../../warehouse/reporter.ts';
import { beginRun, completeRun, recordRun } from '../../warehouse/runs.ts';
import { isTimeZone } from '../../warehouse/schedule.ts';
import type { Environment } from '../../warehouse/secrets.ts';
import { localTimeToMicros } from '../../warehouse/zoned-time.ts';
import { skipReason } from '../slack-export/schema.ts';
import {
  ConversationUnreadable,
  SlackCallFailed,
  SlackClient,
  UNREADABLE_CODES,
  type RequestCounts,
  type UnreadableCode,
} from './client.ts';
import {
  apiConversationSchema,
  apiMessageSchema,
  apiUserSchema,
  authTestSchema,
  conversationsPageSchema,
  messagesPageSchema,
  usersPageSchema,
  type ApiMessage,
} from './schema.ts';

/** The credential file's name beside the warehouse (see `warehouse/credentials.ts`). */
export const SLACK_CREDENTIAL = 'slack-token.json';

const storedCredentialSchema = z.object({ token: z.string().min(1) });

export interface SlackTokenSource {
  readonly dbPath: string;
  readonly env: Environment;
}

/** The token: `SLACK_TOKEN`, else the credential file `connect slack` wrote; undefined if neither. */
export function resolveSlackToken(source: SlackTokenSource): string | undefined {
  if (source.env.SLACK_TOKEN !== undefined) return source.env.SLACK_TOKEN;
  const file = credentialPath(source.dbPath, SLACK_CREDENTIAL);
  const text = readCredential(file);
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = null;
  }
  const parsed = storedCredentialSchema.safeParse(data);
  if (!parsed.success)
    throw InputError.at(
      { file },
      "is not a Slack credential file: run 'syncbalance connect slack' again",
    );
  return parsed.data.token;
}

/** Whether a scheduler should run `syncSlack`: a token is available for this warehouse. */
export function isSlackConfigured(source: SlackTokenSource & { readonly config: Config }): boolean {
  return (
    source.env.SLACK_TOKEN !== undefined ||
    existsSync(credentialPath(source.dbPath, SLACK_CREDENTIAL))
  );
}

export interface SlackSyncOptions {
  readonly db: Warehouse;
  readonly config: Config;
  readonly pseudonymizer: Pseudonymizer;
  readonly reporter: Reporter;
  readonly token: string;
  /** The run's start instant comes from here: history is read up to it. */
  readonly clock: () => Date;
  /** Re-read every conversation from the start of the history, every thread in full. */
  readonly full?: boolean;
  /** Read every conversation from this date (midnight in the organisation's zone) at least. */
  readonly since?: string;
  /** Tests only: the WebClient's retry policy and the wait function. */
  readonly retryConfig?: RetryOptions;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface SlackSyncSummary {
  readonly runId: number;
  /** The run's start instant (ISO): history is complete up to it for every conversation read. */
  readonly syncedThrough: string;
  /** Conversations the token lists. */
  readonly conversations: number;
  readonly conversationsRead: number;
  /** Conversations Slack refused to this token, by reason. */
  readonly unreadable: Readonly<Record<UnreadableCode, number>>;
  /** Conversations not read because Slack kept failing; rerun to finish them. */
  readonly failed: number;
  readonly messagesWritten: number;
  /** Messages deleted in Slack, removed from the warehouse. */
  readonly messagesRemoved: number;
  readonly threadsRead: number;
  readonly users: number;
  readonly bots: number;
  /** Conversation types the token lacks the `:read` scope for (not listed at all). */
  readonly typesNotListed: readonly ConversationType[];
  /** The period recorded as complete, or null when the run was not complete. */
  readonly coverage: { readonly start: string; readonly end: string } | null;
  readonly requests: RequestCounts;
}

const READ_SCOPES: Record<ConversationType, string> = {
  public_channel: 'channels:read',
  private_channel: 'groups:read',
  im: 'im:read',
  mpim: 'mpim:read',
};
const HISTORY_SCOPES: Record<ConversationType, string> = {
  public_channel: 'channels:history',
  private_channel: 'groups:history',
  im: 'im:history',
  mpim: 'mpim:history',
};
const TYPES = Object.keys(READ_SCOPES) as ConversationType[];

const DAY_US = 86_400_000_000n;
const SLACKBOT_ID = 'USLACKBOT';
/** History and replies pages: Slack's maximum; it may return fewer. */
const MESSAGES_PAGE = 999;
const LIST_PAGE = 200;
/** Messages read but not yet written at which fetching pauses for the writer. */
const MAX_BACKLOG = 200_000;

const workspaceStateSchema = z.object({
  teamId: z.string(),
  historyStart: z.string().regex(/^\d+$/),
});

/** One conversation as read from Slack: metadata only, ready to write. */
interface ConversationRead {
  readonly messages: ApiMessage[];
  readonly threadsRead: bigint[];
  readonly newestTs: bigint | null;
}

interface Planned {
  readonly id: string;
  readonly key: string;
  readonly type: ConversationType;
  readonly oldest: bigint;
  readonly syncedFrom: bigint;
  readonly readAllThreads: boolean;
}

function toMicros(date: Date): bigint {
  return BigInt(date.getTime()) * 1000n;
}

function isoOf(micros: bigint): string {
  return new Date(Number(micros / 1000n)).toISOString();
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : nouns}`;
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}

/** Whether an API message is kept, by the export importer's rules plus the API's tombstones. */
function kept(message: ApiMessage): boolean {
  // A deleted parent that still has replies comes back as a tombstone: the message is gone.
  return skipReason(message) === null && message.subtype !== 'tombstone';
}

export async function syncSlack(options: SlackSyncOptions): Promise<SlackSyncSummary> {
  const { db, config, pseudonymizer, reporter } = options;
  const startedAt = options.clock();
  const runEnd = toMicros(startedAt);
  const client = new SlackClient({
    token: options.token,
    reporter,
    concurrency: config.slack.concurrency,
    apiUrl: config.slack.apiUrl,
    retryConfig: options.retryConfig,
    sleep: options.sleep,
  });

  const auth = await client.call('auth.test', {}, authTestSchema);
  const scopes = auth.response_metadata?.scopes ?? null;
  const granted = (scope: string): boolean => scopes === null || scopes.includes(scope);
  if (!granted('users:read'))
    throw new InputError(
      "the Slack token lacks the users:read scope, so no message can be matched to a person: add it to the app (docs/slack-app-manifest.yaml), reinstall, and run 'syncbalance connect slack' again",
    );
  const types = TYPES.filter((type) => granted(READ_SCOPES[type]));
  const typesNotListed = TYPES.filter((type) => !granted(READ_SCOPES[type]));
  if (types.length === 0)
    throw new InputError(
      'the Slack token has none of the channels:read, groups:read, im:read, mpim:read scopes, so it can see no conversation',
    );
  for (const type of typesNotListed)
    reporter.warn(
      `the Slack token lacks ${READ_SCOPES[type]}: ${type.replace('_', ' ')} conversations are not read, and their messages are not counted`,
    );

  // Users and the conversation list, as Slack shows them to this token.
  const users: SlackUser[] = [];
  const userKeys = new Map<string, string>();
  for await (const page of client.pages('users.list', { limit: LIST_PAGE }, usersPageSchema)) {
    for (const member of page.members) {
      const parsed = apiUserSchema.safeParse(member);
      if (!parsed.success) throw new SlackCallFailed('users.list', 'unexpected_response');
      const user = parsed.data;
      const key = pseudonymizer.slackUser(user.id);
      const email = user.profile?.email?.trim() ?? '';
      const zone = user.tz ?? null;
      userKeys.set(user.id, key);
      users.push({
        userKey: key,
        emailPersonId: email === '' ? null : pseudonymizer.person(email),
        timezone: zone !== null && isTimeZone(zone) ? zone : null,
        isBot: user.id === SLACKBOT_ID || user.is_bot === true || user.is_workflow_bot === true,
        isDeleted: user.deleted === true,
      });
    }
  }
  const listed = new Map<string, { id: string; type: ConversationType }>();
  for await (const page of client.pages(
    'conversations.list',
    { types: types.join(','), limit: LIST_PAGE, exclude_archived: false },
    conversationsPageSchema,
  )) {
    for (const channel of page.channels) {
      const parsed = apiConversationSchema.safeParse(channel);
      if (!parsed.success) throw new SlackCallFailed('conversations.list', 'unexpected_response');
      listed.set(parsed.data.id, parsed.data);
    }
  }
  const conversations = [...listed.values()];

  // The run's log entry, users and conversations land first, so partial progress is attributed.
  const { run, historyStart, storedUsers } = await db.transaction(async () => {
    const workspace = await readWorkspaceState(db);
    if (workspace !== null && workspace.teamId !== auth.team_id)
      throw new InputError(
        `the Slack token belongs to another workspace than the one this warehouse syncs (team ${workspace.teamId}): use the token of that workspace, or another --db`,
      );
    const sinceStart =
      options.since === undefined ? null : localTimeToMicros(options.since, 0, config.timezone);
    if (sinceStart !== null && sinceStart >= runEnd)
      throw new InputError(`--since: ${options.since} is not in the past`);
    const start =
      sinceStart ??
      (workspace === null
        ? runEnd - BigInt(config.slack.historyDays) * DAY_US
        : BigInt(workspace.historyStart));
    const begun = await beginRun(db, 'slack_api', pseudonymizer);
    await recordRun(db, begun, { complete: false });
    const batch = await SlackBatchWriter.begin(db, begun);
    try {
      for (const user of users) batch.addUser(user);
      for (const conversation of conversations)
        batch.addConversation({
          conversationKey: pseudonymizer.slackConversation(conversation.id),
          type: conversation.type,
        });
      await batch.finish();
    } catch (error) {
      await batch.abandon();
      throw error;
    }
    const first =
      workspace === null
        ? start
        : BigInt(workspace.historyStart) < start
          ? BigInt(workspace.historyStart)
          : start;
    await writeWorkspaceState(db, { teamId: auth.team_id, historyStart: first.toString() });
    const known = await db.parse(
      z.object({ user_key: z.string() }),
      `SELECT user_key FROM raw.slack_users`,
    );
    return {
      run: begun,
      historyStart: start,
      storedUsers: new Set(known.map((row) => row.user_key)),
    };
  });

  const states = await readSyncStates(db);
  const rescanStart = runEnd - BigInt(config.slack.rescanDays) * DAY_US;
  const plans = conversations.map((conversation) =>
    plan(conversation, pseudonymizer.slackConversation(conversation.id), states, {
      historyStart,
      rescanStart,
      full: options.full === true,
      since: options.since !== undefined,
    }),
  );

  const threadStates = await readThreadStates(db);
  const unreadable = Object.fromEntries(UNREADABLE_CODES.map((code) => [code, 0])) as Record<
    UnreadableCode,
    number
  >;
  const unreadableTypes = new Map<string, number>();
  let failed = 0;
  let done = 0;
  let messagesWritten = 0;
  let messagesRead = 0;
  let messagesRemoved = 0;
  let threadsRead = 0;
  // Held in an object: it is updated inside the writers' closures.
  const covered: { start: bigint | null } = { start: null };
  const progress = reporter.progress('Syncing Slack', 'conversations', plans.length);
  const progressStarted = Date.now();
  const noteProgress = (): void => {
    const minutes = (Date.now() - progressStarted) / 60_000;
    const perMinute = minutes > 0 ? Math.round(client.requests.total / minutes) : 0;
    const remaining = plans.length - done;
    const eta =
      done > 0 && remaining > 0
        ? ` · ETA ${formatDuration(((Date.now() - progressStarted) / 1000 / done) * remaining)}`
        : '';
    progress.note?.(`${plural(messagesRead, 'message')} · ${perMinute} requests/min${eta}`);
  };

  // Conversations are fetched side by side but written by one writer: whatever has been read by
  // the time the previous commit ends is committed together, each conversation with its state.
  type Pending =
    | { readonly planned: Planned; readonly read: ConversationRead }
    | { readonly planned: Planned; readonly error: SyncErrorCode };
  const pending: Pending[] = [];
  // Held in objects: they are updated inside the workers' and the writer's closures.
  const stop: { error: Error | null } = { error: null };
  const writer: { busy: Promise<void> | null; backlog: number } = { busy: null, backlog: 0 };

  const writeGroup = async (group: readonly Pending[]): Promise<void> => {
    const batch = await SlackBatchWriter.begin(db, run);
    try {
      const keyOf = (id: string, postedByBot: boolean): string => {
        const known = userKeys.get(id);
        if (known !== undefined) return known;
        // Someone users.list does not show (a Slack Connect guest): keep what is known of them.
        const key = pseudonymizer.slackUser(id);
        userKeys.set(id, key);
        if (!storedUsers.has(key)) {
          storedUsers.add(key);
          batch.addUser({
            userKey: key,
            emailPersonId: null,
            timezone: null,
            isBot: id === SLACKBOT_ID || postedByBot,
            isDeleted: false,
          });
        }
        return key;
      };
      for (const item of group) {
        if (!('read' in item)) continue;
        for (const message of item.read.messages)
          batch.addMessage(toRow(item.planned.key, message, keyOf));
      }
      await batch.finish();
    } catch (error) {
      await batch.abandon();
      throw error;
    }
    for (const item of group) {
      const { planned } = item;
      if (!('read' in item)) {
        await recordConversationError(db, run, planned.key, item.error, runEnd);
        continue;
      }
      const removed = await removeMessagesGoneFromSlack(
        db,
        run,
        planned.key,
        { oldest: planned.oldest, latest: runEnd },
        item.read.threadsRead,
      );
      await recordConversationSynced(db, run, {
        conversationKey: planned.key,
        syncedFrom: planned.syncedFrom,
        syncedThrough: runEnd,
        newestTs: item.read.newestTs,
      });
      messagesWritten += item.read.messages.length;
      messagesRemoved += removed;
      threadsRead += item.read.threadsRead.length;
      if (covered.start === null || planned.syncedFrom > covered.start)
        covered.start = planned.syncedFrom;
    }
  };

  const kick = (): void => {
    if (writer.busy !== null || pending.length === 0 || stop.error !== null) return;
    const group = pending.splice(0);
    const size = group.reduce((n, item) => n + ('read' in item ? item.read.messages.length : 0), 0);
    writer.busy = db
      .transaction(() => writeGroup(group))
      .then(
        () => {
          writer.backlog -= size;
          writer.busy = null;
          kick();
        },
        (error: unknown) => {
          writer.busy = null;
          stop.error ??= error instanceof Error ? error : new Error(String(error));
        },
      );
  };

  const enqueue = async (item: Pending): Promise<void> => {
    pending.push(item);
    if ('read' in item) writer.backlog += item.read.messages.length;
    kick();
    // Bounded memory: fetching waits while the writer is far behind.
    while (writer.backlog > MAX_BACKLOG && writer.busy !== null) await writer.busy;
  };

  const queue = [...plans];
  const worker = async (): Promise<void> => {
    for (let planned = queue.shift(); planned !== undefined; planned = queue.shift()) {
      if (stop.error !== null) return;
      try {
        const read = await readConversation(
          client,
          planned,
          runEnd,
          threadStates.get(planned.key) ?? new Map(),
        );
        messagesRead += read.messages.length;
        await enqueue({ planned, read });
      } catch (error) {
        if (error instanceof ConversationUnreadable) {
          unreadable[error.code] += 1;
          if (error.code === 'missing_scope') {
            const scope = HISTORY_SCOPES[planned.type];
            unreadableTypes.set(scope, (unreadableTypes.get(scope) ?? 0) + 1);
          }
          await enqueue({ planned, error: error.code });
        } else if (error instanceof SlackCallFailed) {
          failed += 1;
          await enqueue({ planned, error: 'failed' });
        } else {
          stop.error ??= error instanceof Error ? error : new Error(String(error));
          return;
        }
      }
      done += 1;
      progress.advance();
      noteProgress();
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.max(1, config.slack.concurrency.tier3) }, () => worker()),
    );
    while (writer.busy !== null) await writer.busy;
  } finally {
    progress.done();
  }
  if (stop.error !== null) throw stop.error;

  const readCount = plans.length - failed - UNREADABLE_CODES.reduce((n, c) => n + unreadable[c], 0);
  const start = covered.start;
  const coverage = failed === 0 && start !== null && start < runEnd ? { start, end: runEnd } : null;
  const summary: SlackSyncSummary = {
    runId: run.runId,
    syncedThrough: startedAt.toISOString(),
    conversations: plans.length,
    conversationsRead: readCount,
    unreadable,
    failed,
    messagesWritten,
    messagesRemoved,
    threadsRead,
    users: users.length,
    bots: users.filter((user) => user.isBot).length,
    typesNotListed,
    coverage: coverage === null ? null : { start: isoOf(coverage.start), end: isoOf(coverage.end) },
    requests: client.requests,
  };
  await db.transaction(async () => {
    if (coverage !== null) {
      const batch = await SlackBatchWriter.begin(db, run);
      batch.coverWindow(coverage);
      await batch.finish();
    }
    await completeRun(db, run, runSummary(summary));
  });

  for (const [scope, count] of unreadableTypes)
    reporter.warn(
      `${plural(count, 'conversation')} not read: the token lacks ${scope} (add it to the app and reinstall)`,
    );
  if (unreadable.not_in_channel > 0)
    reporter.warn(
      `${plural(unreadable.not_in_channel, 'channel')} not read: the app is not a member (invite it, or connect a user token)`,
    );
  if (unreadable.channel_not_found > 0)
    reporter.warn(
      `${plural(unreadable.channel_not_found, 'conversation')} vanished while syncing (deleted, or access removed)`,
    );
  if (failed > 0)
    reporter.warn(
      `${plural(failed, 'conversation')} not read because Slack kept failing: no coverage recorded for this run; run 'syncbalance sync slack' again`,
    );
  reporter.result(formatSummary(summary));
  return summary;
}

function plan(
  conversation: { id: string; type: ConversationType },
  key: string,
  states: ReadonlyMap<string, ConversationSyncState>,
  window: { historyStart: bigint; rescanStart: bigint; full: boolean; since: boolean },
): Planned {
  const state = states.get(key);
  const base = { id: conversation.id, key, type: conversation.type };
  if (window.full || state?.syncedFrom == null || state.syncedThrough == null) {
    return {
      ...base,
      oldest: window.historyStart,
      syncedFrom: window.historyStart,
      readAllThreads: true,
    };
  }
  const watermark = state.newestTs ?? state.syncedThrough;
  let oldest = watermark < window.rescanStart ? watermark : window.rescanStart;
  if (oldest < state.syncedFrom) oldest = state.syncedFrom;
  if (window.since && window.historyStart < oldest) oldest = window.historyStart;
  // A read that reaches back past the stored window, or one that leaves a gap, restarts it.
  const syncedFrom =
    oldest <= state.syncedFrom ? oldest : oldest <= state.syncedThrough ? state.syncedFrom : oldest;
  return {
    ...base,
    oldest,
    syncedFrom,
    readAllThreads: window.since && oldest === window.historyStart,
  };
}

async function readConversation(
  client: SlackClient,
  planned: Planned,
  runEnd: bigint,
  threads: ReadonlyMap<bigint, { latestReply: bigint; replies: number }>,
): Promise<ConversationRead> {
  const messages: ApiMessage[] = [];
  const parents: ApiMessage[] = [];
  let newestTs: bigint | null = null;
  for await (const page of client.pages(
    'conversations.history',
    {
      channel: planned.id,
      oldest: formatSlackTs(planned.oldest),
      latest: formatSlackTs(runEnd),
      inclusive: false,
      limit: MESSAGES_PAGE,
    },
    messagesPageSchema,
  )) {
    for (const entry of page.messages) {
      const parsed = apiMessageSchema.safeParse(entry);
      if (!parsed.success)
        throw new SlackCallFailed('conversations.history', 'unexpected_response');
      const message = parsed.data;
      if (newestTs === null || message.ts > newestTs) newestTs = message.ts;
      if (message.thread_ts === message.ts) parents.push(message);
      if (kept(message)) messages.push(message);
    }
  }
  const threadsRead: bigint[] = [];
  for (const parent of parents) {
    const stored = threads.get(parent.ts);
    const replyCount = parent.reply_count ?? 0;
    // A parent without replies, now or stored, has no thread to read.
    if (replyCount === 0 && parent.latest_reply == null && stored === undefined) continue;
    const changed =
      planned.readAllThreads ||
      replyCount !== (stored?.replies ?? 0) ||
      (parent.latest_reply != null &&
        (stored === undefined || parent.latest_reply > stored.latestReply));
    if (!changed) continue;
    threadsRead.push(parent.ts);
    for await (const page of client.pages(
      'conversations.replies',
      { channel: planned.id, ts: formatSlackTs(parent.ts), limit: MESSAGES_PAGE },
      messagesPageSchema,
    )) {
      for (const entry of page.messages) {
        const parsed = apiMessageSchema.safeParse(entry);
        if (!parsed.success)
          throw new SlackCallFailed('conversations.replies', 'unexpected_response');
        const reply = parsed.data;
        // Slack repeats the parent on every page; history already gave it.
        if (reply.ts === parent.ts || reply.thread_ts !== parent.ts) continue;
        if (kept(reply)) messages.push(reply);
      }
    }
  }
  return { messages, threadsRead, newestTs };
}

function toRow(
  conversationKey: string,
  message: ApiMessage,
  keyOf: (id: string, postedByBot: boolean) => string,
): SlackMessage {
  return {
    conversationKey,
    ts: message.ts,
    userKey: message.user === null ? null : keyOf(message.user, message.bot_id !== null),
    threadTs: message.thread_ts ?? null,
    parentUserKey: message.parent_user_id === null ? null : keyOf(message.parent_user_id, false),
    subtype: message.subtype,
    botId: message.bot_id,
    replyCount: message.reply_count ?? null,
    editedTs: message.edited?.ts ?? null,
  };
}

async function readWorkspaceState(
  db: Warehouse,
): Promise<z.output<typeof workspaceStateSchema> | null> {
  const row = await db.one(
    `SELECT state::VARCHAR AS state FROM meta.ingest_state WHERE source = 'slack_api' AND scope = 'workspace'`,
  );
  if (row === undefined) return null;
  return workspaceStateSchema.parse(JSON.parse(z.string().parse(row['state'])));
}

async function writeWorkspaceState(
  db: Warehouse,
  state: z.output<typeof workspaceStateSchema>,
): Promise<void> {
  await db.run(
    `INSERT INTO meta.ingest_state VALUES ('slack_api', 'workspace', $1::JSON, now())
     ON CONFLICT (source, scope) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    [JSON.stringify(state)],
  );
}

function runSummary(summary: SlackSyncSummary): Record<string, number | string | boolean | null> {
  return {
    complete: summary.coverage !== null,
    conversations: summary.conversations,
    conversations_read: summary.conversationsRead,
    ...Object.fromEntries(
      UNREADABLE_CODES.map((code) => [`unreadable_${code}`, summary.unreadable[code]]),
    ),
    failed: summary.failed,
    messages_written: summary.messagesWritten,
    messages_removed: summary.messagesRemoved,
    threads_read: summary.threadsRead,
    users: summary.users,
    bots: summary.bots,
    requests: summary.requests.total,
    rate_limited: summary.requests.rateLimited,
    waited_seconds: summary.requests.waitedSeconds,
    synced_through: summary.syncedThrough,
  };
}

function formatSummary(summary: SlackSyncSummary): string {
  const unreadable = UNREADABLE_CODES.reduce((n, code) => n + summary.unreadable[code], 0);
  const waits =
    summary.requests.rateLimited > 0
      ? `, ${plural(summary.requests.rateLimited, 'rate-limit wait')} (${formatDuration(summary.requests.waitedSeconds)})`
      : '';
  const coverage =
    summary.coverage === null
      ? 'no coverage recorded (incomplete run)'
      : `complete from ${summary.coverage.start.slice(0, 10)} to ${summary.coverage.end.replace('.000Z', 'Z')}`;
  return (
    `Synced Slack: ${plural(summary.conversationsRead, 'conversation')} read of ${summary.conversations.toLocaleString('en-US')}` +
    (unreadable > 0
      ? ` (${unreadable.toLocaleString('en-US')} not readable with this token)`
      : '') +
    (summary.failed > 0 ? `, ${summary.failed.toLocaleString('en-US')} failed` : '') +
    `, ${plural(summary.messagesWritten, 'message')} written, ${summary.messagesRemoved.toLocaleString('en-US')} removed (deleted in Slack), ` +
    `${plural(summary.threadsRead, 'thread')} read, ${plural(summary.users, 'user')} (${plural(summary.bots, 'bot')}), ` +
    `${plural(summary.requests.total, 'request')}${waits}; ${coverage}`
  );
}
