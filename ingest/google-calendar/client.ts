/**
 * The one place that talks to Google: auth clients, the Calendar and Directory APIs of the official
 * `googleapis` client, and retries.
 *
 * Exactly one copy of `google-auth-library` signs requests: the one `googleapis` itself uses
 * (`google.auth.OAuth2`, `google.auth.JWT`). `@google-cloud/local-auth` bundles an older copy; a
 * client object from it, handed to `googleapis`, silently sends no `Authorization` header, so the
 * desktop sign-in only borrows its refresh token (see connect.ts).
 *
 * Retries are ours, not the library's (which never retries a 403): rate limits (403
 * `rateLimitExceeded` / `userRateLimitExceeded`, 429) and server errors back off exponentially with
 * full jitter, honouring `Retry-After`. Errors are described by status and reason only, never by a
 * payload, so nothing a calendar holds can reach a log line.
 */
import { google, type Auth, type admin_directory_v1, type calendar_v3 } from 'googleapis';
import { z } from 'zod';
import type { GoogleConfig } from '../../warehouse/config.ts';

export const CALENDAR_SCOPES = [
  'https://www.googleapis.com/auth/calendar.events.readonly',
  'https://www.googleapis.com/auth/calendar.settings.readonly',
] as const;
export const DIRECTORY_SCOPE = 'https://www.googleapis.com/auth/admin.directory.user.readonly';
/** The desktop sign-in also asks who signed in (`email` in the ID token): their calendar's owner. */
export const DESKTOP_SCOPES = [...CALENDAR_SCOPES, 'openid', 'email'] as const;

/** Where `google-auth-library` sends every token request; redirected only for emulators. */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export type ApiAuth = Auth.OAuth2Client | Auth.JWT;

export function calendarApi(auth: ApiAuth, config: GoogleConfig): calendar_v3.Calendar {
  // The global `google.options({ rootUrl })` does not redirect requests: it must be per API.
  return google.calendar({
    version: 'v3',
    auth,
    ...(config.rootUrl === undefined ? {} : { rootUrl: config.rootUrl }),
  });
}

export function directoryApi(auth: ApiAuth, config: GoogleConfig): admin_directory_v1.Admin {
  return google.admin({
    version: 'directory_v1',
    auth,
    ...(config.rootUrl === undefined ? {} : { rootUrl: config.rootUrl }),
  });
}

/** An OAuth client of the desktop connection, refreshing its access token from the stored refresh token. */
export function desktopAuth(
  client: { clientId: string; clientSecret: string; refreshToken: string },
  config: GoogleConfig,
): Auth.OAuth2Client {
  const auth = new google.auth.OAuth2({
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    ...(config.tokenUrl === undefined ? {} : { endpoints: { oauth2TokenUrl: config.tokenUrl } }),
  });
  auth.setCredentials({ refresh_token: client.refreshToken });
  return auth;
}

/** A service account acting as `subject` (domain-wide delegation). */
export function serviceAccountAuth(
  key: { clientEmail: string; privateKey: string },
  subject: string,
  scopes: readonly string[],
  config: GoogleConfig,
): Auth.JWT {
  const auth = new google.auth.JWT({
    email: key.clientEmail,
    key: key.privateKey,
    scopes: [...scopes],
    subject,
  });
  const tokenUrl = config.tokenUrl;
  if (tokenUrl !== undefined) {
    // The JWT grant's endpoint is fixed inside the library; its transporter is the one seam.
    auth.transporter.interceptors.request.add({
      resolved: (options) => {
        if (options.url.toString() === GOOGLE_TOKEN_URL) options.url = new URL(tokenUrl);
        return Promise.resolve(options);
      },
    });
  }
  return auth;
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  /** Longest single wait. */
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

const errorBody = z.object({
  error: z.union([
    z.object({
      errors: z.array(z.object({ reason: z.string().optional() })).optional(),
      status: z.string().optional(),
    }),
    // The token endpoint's errors: `{"error": "unauthorized_client", ...}`.
    z.string(),
  ]),
});

export interface ApiErrorFacts {
  /** HTTP status, or null for a network failure. */
  readonly status: number | null;
  readonly reason: string | null;
  /** Seconds from `Retry-After`, when given. */
  readonly retryAfter: number | null;
}

/** Status and reason of a failed request (a GaxiosError or a network error), nothing else. */
export function errorFacts(error: unknown): ApiErrorFacts {
  if (typeof error !== 'object' || error === null)
    return { status: null, reason: null, retryAfter: null };
  const response: unknown = 'response' in error ? error.response : undefined;
  let status: number | null = null;
  let reason: string | null = null;
  let retryAfter: number | null = null;
  if (typeof response === 'object' && response !== null) {
    if ('status' in response && typeof response.status === 'number') status = response.status;
    if ('data' in response) {
      const body = errorBody.safeParse(response.data);
      if (body.success) {
        const detail = body.data.error;
        reason =
          typeof detail === 'string'
            ? detail
            : (detail.errors?.[0]?.reason ?? detail.status ?? null);
      }
    }
    if ('headers' in response && response.headers instanceof Headers) {
      const header = response.headers.get('retry-after');
      if (header !== null && /^\d+$/.test(header.trim())) retryAfter = Number(header.trim());
    }
  }
  if (status === null && 'status' in error && typeof error.status === 'number')
    status = error.status;
  if (reason === null && status === null && 'code' in error && typeof error.code === 'string')
    reason = error.code;
  // Reasons are identifiers (`rateLimitExceeded`); anything else is not repeated.
  if (reason !== null && !/^[A-Za-z0-9_.-]{1,64}$/.test(reason)) reason = null;
  return { status, reason, retryAfter };
}

export function describeError(facts: ApiErrorFacts): string {
  if (facts.status === null)
    return `network error${facts.reason === null ? '' : ` ${facts.reason}`}`;
  return `HTTP ${facts.status}${facts.reason === null ? '' : ` ${facts.reason}`}`;
}

const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

export function isRetryable(facts: ApiErrorFacts): boolean {
  if (facts.status === null) return true;
  if (facts.status === 429 || facts.status >= 500) return true;
  return facts.status === 403 && facts.reason !== null && RATE_LIMIT_REASONS.has(facts.reason);
}

/** An API request that failed for good (after retries, or at once when retrying cannot help). */
export class GoogleApiError extends Error {
  readonly facts: ApiErrorFacts;
  readonly attempts: number;

  constructor(facts: ApiErrorFacts, attempts: number) {
    super(describeError(facts));
    this.name = 'GoogleApiError';
    this.facts = facts;
    this.attempts = attempts;
  }
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Runs `request`, retrying what is worth retrying. The wait before retry n (1-based) is drawn
 * uniformly from [0, base · 2^(n-1)] ("full jitter", so many calendars hitting a quota at once do
 * not retry in lockstep), at least `Retry-After` when the server says so.
 */
export async function withRetry<T>(
  request: () => Promise<T>,
  policy: RetryPolicy,
  onRetry?: (facts: ApiErrorFacts) => void,
): Promise<T> {
  const sleep = policy.sleep ?? defaultSleep;
  const random = policy.random ?? Math.random;
  const maxDelay = policy.maxDelayMs ?? 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const facts = errorFacts(error);
      if (!isRetryable(facts) || attempt >= policy.attempts)
        throw new GoogleApiError(facts, attempt);
      onRetry?.(facts);
      const ceiling = Math.min(maxDelay, policy.baseDelayMs * 2 ** (attempt - 1));
      const wait = Math.max(random() * ceiling, (facts.retryAfter ?? 0) * 1000);
      await sleep(Math.min(wait, maxDelay));
    }
  }
}
