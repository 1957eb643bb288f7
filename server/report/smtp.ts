/**
 * The SMTP side: a nodemailer transport from `report.smtp`, the password from the environment or
 * the owner-only credential file, and how a failed send is classified. The password is handed to
 * nodemailer and nowhere else; error texts are stripped of addresses before they are stored.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { ReportConfig } from '../../warehouse/config.ts';
import { credentialPath, readCredential } from '../../warehouse/credentials.ts';
import { InputError } from '../../warehouse/errors.ts';

export const SMTP_PASSWORD_CREDENTIAL = 'smtp-password';

/** `SYNCBALANCE_SMTP_PASSWORD`, else `<warehouse>.smtp-password` (mode 0600), else none. */
export function smtpPassword(fromEnvironment: string | undefined, dbPath: string): string | null {
  if (fromEnvironment !== undefined) return fromEnvironment;
  const stored = readCredential(credentialPath(dbPath, SMTP_PASSWORD_CREDENTIAL));
  const trimmed = stored?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export function smtpTransport(
  smtp: ReportConfig['smtp'],
  password: string | null,
  dbPath: string,
): Transporter {
  if (smtp.user !== undefined && password === null) {
    throw InputError.at(
      { field: 'report.smtp.user' },
      `a user is set but there is no password: set SYNCBALANCE_SMTP_PASSWORD or write it to ${credentialPath(dbPath, SMTP_PASSWORD_CREDENTIAL)} (chmod 600)`,
    );
  }
  if (smtp.security === 'none' && smtp.user !== undefined && !isLoopback(smtp.host)) {
    throw InputError.at(
      { field: 'report.smtp.security' },
      `'none' would send the password unencrypted to ${smtp.host}: use starttls or tls`,
    );
  }
  if (smtp.security === 'none' && smtp.user !== undefined && !isLoopback(smtp.host)) {
    throw InputError.at(
      { field: 'report.smtp.security' },
      `'none' would send the password unencrypted to ${smtp.host}: use starttls or tls`,
    );
  }
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    ...(smtp.user === undefined || password === null
      ? {}
      : { auth: { user: smtp.user, pass: password } }),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    // Never log: nodemailer's logger would print envelopes (addresses) and, at debug, AUTH lines.
    logger: false,
    debug: false,
  });
}

/** For dry runs: builds messages in memory, never connects anywhere. */
export function dryRunTransport(): Transporter {
  return nodemailer.createTransport({ jsonTransport: true });
}

/**
 * What a failed send means for the next run: `permanent` (a 5xx answer for this message, e.g. the
 * address is refused: record it and go on with the others), `retry` (a 4xx answer: try this one
 * again after the backoff, go on with the others) or `unavailable` (no usable connection: timeouts,
 * refused connections, failed login; every further message would fail the same way, so the run
 * stops and all of them wait for the next one).
 */
export type FailureKind = 'permanent' | 'retry' | 'unavailable';

interface SmtpErrorShape {
  readonly code?: unknown;
  readonly responseCode?: unknown;
  readonly response?: unknown;
  readonly message?: unknown;
}

const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'EAUTH',
  'ETLS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPROTOCOL',
]);

export function classifyFailure(error: unknown): FailureKind {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SmtpErrorShape;
  const code = typeof shape.code === 'string' ? shape.code : '';
  const status = typeof shape.responseCode === 'number' ? shape.responseCode : null;
  if (code === 'EAUTH') return 'unavailable';
  if (status !== null && status >= 500) return 'permanent';
  if (status !== null && status >= 400) return 'retry';
  if (CONNECTION_CODES.has(code)) return 'unavailable';
  return 'retry';
}

const ADDRESS = /[^\s<>@"',;:()[\]]+@[^\s<>@"',;:()[\]]+/g;

/** The error in one line, without any address (the SMTP answer often quotes the recipient). */
export function describeFailure(error: unknown): string {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SmtpErrorShape;
  const code = typeof shape.code === 'string' ? shape.code : 'ERROR';
  const text =
    typeof shape.response === 'string'
      ? shape.response
      : typeof shape.message === 'string'
        ? shape.message
        : String(error);
  const line = (text.split('\n')[0] ?? '').replace(ADDRESS, '<address>').slice(0, 300);
  return `${code}: ${line}`;
}
