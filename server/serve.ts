/**
 * `syncbalance serve`: the API and dashboard on one port, answering from the published snapshot
 * (never the working warehouse, which stays free for imports and builds). Each request is pinned
 * to one build, named in the `X-Syncbalance-Build` header; a newer publish is picked up within
 * `snapshots.pollMs`. Several servers can serve the same snapshot.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Config } from '../warehouse/config.ts';
import { InputError, RuntimeFailure } from '../warehouse/errors.ts';
import type { Reporter } from '../warehouse/reporter.ts';
import type { Environment } from '../warehouse/secrets.ts';
import { isLoopbackHost } from './auth/addresses.ts';
import { createAuthenticator } from './auth/authenticate.ts';
import { createGoogleVerifier } from './auth/google.ts';
import { resolveSessionSecret } from './auth/secret.ts';
import { SessionCodec } from './auth/session.ts';
import { createApp } from './app.ts';
import { requestBuild, snapshotContext, type SignInRateLimit } from './context.ts';
import { SnapshotSwitcher } from './snapshots.ts';
import { answerClientErrors } from './http/client-errors.ts';
import { BUILD_HEADER } from './contract/api.ts';

const DEFAULT_WEB_ROOT = join(import.meta.dirname, '..', 'web', 'dist');

/** 30 attempts per client address in 15 minutes: enough for an office behind one NAT address, little for a script. */
const DEFAULT_SIGN_IN_RATE_LIMIT: SignInRateLimit = { windowMs: 15 * 60_000, limit: 30 };

export interface ServerOptions {
  readonly config: Config;
  readonly env: Environment;
  /** The working warehouse; the server reads the snapshots published beside it. */
  readonly dbPath: string;
  readonly host: string;
  readonly port: number;
  /** Start-up messages, warnings and one JSON line per request (to stderr in the CLI). */
  readonly reporter: Reporter;
  /** The clock (default: the system's); decides the latest complete week and session expiry. */
  readonly now?: () => Date;
  /** The built dashboard (default: web/dist). */
  readonly webRoot?: string;
  readonly signInRateLimit?: SignInRateLimit;
  /** How often to look for a newer snapshot (default: config `snapshots.pollMs`). */
  readonly pollMs?: number;
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
  /** Settles when the server has stopped (on `close()`, SIGINT or SIGTERM). */
  readonly closed: Promise<void>;
}

/** Mode `none` makes everyone who can connect an admin, so only this machine may connect. */
function assertHostAllowed(config: Config, host: string): void {
  if (config.server.auth.mode === 'none' && !isLoopbackHost(host)) {
    throw new InputError(
      `refusing to serve on ${host} without sign-in: with server.auth.mode 'none' everyone who can connect sees every team, so only a loopback address (127.0.0.1, ::1, localhost) is allowed. Set server.auth to 'google' or 'proxy' in the config to serve other machines.`,
    );
  }
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config, reporter } = options;
  assertHostAllowed(config, options.host);
  const now = options.now ?? (() => new Date());
  const auth = config.server.auth;

  const snapshots = await SnapshotSwitcher.start({
    dbPath: options.dbPath,
    config,
    reporter,
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
  });
  try {
    let sessions: SessionCodec | null = null;
    if (auth.mode === 'google') {
      const secret = resolveSessionSecret(options.dbPath, options.env.SYNCBALANCE_SESSION_SECRET);
      if (secret.createdFile !== null)
        reporter.info(
          `Generated a session secret in ${secret.createdFile} (readable by you only); set SYNCBALANCE_SESSION_SECRET to manage it yourself.`,
        );
      sessions = new SessionCodec(secret.secret);
    }
    if (snapshots.current === null)
      reporter.warn(
        `no build has been published beside ${options.dbPath} yet: the dashboard stays empty until you run 'syncbalance build' (or 'syncbalance demo'), then shows it within seconds`,
      );
    const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
    const context = snapshotContext(
      {
        dbPath: options.dbPath,
        config,
        reporter,
        now,
        auth: createAuthenticator(auth, sessions, now),
        sessions,
        verifyGoogleCredential: auth.mode === 'google' ? createGoogleVerifier(auth) : null,
        signInRateLimit: options.signInRateLimit ?? DEFAULT_SIGN_IN_RATE_LIMIT,
        webRoot: existsSync(join(webRoot, 'index.html')) ? webRoot : null,
      },
      snapshots,
    );
    const app = createApp(context);
    const server = createServer((request, response) => {
      // Pinned before any route runs and released when the response has ended (or the client
      // went away), so the old snapshot closes only after its last request.
      const lease = snapshots.acquire();
      response.once('close', () => {
        lease.release();
      });
      response.setHeader(BUILD_HEADER, lease.build?.buildId ?? 'none');
      requestBuild.run(lease.build, () => {
        app(request, response);
      });
    });
    answerClientErrors(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, resolve);
    });
    const address = server.address() as AddressInfo;
    if (auth.mode === 'none' && !isLoopbackHost(address.address)) {
      // `localhost` resolved to something else: never serve that without sign-in.
      server.close();
      throw new RuntimeFailure(
        `${options.host} resolved to ${address.address}, which is not a loopback address; refusing to serve without sign-in`,
      );
    }
    return running(server, snapshots, address);
  } catch (error) {
    await snapshots.close();
    throw explainListenError(error, options);
  }
}

function explainListenError(error: unknown, options: ServerOptions): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE')
    return new RuntimeFailure(
      `port ${options.port} on ${options.host} is already in use: stop the other server or pass --port`,
      [],
      { cause: error },
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new InputError(`cannot listen on ${options.host}: no such address on this machine`, [], {
      cause: error,
    });
  if (code === 'EACCES')
    return new RuntimeFailure(
      `not allowed to listen on port ${options.port}: ports below 1024 need privileges`,
      [],
      { cause: error },
    );
  return error;
}

function running(
  server: ReturnType<typeof createServer>,
  snapshots: SnapshotSwitcher,
  address: AddressInfo,
): RunningServer {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '127.0.0.1' || host === '[::1]' ? 'localhost' : host}:${address.port}`;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        // Idle keep-alive connections would hold close() open until they time out.
        server.closeIdleConnections();
      });
      await snapshots.close();
      resolveClosed();
    })();
    return closing;
  };
  const onSignal = (): void => {
    void close();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { url, close, closed };
}
