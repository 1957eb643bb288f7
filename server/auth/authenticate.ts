/**
 * Who is asking, for each authentication mode of `server.auth`:
 * - `none`: whoever reaches the server is the local admin. Only allowed on a loopback address
 *   (checked at start-up), and only for requests addressed to a loopback name, so a web page
 *   cannot reach the API through DNS rebinding.
 * - `google`: the person in the sealed session cookie set by `POST /api/auth/google`.
 * - `proxy`: the address in a header set by the reverse proxy; requests that do not come from a
 *   configured proxy address are refused (403) before any route runs, and so are requests whose
 *   identity header is repeated, holds a comma or is not one address in the configured form (401):
 *   see `proxy-header.ts`.
 */
import type { Request } from 'express';
import type { AuthConfig } from '../../warehouse/config.ts';
import { hostOfHeader, isLoopbackHost, normaliseAddress } from './addresses.ts';
import { readCookies, SESSION_COOKIE } from './cookies.ts';
import { readProxyIdentity } from './proxy-header.ts';
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

export interface Refusal {
  /** `forbidden` (403): not from where requests must come; `unauthenticated` (401): no one identity. */
  readonly code: 'forbidden' | 'unauthenticated';
  /** Said to the client and logged: never carries a header's value. */
  readonly message: string;
}

export interface Authenticator {
  readonly config: AuthConfig;
  /** Why the request is refused before any route runs, or null to go on. */
  refusal(request: Request): Refusal | null;
  viewer(request: Request): Viewer;
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
            : {
                code: 'forbidden',
                message:
                  'without sign-in (server.auth.mode none) this server only answers requests addressed to localhost',
              },
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
      const identity = (request: Request) =>
        readProxyIdentity(request.rawHeaders, config.header, config.headerFormat);
      return {
        config,
        refusal(request) {
          if (!trusted.has(normaliseAddress(request.socket.remoteAddress ?? '')))
            return {
              code: 'forbidden',
              message: 'this server only answers requests that come through its reverse proxy',
            };
          const found = identity(request);
          return found.kind === 'refused'
            ? { code: 'unauthenticated', message: found.reason }
            : null;
        },
        viewer(request) {
          const found = identity(request);
          return found.kind === 'email'
            ? { signedIn: true, email: found.email, localAdmin: false }
            : SIGNED_OUT;
        },
      };
    }
  }
}
