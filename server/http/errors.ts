/**
 * One error shape for every error the API answers: `{ "error": { "code", "message" } }`, with the
 * HTTP status that matches the code. Messages are written for the person using the dashboard and
 * never carry internals (SQL, stack traces, file paths) or anything personal.
 */
import type { ErrorRequestHandler, Response } from 'express';
import type { ErrorBody } from '../contract/api.ts';
import type { Reporter } from '../../warehouse/reporter.ts';

type ErrorCode = ErrorBody['error']['code'];

const STATUS: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** An error meant for the client: thrown anywhere in a route, answered by `errorHandler`. */
export class ApiError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }

  get status(): number {
    return STATUS[this.code];
  }
}

export function sendError(response: Response, code: ErrorCode, message: string): void {
  const body: ErrorBody = { error: { code, message } };
  // A failed CSV download must not arrive as an attachment named *.csv holding JSON.
  response.removeHeader('Content-Disposition');
  response.status(STATUS[code]).type('application/json').json(body);
}

/**
 * The same body, byte for byte, whether the team does not exist or the viewer may not see it, so
 * no answer tells a viewer that a team they cannot see exists.
 */
export function teamNotFound(): ApiError {
  return new ApiError('not_found', 'team not found');
}

const EMAIL_LIKE = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+/g;

/** Internal errors are logged, but an address inside a driver message must not reach the log. */
function redactForLog(text: string): string {
  return text.replace(EMAIL_LIKE, '[redacted]');
}

interface HttpLikeError {
  readonly status?: unknown;
  readonly statusCode?: unknown;
  readonly type?: unknown;
}

/**
 * Maps everything that can escape a route to the one error shape: our own `ApiError`s, the
 * body parser's errors (too large, malformed JSON), malformed URLs, and anything else as a 500
 * whose details go to the log only.
 */
export function errorHandler(reporter: Reporter): ErrorRequestHandler {
  const logInternal = (error: unknown): void => {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    reporter.warn(
      JSON.stringify({ event: 'internal_error', error: redactForLog(detail.split('\n')[0] ?? '') }),
    );
  };
  return (error: unknown, _request, response, _next) => {
    if (response.headersSent) {
      // Mid-stream (a CSV download): the status is gone, so cut the response short instead of
      // letting the client take a truncated file for a complete one.
      logInternal(error);
      response.destroy();
      return;
    }
    if (error instanceof ApiError) {
      sendError(response, error.code, error.message);
      return;
    }
    const http = (typeof error === 'object' && error !== null ? error : {}) as HttpLikeError;
    const status = typeof http.status === 'number' ? http.status : http.statusCode;
    if (http.type === 'entity.too.large' || status === 413) {
      sendError(response, 'payload_too_large', 'the request body is too large');
      return;
    }
    if (http.type === 'entity.parse.failed') {
      sendError(response, 'bad_request', 'the request body is not valid JSON');
      return;
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendError(
        response,
        'bad_request',
        error instanceof URIError ? 'the URL is not validly percent-encoded' : 'bad request',
      );
      return;
    }
    logInternal(error);
    sendError(response, 'internal', 'internal error: the server could not answer this request');
  };
}
