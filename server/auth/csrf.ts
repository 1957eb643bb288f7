/**
 * CSRF protection of the state-changing requests (sign-in, sign-out). Two independent checks:
 * - the browser-set `Origin` must name this server (and `Sec-Fetch-Site`, when sent, must say
 *   same-origin): a form or script on another site is refused outright;
 * - the `X-CSRF-Token` header must be the token `/api/me` returned for the nonce in this browser's
 *   CSRF cookie (signed double submit): another site can neither read that token nor forge one.
 * SameSite=Strict on every cookie is a third layer for browsers that honour it.
 */
import type { Request, Response } from 'express';
import { CSRF_HEADER } from '../contract/api.ts';
import { CSRF_COOKIE, readCookies, serializeCookie } from './cookies.ts';
import type { SessionCodec } from './session.ts';
import { isHttps } from './transport.ts';

function originMatchesHost(request: Request): boolean {
  const origin = request.headers.origin;
  const host = request.headers.host;
  if (origin === undefined || host === undefined || origin === 'null') return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  // Name and port only: behind a TLS-terminating proxy the scheme seen here is http.
  return originHost.toLowerCase() === host.trim().toLowerCase();
}

/** Why a state-changing request is refused, or null when it passes. */
export function csrfRefusal(request: Request, codec: SessionCodec): string | null {
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string' && fetchSite !== 'same-origin')
    return 'cross-site request refused';
  if (!originMatchesHost(request)) return 'cross-site request refused: the Origin does not match';
  const nonce = readCookies(request).get(CSRF_COOKIE);
  const token = request.headers[CSRF_HEADER.toLowerCase()];
  if (nonce === undefined || typeof token !== 'string' || !codec.csrfTokenMatches(nonce, token))
    return `missing or wrong ${CSRF_HEADER} header: fetch /api/me and send its csrf_token`;
  return null;
}

/** The token for this browser, setting a fresh nonce cookie when it has none (or `rotate`). */
export function issueCsrfToken(
  request: Request,
  response: Response,
  codec: SessionCodec,
  rotate = false,
): string {
  let nonce = rotate ? undefined : readCookies(request).get(CSRF_COOKIE);
  if (nonce === undefined || nonce.length < 32) {
    nonce = codec.newCsrfNonce();
    response.append(
      'Set-Cookie',
      serializeCookie(CSRF_COOKIE, nonce, { secure: isHttps(request) }),
    );
  }
  return codec.csrfToken(nonce);
}
