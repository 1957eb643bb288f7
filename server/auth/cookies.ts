/**
 * The two cookies the server sets, read and written by hand: a session and a CSRF nonce, both
 * opaque base64url strings, so a full cookie library would add nothing but surface.
 */
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'syncbalance_session';
export const CSRF_COOKIE = 'syncbalance_csrf';

/** Cookie values of a request; malformed pairs are skipped, the first of duplicate names wins. */
export function readCookies(request: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    const name = pair.slice(0, separator).trim();
    let value = pair.slice(separator + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1);
    if (name !== '' && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieOptions {
  /** Seconds until the browser drops it; absent: until the browser closes; 0: delete now. */
  readonly maxAgeSeconds?: number;
  readonly secure: boolean;
}

/**
 * Every cookie is httpOnly (scripts never need it: the CSRF token travels in response bodies),
 * SameSite=Strict (no cross-site request carries it), scoped to the whole origin, and Secure
 * whenever the request came over HTTPS.
 */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (options.maxAgeSeconds !== undefined) {
    parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`);
    if (options.maxAgeSeconds <= 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  }
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
