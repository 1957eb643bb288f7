/**
 * The one place the sync talks to Slack: the official `WebClient` with its retry policy and
 * `Retry-After` handling, plus what it lacks for a long sync: bounded concurrency per method tier,
 * retries of `ratelimited` bodies and transient platform errors, request counting, and errors
 * sorted into three kinds (the token is bad: stop; this conversation cannot be read: note it and go
 * on; Slack failed: the conversation stays incomplete).
 *
 * The client's own logger is silenced: at debug level it prints whole response bodies, which hold
 * message text. Rate-limit waits are reported through the `rate_limited` event instead.
 */
import {
  LogLevel,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
  WebClientEvent,
  type Logger,
  type RetryOptions,
} from '@slack/web-api';
import type { z } from 'zod';
import { InputError, RuntimeFailure } from '../../warehouse/errors.ts';
import type { Reporter } from '../../warehouse/reporter.ts';

/** Slack's rate-limit tiers of the methods the sync calls. */
export type Tier = 'tier2' | 'tier3' | 'tier4';

export const METHOD_TIERS = {
  'auth.test': 'tier4',
  'users.list': 'tier2',
  'conversations.list': 'tier2',
  'conversations.history': 'tier3',
  'conversations.replies': 'tier3',
} as const satisfies Record<string, Tier>;
export type SlackMethod = keyof typeof METHOD_TIERS;

/** Errors that mean one conversation cannot be read with this token; the run goes on. */
export const UNREADABLE_CODES = ['not_in_channel', 'missing_scope', 'channel_not_found'] as const;
export type UnreadableCode = (typeof UNREADABLE_CODES)[number];

/** Errors that mean the token itself is unusable; nothing else can succeed. */
const TOKEN_CODES = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'no_permission',
  'ekm_access_denied',
  'team_access_not_granted',
]);

/** Slack's own transient failures, worth a few more tries after a pause. */
const TRANSIENT_CODES = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** The token was refused: the user must connect a new one. Exit code 2, like other bad input. */
export class SlackTokenRejected extends InputError {}

/** Slack refused to show one conversation to this token. */
export class ConversationUnreadable extends Error {
  readonly code: UnreadableCode;
  constructor(code: UnreadableCode) {
    super(code);
    this.code = code;
  }
}

/** Slack kept failing (or answered something unexpected) for one call. */
export class SlackCallFailed extends RuntimeFailure {
  readonly code: string;
  constructor(method: string, code: string) {
    super(`Slack's ${method} failed (${code})`);
    this.code = code;
  }
}

export interface SlackClientOptions {
  readonly token: string;
  readonly reporter: Reporter;
  readonly concurrency: Readonly<Record<Tier, number>>;
  /** Only for emulators in tests; production uses Slack's own address. */
  readonly apiUrl?: string | undefined;
  /** The WebClient's retry policy; tests pass a fast one. */
  readonly retryConfig?: RetryOptions | undefined;
  /** How long to wait, in ms (tests of `ratelimited` bodies pass a fast one). */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
}

export interface RequestCounts {
  /** HTTP requests sent, by method, including retries and 429s. */
  readonly byMethod: Readonly<Record<string, number>>;
  readonly total: number;
  readonly rateLimited: number;
  /** Seconds Slack asked us to wait, summed. */
  readonly waitedSeconds: number;
}

const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

/** A FIFO semaphore. */
class Limiter {
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #limit: number;
  constructor(limit: number) {
    this.#limit = limit;
  }
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#limit)
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#active += 1;
    try {
      return await work();
    } finally {
      this.#active -= 1;
      this.#waiting.shift()?.();
    }
  }
}

/** Ten tries over about half an hour, as the client's own default, but never faster than Slack asks. */
const PRODUCTION_RETRY: RetryOptions = {
  retries: 10,
  factor: 1.96821,
  minTimeout: 1000,
  maxTimeout: 300_000,
  randomize: true,
};

/**
 * A 429 or `ratelimited` answer is retried after the wait Slack asks for, as often as it takes: a
 * workspace held to one request a minute still finishes. The bound only stops a broken server.
 */
const MAX_RATE_LIMITED = 500;
const MAX_TRANSIENT = 4;

function methodOf(url: string): string {
  return url.split('/').pop() ?? url;
}

export class SlackClient {
  readonly #client: WebClient;
  readonly #limiters: Record<Tier, Limiter>;
  readonly #reporter: Reporter;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #byMethod: Record<string, number> = {};
  #total = 0;
  #rateLimited = 0;
  #waitedSeconds = 0;
  /** No request starts before this instant (ms): a rate limit pauses every tier, as Slack asks. */
  #notBefore = 0;

  constructor(options: SlackClientOptions) {
    this.#reporter = options.reporter;
    this.#sleep =
      options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))));
    this.#limiters = {
      tier2: new Limiter(options.concurrency.tier2),
      tier3: new Limiter(options.concurrency.tier3),
      tier4: new Limiter(options.concurrency.tier4),
    };
    const counted: typeof fetch = async (input, init) => {
      const method = methodOf(
        typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      );
      this.#byMethod[method] = (this.#byMethod[method] ?? 0) + 1;
      this.#total += 1;
      return fetch(input, init);
    };
    this.#client = new WebClient(options.token, {
      ...(options.apiUrl === undefined ? {} : { slackApiUrl: options.apiUrl }),
      logger: silentLogger,
      retryConfig: options.retryConfig ?? PRODUCTION_RETRY,
      maxRequestConcurrency:
        options.concurrency.tier2 + options.concurrency.tier3 + options.concurrency.tier4,
      fetch: counted,
      timeout: 60_000,
      // 429s come back to `call`, which pauses every request for the wait Slack asks for.
      rejectRateLimitedCalls: true,
    });
    this.#client.on(WebClientEvent.RATE_LIMITED, (seconds: number, request: { url: string }) => {
      this.#noteWait(methodOf(request.url), seconds);
    });
  }

  #noteWait(method: string, seconds: number): void {
    this.#notBefore = Math.max(this.#notBefore, Date.now() + seconds * 1000);
    this.#rateLimited += 1;
    this.#waitedSeconds += seconds;
    this.#reporter.info(
      `Slack rate limit on ${method}: waiting ${seconds} s as Slack asks (Retry-After)`,
    );
  }

  get requests(): RequestCounts {
    return {
      byMethod: { ...this.#byMethod },
      total: this.#total,
      rateLimited: this.#rateLimited,
      waitedSeconds: this.#waitedSeconds,
    };
  }

  /**
   * Calls `method` and validates the answer with `schema` (which drops every field it does not
   * name). Throws `SlackTokenRejected`, `ConversationUnreadable` or `SlackCallFailed`.
   */
  async call<T extends z.ZodType>(
    method: SlackMethod,
    params: Record<string, string | number | boolean>,
    schema: T,
  ): Promise<z.output<T>> {
    return this.#limiters[METHOD_TIERS[method]].run(async () => {
      let rateLimited = 0;
      let transient = 0;
      for (;;) {
        const pause = this.#notBefore - Date.now();
        if (pause > 0) await this.#sleep(pause);
        let result: unknown;
        try {
          result = await this.#client.apiCall(method, params);
        } catch (error) {
          if (error instanceof WebAPIRateLimitedError && rateLimited < MAX_RATE_LIMITED) {
            // Already reported through the client's rate_limited event.
            rateLimited += 1;
            await this.#sleep(error.retryAfter * 1000);
            continue;
          }
          if (error instanceof WebAPIPlatformError) {
            const code = error.data.error;
            if (TOKEN_CODES.has(code)) throw tokenRejected(code);
            if ((UNREADABLE_CODES as readonly string[]).includes(code))
              throw new ConversationUnreadable(code as UnreadableCode);
            if (code === 'ratelimited' && rateLimited < MAX_RATE_LIMITED) {
              rateLimited += 1;
              const seconds =
                error.data.response_metadata?.retryAfter ?? Math.min(60, 2 ** rateLimited);
              this.#noteWait(method, seconds);
              await this.#sleep(seconds * 1000);
              continue;
            }
            if (TRANSIENT_CODES.has(code) && transient < MAX_TRANSIENT) {
              transient += 1;
              await this.#sleep(1000 * 2 ** transient);
              continue;
            }
            throw new SlackCallFailed(method, code);
          }
          // The client already retried network failures and HTTP errors per its policy.
          const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
          throw new RuntimeFailure(`cannot reach Slack (${method}): ${reason ?? 'unknown error'}`);
        }
        const parsed = schema.safeParse(result);
        if (!parsed.success) throw new SlackCallFailed(method, 'unexpected_response');
        return parsed.data;
      }
    });
  }

  /** Every page of a cursor-paged method, each validated by `schema` as it arrives. */
  async *pages<T extends z.ZodType<{ response_metadata: string | null }>>(
    method: SlackMethod,
    params: Record<string, string | number | boolean>,
    schema: T,
  ): AsyncGenerator<z.output<T>> {
    let cursor: string | null = null;
    do {
      const page: z.output<T> = await this.call(
        method,
        cursor === null ? params : { ...params, cursor },
        schema,
      );
      yield page;
      cursor = page.response_metadata;
    } while (cursor !== null);
  }
}

function tokenRejected(code: string): SlackTokenRejected {
  const why =
    code === 'token_revoked'
      ? 'the Slack token was revoked'
      : code === 'token_expired'
        ? 'the Slack token has expired'
        : code === 'account_inactive'
          ? "the Slack token's account or app was deactivated"
          : 'Slack did not accept the token';
  return new SlackTokenRejected(
    `${why} (${code}): create a new token for the syncbalance app and run 'syncbalance connect slack --token-file FILE'`,
  );
}
