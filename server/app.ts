/**
 * The Express application: security headers and request checks first, then the API routes (each:
 * validate → authorise → query → respond), then the dashboard's static files with a fallback to
 * index.html for the single-page app's own URLs, and one error handler for everything.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { AppContext } from './context.ts';
import { ApiError, errorHandler, sendError } from './http/errors.ts';
import { registerAuth } from './routes/auth.ts';
import { registerDataHealth } from './routes/data-health.ts';
import { registerDistribution } from './routes/distribution.ts';
import { registerExport } from './routes/export.ts';
import { registerHealth } from './routes/health.ts';
import { registerMe } from './routes/me.ts';
import { registerOverview } from './routes/overview.ts';
import { registerTeamWeeks } from './routes/team-weeks.ts';
import { registerTeams } from './routes/teams.ts';

/** The only bodies the API takes are a Google credential (at most 8 KiB) and empty ones. */
const BODY_LIMIT_BYTES = 16 * 1024;

const GIS = 'https://accounts.google.com/gsi/';

/**
 * One JSON line per request: method, the route pattern (never the URL: a path or query string may
 * hold anything a user typed), status and duration. No addresses, cookies or identities.
 */
function requestLog(context: AppContext): RequestHandler {
  return (request, response, next) => {
    const started = performance.now();
    let logged = false;
    const log = (): void => {
      if (logged) return;
      logged = true;
      const route: unknown = (request.route as { path?: unknown } | undefined)?.path;
      context.reporter.info(
        JSON.stringify({
          time: context.now().toISOString(),
          method: request.method,
          route: typeof route === 'string' ? route : request.path.startsWith('/api') ? null : 'web',
          status: response.statusCode,
          duration_ms: Math.round((performance.now() - started) * 100) / 100,
          // The client went away before the whole response was sent.
          ...(response.writableFinished ? {} : { aborted: true }),
        }),
      );
    };
    response.once('finish', log);
    response.once('close', log);
    next();
  };
}

/**
 * helmet's defaults, tightened: no framing at all, no mixed-content upgrade (the local modes serve
 * plain HTTP on loopback). In google mode the policy admits exactly what the Google Identity
 * Services button needs: its script, stylesheet, iframe and requests, a popup that can talk back
 * to the opener, and a referrer carrying our origin.
 */
function securityHeaders(context: AppContext): RequestHandler {
  const google = context.auth.config.mode === 'google';
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': ["'self'", ...(google ? [`${GIS}client`] : [])],
        'style-src': ["'self'", "'unsafe-inline'", ...(google ? [`${GIS}style`] : [])],
        'connect-src': ["'self'", ...(google ? [GIS] : [])],
        'frame-src': google ? [GIS] : ["'none'"],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': null,
      },
    },
    crossOriginOpenerPolicy: { policy: google ? 'same-origin-allow-popups' : 'same-origin' },
    referrerPolicy: { policy: google ? 'strict-origin-when-cross-origin' : 'no-referrer' },
  });
}

export function createApp(context: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (context.auth.config.mode !== 'none' && context.auth.config.trustedProxies.length > 0) {
    // Lets req.ip and req.protocol use X-Forwarded-* from the configured proxies only.
    app.set('trust proxy', context.auth.config.trustedProxies);
  }

  app.use(requestLog(context));
  app.use(securityHeaders(context));
  app.use((request, response, next) => {
    const refusal = context.auth.refusal(request);
    if (refusal === null) {
      next();
      return;
    }
    // An identity refusal may be an attempt to sign in as someone else: worth a line, without
    // the header's value (the message never carries it).
    if (refusal.code === 'unauthenticated')
      context.reporter.warn(
        JSON.stringify({ time: context.now().toISOString(), refused: refusal.message }),
      );
    sendError(response, refusal.code, refusal.message);
  });
  app.use('/api', (request, response, next) => {
    // Team data must not linger in shared caches or the browser's disk cache.
    response.setHeader('Cache-Control', 'no-store');
    const length = Number(request.headers['content-length'] ?? 0);
    if (Number.isFinite(length) && length > BODY_LIMIT_BYTES) {
      // Refused before reading, and the connection closed, so no one streams megabytes at us.
      response.setHeader('Connection', 'close');
      sendError(response, 'payload_too_large', 'the request body is too large');
      return;
    }
    next();
  });
  app.use('/api', express.json({ limit: BODY_LIMIT_BYTES }));

  registerHealth(app, context);
  registerMe(app, context);
  registerAuth(app, context);
  registerTeams(app, context);
  registerTeamWeeks(app, context);
  registerDistribution(app, context);
  registerOverview(app, context);
  registerExport(app, context);
  registerDataHealth(app, context);
  app.use('/api', () => {
    throw new ApiError('not_found', 'no such API endpoint (see docs/api.md)');
  });

  const webRoot = context.webRoot;
  if (webRoot !== null) {
    app.use(
      express.static(webRoot, {
        index: false,
        setHeaders: (response, path) => {
          // Vite names assets by content hash, so they never change under the same name.
          if (path.startsWith(join(webRoot, 'assets')))
            response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        },
      }),
    );
  }
  app.use((request, response, next) => {
    // A missing asset (an old build's hash) is a 404, not the page: only page URLs fall back.
    if (
      (request.method !== 'GET' && request.method !== 'HEAD') ||
      request.path.startsWith('/assets/')
    ) {
      next();
      return;
    }
    if (webRoot === null) {
      response
        .type('text')
        .send(
          'The dashboard is not built yet: run `npm run build:web` (npm start does it for you).',
        );
      return;
    }
    // The dashboard's own URLs (/teams/…) are routed in the browser: every page is index.html.
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(join(webRoot, 'index.html'));
  });
  app.use(() => {
    throw new ApiError('not_found', 'not found');
  });
  app.use(errorHandler(context.reporter));
  return app;
}
