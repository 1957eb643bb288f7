/**
 * A Slack Web API emulator: a real HTTP server on loopback that the real `@slack/web-api`
 * `WebClient` talks to (through `slackApiUrl`), so the sync is tested end to end without the
 * internet. It implements the methods the sync calls, with Slack's paging, scopes, membership
 * rules and error bodies, over an in-memory workspace that tests change between runs. Faults are
 * switched on per test: 429 with `Retry-After`, `ratelimited` bodies, revoked tokens, short pages.
 * Every request is recorded (method and parameters, never the token).
 *
 * Kept free of vitest so the benchmark and child processes can use it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type EmulatedConversationType = 'public_channel' | 'private_channel' | 'im' | 'mpim';

export interface EmulatedUser {
  id: string;
  deleted?: boolean;
  is_bot?: boolean;
  tz?: string;
  /** Everything else a profile holds (names, titles, status), returned as Slack returns it. */
  [field: string]: unknown;
}

/** A message as Slack stores it; thread replies carry `thread_ts` of their parent. */
export interface EmulatedMessage {
  ts: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  thread_ts?: string;
  edited?: { user?: string; ts: string };
  [field: string]: unknown;
}

export interface EmulatedConversation {
  id: string;
  type: EmulatedConversationType;
  /** Member user ids; private conversations are listed only to members. */
  members: string[];
  messages: EmulatedMessage[];
  /** Free-text fields Slack returns with a conversation (name, topic, purpose). */
  extra?: Record<string, unknown>;
}

export interface EmulatedToken {
  kind: 'user' | 'bot';
  /** The user (or bot user) the token acts as. */
  userId: string;
  scopes: string[];
  revoked?: boolean;
}

export interface EmulatedWorkspace {
  team: { id: string; name: string; domain: string };
  users: EmulatedUser[];
  conversations: EmulatedConversation[];
  tokens: Record<string, EmulatedToken>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly params: Readonly<Record<string, string>>;
  readonly status: number;
  readonly error: string | null;
  /** When it was answered (ms since the epoch). */
  readonly at: number;
}

export interface Faults {
  /** The next this-many requests (to `methods`, default all) answer 429 with `Retry-After`. */
  rateLimit?: { remaining: number; retryAfterSeconds: number; methods?: readonly string[] };
  /** The next this-many requests answer 200 `{ ok: false, error: 'ratelimited' }`. */
  ratelimitedBodies?: { remaining: number; retryAfterSeconds: number };
  /** Pages hold at most this many items, whatever `limit` asks (Slack may return fewer). */
  maxPageSize?: number;
  /**
   * Slack's own limiter, scaled down: at most one accepted request to `methods` per `seconds`;
   * the rest get 429 with the whole seconds until the next slot (as an app held to 1 a minute).
   */
  throttle?: { seconds: number; methods: readonly string[] };
  /** Delay before every answer, so a test can act while a sync is mid-way. */
  delayMs?: number;
  /** Answer this error for these methods (e.g. `internal_error`), for one channel if given. */
  failMethods?: { methods: readonly string[]; error: string; remaining: number; channel?: string };
}

/** The scopes the manifest asks for. */
export const ALL_SCOPES = [
  'channels:read',
  'groups:read',
  'im:read',
  'mpim:read',
  'channels:history',
  'groups:history',
  'im:history',
  'mpim:history',
  'users:read',
  'users:read.email',
];

const READ_SCOPE: Record<EmulatedConversationType, string> = {
  public_channel: 'channels:read',
  private_channel: 'groups:read',
  im: 'im:read',
  mpim: 'mpim:read',
};
const HISTORY_SCOPE: Record<EmulatedConversationType, string> = {
  public_channel: 'channels:history',
  private_channel: 'groups:history',
  im: 'im:history',
  mpim: 'mpim:history',
};

class SlackApiError extends Error {
  readonly code: string;
  readonly extra: Record<string, unknown>;
  constructor(code: string, extra: Record<string, unknown> = {}) {
    super(code);
    this.code = code;
    this.extra = extra;
  }
}

function micros(ts: string): bigint {
  const [seconds = '0', fraction = '0'] = ts.split('.');
  return BigInt(seconds) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw new SlackApiError('invalid_cursor');
  return Number(match[1]);
}

function isHistoryEntry(message: EmulatedMessage): boolean {
  return (
    message.thread_ts === undefined ||
    message.thread_ts === message.ts ||
    message.subtype === 'thread_broadcast'
  );
}

/** A conversation's messages sorted for answering; rebuilt when its message list changes length. */
interface ConversationIndex {
  readonly length: number;
  /** History entries, newest first, with their `ts` as microseconds. */
  readonly history: readonly { readonly micros: bigint; readonly message: EmulatedMessage }[];
  /** Replies by parent `ts`, oldest first. */
  readonly replies: ReadonlyMap<string, readonly EmulatedMessage[]>;
  readonly byTs: ReadonlyMap<string, EmulatedMessage>;
}

export class SlackEmulator {
  workspace: EmulatedWorkspace;
  faults: Faults = {};
  readonly requests: RecordedRequest[] = [];
  /** Called for every request before it is answered (e.g. to kill a child process mid-sync). */
  onRequest: ((method: string, params: Readonly<Record<string, string>>) => void) | null = null;
  readonly #server: Server;
  readonly #indexes = new WeakMap<EmulatedConversation, ConversationIndex>();
  #lastAccepted = 0;
  #url = '';

  private constructor(workspace: EmulatedWorkspace) {
    this.workspace = workspace;
    this.#server = createServer((request, response) => {
      void this.#handle(request, response);
    });
  }

  static async start(workspace: EmulatedWorkspace): Promise<SlackEmulator> {
    const emulator = new SlackEmulator(workspace);
    await new Promise<void>((resolve) => emulator.#server.listen(0, '127.0.0.1', resolve));
    const { port } = emulator.#server.address() as AddressInfo;
    emulator.#url = `http://127.0.0.1:${port}/api/`;
    return emulator;
  }

  /** The `slackApiUrl` to give the WebClient (ends with a slash, as Slack's does). */
  get url(): string {
    return this.#url;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }

  conversation(id: string): EmulatedConversation {
    const found = this.workspace.conversations.find((conversation) => conversation.id === id);
    if (found === undefined) throw new Error(`no emulated conversation ${id}`);
    return found;
  }

  /** Requests for one method, e.g. to count pages. */
  calls(method: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method);
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    delete params['token'];
    const authorization = request.headers.authorization ?? '';
    const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : '';
    this.onRequest?.(method, params);
    if (this.faults.delayMs !== undefined)
      await new Promise((resolve) => setTimeout(resolve, this.faults.delayMs));
    const send = (status: number, body: Record<string, unknown>, headers = {}): void => {
      this.requests.push({
        method,
        params,
        status,
        error: body['ok'] === true ? null : String(body['error']),
        at: Date.now(),
      });
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    const rateLimit = this.faults.rateLimit;
    if (
      rateLimit !== undefined &&
      rateLimit.remaining > 0 &&
      (rateLimit.methods === undefined || rateLimit.methods.includes(method))
    ) {
      rateLimit.remaining -= 1;
      send(
        429,
        { ok: false, error: 'ratelimited' },
        { 'retry-after': String(rateLimit.retryAfterSeconds) },
      );
      return;
    }
    const throttle = this.faults.throttle;
    if (throttle !== undefined && throttle.methods.includes(method)) {
      const wait = this.#lastAccepted + throttle.seconds * 1000 - Date.now();
      if (wait > 0) {
        send(
          429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(Math.ceil(wait / 1000)) },
        );
        return;
      }
      this.#lastAccepted = Date.now();
    }
    const bodies = this.faults.ratelimitedBodies;
    if (bodies !== undefined && bodies.remaining > 0) {
      bodies.remaining -= 1;
      send(
        200,
        { ok: false, error: 'ratelimited' },
        { 'retry-after': String(bodies.retryAfterSeconds) },
      );
      return;
    }
    const failing = this.faults.failMethods;
    if (
      failing !== undefined &&
      failing.remaining > 0 &&
      failing.methods.includes(method) &&
      (failing.channel === undefined || failing.channel === params['channel'])
    ) {
      failing.remaining -= 1;
      send(200, { ok: false, error: failing.error });
      return;
    }
    const grant = this.workspace.tokens[token];
    try {
      if (grant === undefined)
        throw new SlackApiError(token === '' ? 'not_authed' : 'invalid_auth');
      if (grant.revoked === true) throw new SlackApiError('token_revoked');
      const body = this.#answer(method, params, grant);
      send(200, { ok: true, ...body }, { 'x-oauth-scopes': grant.scopes.join(',') });
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      send(
        200,
        { ok: false, error: error.code, ...error.extra },
        grant === undefined ? {} : { 'x-oauth-scopes': grant.scopes.join(',') },
      );
    }
  }

  #require(grant: EmulatedToken, scope: string): void {
    if (!grant.scopes.includes(scope))
      throw new SlackApiError('missing_scope', { needed: scope, provided: grant.scopes.join(',') });
  }

  #page<T>(items: readonly T[], params: Record<string, string>, defaultLimit: number) {
    const offset = decodeCursor(params['cursor']);
    let limit = Math.min(Number(params['limit'] ?? defaultLimit) || defaultLimit, 1000);
    if (this.faults.maxPageSize !== undefined) limit = Math.min(limit, this.faults.maxPageSize);
    const page = items.slice(offset, offset + limit);
    const more = offset + limit < items.length;
    return { page, more, next_cursor: more ? encodeCursor(offset + limit) : '' };
  }

  #visible(grant: EmulatedToken, conversation: EmulatedConversation): boolean {
    return conversation.type === 'public_channel' || conversation.members.includes(grant.userId);
  }

  #readable(grant: EmulatedToken, channel: string | undefined): EmulatedConversation {
    const conversation = this.workspace.conversations.find((c) => c.id === channel);
    if (conversation === undefined || !this.#visible(grant, conversation))
      throw new SlackApiError('channel_not_found');
    this.#require(grant, HISTORY_SCOPE[conversation.type]);
    if (grant.kind === 'bot' && !conversation.members.includes(grant.userId))
      throw new SlackApiError('not_in_channel');
    return conversation;
  }

  #answer(
    method: string,
    params: Record<string, string>,
    grant: EmulatedToken,
  ): Record<string, unknown> {
    const team = this.workspace.team;
    switch (method) {
      case 'auth.test':
        return {
          url: `https://${team.domain}.slack.com/`,
          team: team.name,
          user: 'installer',
          team_id: team.id,
          user_id: grant.userId,
          ...(grant.kind === 'bot' ? { bot_id: 'B0SYNC' } : {}),
          is_enterprise_install: false,
        };
      case 'users.list': {
        this.#require(grant, 'users:read');
        const withEmail = grant.scopes.includes('users:read.email');
        const users = this.workspace.users.map((user) => {
          if (withEmail) return { ...user, team_id: team.id };
          const profile = { ...(user['profile'] as Record<string, unknown> | undefined) };
          delete profile['email'];
          return { ...user, team_id: team.id, profile };
        });
        const { page, next_cursor } = this.#page(users, params, 200);
        return { members: page, cache_ts: 0, response_metadata: { next_cursor } };
      }
      case 'conversations.list': {
        const types = (params['types'] ?? 'public_channel').split(',');
        for (const type of types) {
          const scope = READ_SCOPE[type as EmulatedConversationType] as string | undefined;
          if (scope === undefined) throw new SlackApiError('invalid_types');
          this.#require(grant, scope);
        }
        const listed = this.workspace.conversations
          .filter((c) => types.includes(c.type) && this.#visible(grant, c))
          .map((c) => ({
            id: c.id,
            created: 1_700_000_000,
            is_channel: c.type === 'public_channel' || c.type === 'private_channel',
            is_group: c.type === 'private_channel',
            is_im: c.type === 'im',
            is_mpim: c.type === 'mpim',
            is_private: c.type !== 'public_channel',
            is_archived: false,
            is_member: c.members.includes(grant.userId),
            ...(c.type === 'im' ? { user: c.members.find((m) => m !== grant.userId) } : {}),
            ...c.extra,
          }));
        const { page, next_cursor } = this.#page(listed, params, 100);
        return { channels: page, response_metadata: { next_cursor } };
      }
      case 'conversations.history': {
        const conversation = this.#readable(grant, params['channel']);
        const inclusive = params['inclusive'] === 'true' || params['inclusive'] === '1';
        const oldest = params['oldest'] === undefined ? null : micros(params['oldest']);
        const latest = params['latest'] === undefined ? null : micros(params['latest']);
        const index = this.#index(conversation);
        const entries = index.history
          .filter(({ micros: ts }) => {
            if (oldest !== null && (inclusive ? ts < oldest : ts <= oldest)) return false;
            if (latest !== null && (inclusive ? ts > latest : ts >= latest)) return false;
            return true;
          })
          .map(({ message }) => this.#withThread(conversation, message));
        const { page, more, next_cursor } = this.#page(entries, params, 100);
        return {
          messages: page,
          has_more: more,
          pin_count: 0,
          response_metadata: { next_cursor },
        };
      }
      case 'conversations.replies': {
        const conversation = this.#readable(grant, params['channel']);
        const parent = this.#index(conversation).byTs.get(params['ts'] ?? '');
        if (parent === undefined) throw new SlackApiError('thread_not_found');
        const replies = this.#index(conversation).replies.get(parent.ts) ?? [];
        const { page, more, next_cursor } = this.#page(replies, params, 100);
        // Slack repeats the parent at the top of every page.
        return {
          messages: [this.#withThread(conversation, parent), ...page],
          has_more: more,
          response_metadata: { next_cursor },
        };
      }
      default:
        throw new SlackApiError('unknown_method');
    }
  }

  /** A history entry as Slack returns it: parents carry the thread's counts and latest reply. */
  #withThread(conversation: EmulatedConversation, message: EmulatedMessage): EmulatedMessage {
    const replies = this.#index(conversation).replies.get(message.ts) ?? [];
    const latest = replies.at(-1);
    if (latest === undefined) return message;
    const users = [...new Set(replies.map((reply) => reply.user))];
    return {
      ...message,
      thread_ts: message.ts,
      reply_count: replies.length,
      reply_users_count: users.length,
      reply_users: users,
      latest_reply: latest.ts,
    };
  }

  #index(conversation: EmulatedConversation): ConversationIndex {
    const cached = this.#indexes.get(conversation);
    if (cached?.length === conversation.messages.length) return cached;
    const history = conversation.messages
      .filter(isHistoryEntry)
      .map((message) => ({ micros: micros(message.ts), message }))
      .sort((a, b) => (b.micros > a.micros ? 1 : b.micros < a.micros ? -1 : 0));
    const replies = new Map<string, EmulatedMessage[]>();
    for (const message of conversation.messages) {
      if (message.thread_ts === undefined || message.thread_ts === message.ts) continue;
      const thread = replies.get(message.thread_ts) ?? [];
      thread.push(message);
      replies.set(message.thread_ts, thread);
    }
    for (const thread of replies.values())
      thread.sort((a, b) => (micros(a.ts) > micros(b.ts) ? 1 : -1));
    const byTs = new Map(conversation.messages.map((message) => [message.ts, message]));
    const index = { length: conversation.messages.length, history, replies, byTs };
    this.#indexes.set(conversation, index);
    return index;
  }
}
