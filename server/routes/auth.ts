/**
 * Google sign-in and sign-out (mode `google` only). Both change state, so both pass the CSRF
 * check first; sign-in is also rate limited per client address.
 */
import type { Express, Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { SESSION_COOKIE, serializeCookie } from '../auth/cookies.ts';
import { csrfRefusal } from '../auth/csrf.ts';
import { SESSION_SECONDS, type SessionCodec } from '../auth/session.ts';
import { isHttps } from '../auth/transport.ts';
import { googleSignInBodySchema } from '../contract/api.ts';
import type { AppContext } from '../context.ts';
import { ApiError, sendError } from '../http/errors.ts';
import { parseRequest } from '../http/validate.ts';
import { describeViewer } from './me.ts';

function assertNotCrossSite(request: Request, sessions: SessionCodec): void {
  const refusal = csrfRefusal(request, sessions);
  if (refusal !== null) throw new ApiError('forbidden', refusal);
}

export function registerAuth(app: Express, context: AppContext): void {
  const { sessions, verifyGoogleCredential: verify } = context;
  const auth = context.auth.config;
  if (auth.mode !== 'google' || sessions === null || verify === null) return;

  const signInLimiter = rateLimit({
    windowMs: context.signInRateLimit.windowMs,
    limit: context.signInRateLimit.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Behind a TLS proxy not listed in server.auth.trustedProxies every client shares the proxy's
    // address, and the limit applies to all of them together (see docs/security.md). The warning
    // about it must not flood the log.
    validate: { xForwardedForHeader: false },
    handler: (_request, response) => {
      sendError(response, 'rate_limited', 'too many sign-in attempts: wait a few minutes');
    },
  });

  app.post('/api/auth/google', signInLimiter, async (request, response) => {
    assertNotCrossSite(request, sessions);
    const { credential } = parseRequest(googleSignInBodySchema, request.body);
    const result = await verify(credential);
    if (!result.ok) {
      switch (result.reason) {
        case 'invalid':
          throw new ApiError('unauthenticated', 'the Google sign-in could not be verified');
        case 'not_admitted':
          throw new ApiError(
            'forbidden',
            `only verified accounts of ${auth.hostedDomain} may sign in`,
          );
        case 'unavailable':
          throw new ApiError(
            'unavailable',
            "Google's sign-in keys could not be fetched: try again in a minute",
          );
      }
    }
    const secure = isHttps(request);
    response.append(
      'Set-Cookie',
      serializeCookie(SESSION_COOKIE, sessions.seal(result.email, context.now()), {
        maxAgeSeconds: SESSION_SECONDS,
        secure,
      }),
    );
    const viewer = { signedIn: true, email: result.email, localAdmin: false };
    // A new token for the new session, so a token seen before sign-in is worth nothing after.
    response.json(await describeViewer(context, request, response, viewer, { rotateCsrf: true }));
  });

  app.post('/api/auth/signout', (request, response) => {
    assertNotCrossSite(request, sessions);
    response.append(
      'Set-Cookie',
      serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: isHttps(request) }),
    );
    response.status(204).end();
  });
}
