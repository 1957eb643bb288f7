/**
 * Who is asking, for each authentication mode of `server.auth`:
 * - `none`: whoever reaches the server is the local admin. Only allowed on a loopback address
 *   (checked at start-up), and only for requests addressed to a loopback name, so a web page
 *   cannot reach the API through DNS rebinding.
 * - `google`: the person in the sealed session cookie set by `POST /api/auth/google`.
 * - `proxy`: the address in a header set by the reverse proxy; requests that do not come from a
 *   configured proxy address are refused before any route runs.
 */
import type { Request } from 'express';
import { z } from 'zod';
import type { AuthConfig } from '../../warehouse/config.ts';
import { normaliseEmail } from '../../warehouse/identity.ts';
import { hostOfHeader, isLoopbackHost, normaliseAddress } from './addresses.ts';
import { readCookies, SESSION_COOKIE } from './cookies.ts';
import type { SessionCodec } from './session.ts';

export interface Viewer {
  readonly signedIn: boolean;
  /** Normalised address of the signed-in person; null in mode `none` and when signed out. */
  readonly email: string | null;
  /** Mode `none`: the person at this machine, who sees every team. */
  readonly localAdmin: boolean;
}

const SIGNED_OUT: Viewer = { signedIn: false, email: null, localAdmin: false };
const LOCAL_ADMIN: Viewer = { signedIn: true, email: null, localAdmin: true };

export interface Authenticator {
  readonly config: AuthConfig;
  /** Why the request is refused before any route runs (answered 403), or null to go on. */
  refusal(request: Request): string | null;
  viewer(request: Request): Viewer;
}

const emailSchema = z.email();

/**
 * An identity header value as proxies send it: a bare address, or prefixed with the identity
 * provider as Google's Identity-Aware Proxy does (`accounts.google.com:ada@example.com`).
 */
export function emailFromProxyHeader(value: string | string[] | undefined): string | null {
  if (typeof value !== 'string') return null;
  const candidate = value.slice(value.lastIndexOf(':') + 1).trim();
  return emailSchema.safeParse(candidate).success ? normaliseEmail(candidate) : null;
}

export function createAuthenticator(
  config: AuthConfig,
  codec: SessionCodec | null,
  now: () => Date,
): Authenticator {
  switch (config.mode) {
    case 'none':
      return {
        config,
        refusal: (request) =>
          isLoopbackHost(hostOfHeader(request.headers.host ?? ''))
            ? null
            : 'without sign-in (server.auth.mode none) this server only answers requests addressed to localhost',
        viewer: () => LOCAL_ADMIN,
      };
    case 'google': {
      if (codec === null) throw new Error('google sign-in needs a session codec');
      return {
        config,
        refusal: () => null,
        viewer(request) {
          const token = readCookies(request).get(SESSION_COOKIE);
          const session = token === undefined ? null : codec.open(token, now());
          return session === null
            ? SIGNED_OUT
            : { signedIn: true, email: session.email, localAdmin: false };
        },
      };
    }
    case 'proxy': {
      const trusted = new Set(config.trustedProxies.map(normaliseAddress));
      const header = config.header.toLowerCase();
      return {
        config,
        refusal: (request) =>
          trusted.has(normaliseAddress(request.socket.remoteAddress ?? ''))
            ? null
            : 'this server only answers requests that come through its reverse proxy',
        viewer(request) {
          const email = emailFromProxyHeader(request.headers[header]);
          return email === null ? SIGNED_OUT : { signedIn: true, email, localAdmin: false };
        },
      };
    }
  }
}
