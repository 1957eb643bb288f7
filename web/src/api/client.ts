/**
 * The one API client. Every response is parsed with the shared contract's zod schema, so a
 * mismatch between server and dashboard shows up as a clear error instead of a wrong chart, and
 * every failure arrives as an ApiError carrying the server's error code and message.
 */
import type { z } from 'zod';
import {
  BUILD_HEADER,
  CSRF_HEADER,
  errorBodySchema,
  teamUrlSegment,
  type DistributionMetric,
  type ErrorBody,
} from '../../../server/contract/index.ts';

export type ApiErrorCode = ErrorBody['error']['code'] | 'network' | 'invalid_response';

export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;

  constructor(status: number, code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/** Every address the dashboard calls, in one place. */
export const apiPaths = {
  me: () => '/api/me',
  health: () => '/api/health',
  teams: () => '/api/teams',
  overview: (week: string) => `/api/overview?${query({ week })}`,
  teamWeeks: (team: string, from: string, to: string) =>
    `/api/teams/${teamUrlSegment(team)}/weeks?${query({ from, to })}`,
  distribution: (team: string, metric: DistributionMetric, week: string) =>
    `/api/teams/${teamUrlSegment(team)}/distribution?${query({ metric, week })}`,
  dataHealth: (from: string, to: string) => `/api/data-health?${query({ from, to })}`,
  exportCsv: (team: string, from: string, to: string) =>
    `/api/export.csv?${query({ team, from, to })}`,
  googleSignIn: () => '/api/auth/google',
  signOut: () => '/api/auth/signout',
};

async function failure(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    return new ApiError(response.status, parsed.data.error.code, parsed.data.error.message);
  }
  return new ApiError(
    response.status,
    response.status === 401
      ? 'unauthenticated'
      : response.status >= 500
        ? 'unavailable'
        : 'internal',
    `The server answered ${response.status} ${response.statusText}.`,
  );
}

interface Send {
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

async function send(path: string, { method, headers, body }: Send): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...headers },
      ...(body === undefined ? {} : { body }),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection.');
  }
  if (!response.ok) throw await failure(response);
  return response;
}

function parse<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
  path: string,
): z.infer<Schema> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(
      200,
      'invalid_response',
      `The server's answer to ${path.split('?')[0] ?? path} does not match what this dashboard expects; reload the page to get the current version.`,
    );
  }
  return parsed.data;
}

/** A parsed answer and the published build it was computed from (null if the header is missing). */
export interface Answer<T> {
  readonly data: T;
  readonly build: string | null;
}

export async function getJson<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
): Promise<Answer<z.infer<Schema>>> {
  const response = await send(path, { method: 'GET' });
  const data = parse(schema, await response.json().catch(() => null), path);
  return { data, build: response.headers.get(BUILD_HEADER) };
}

/** State-changing requests carry the CSRF token that /api/me hands out. */
export async function postJson(
  path: string,
  body: unknown,
  csrfToken: string | null,
): Promise<void> {
  await send(path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(csrfToken === null ? {} : { [CSRF_HEADER]: csrfToken }),
    },
    body: JSON.stringify(body),
  });
}
