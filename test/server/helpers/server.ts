/** Starts the real server (127.0.0.1, a free port) on a test warehouse. */
import { parseConfig, type Config } from '../../../warehouse/config.ts';
import { recordingReporter, type RecordingReporter } from '../../../warehouse/reporter.ts';
import type { Environment } from '../../../warehouse/secrets.ts';
import type { SignInRateLimit } from '../../../server/context.ts';
import { startServer, type RunningServer } from '../../../server/serve.ts';
import { DEMO_NOW } from './demo.ts';

export const TEST_SESSION_SECRET = 'test-session-secret-0123456789abcdef';

export interface TestServer {
  readonly url: string;
  readonly config: Config;
  readonly reporter: RecordingReporter;
  readonly server: RunningServer;
  /** Moves the server's clock (session expiry, latest complete week). */
  setNow(now: Date): void;
}

export interface TestServerOptions {
  readonly dbPath: string;
  /** Raw config, as it would be written in syncbalance.config.yaml. */
  readonly config?: unknown;
  readonly webRoot?: string;
  readonly host?: string;
  readonly signInRateLimit?: SignInRateLimit;
  /** Default: a fixed SYNCBALANCE_SESSION_SECRET. */
  readonly env?: Environment;
  /** How often the server looks for a newer snapshot (default: the config's). */
  readonly pollMs?: number;
}

export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const config = parseConfig(options.config ?? {});
  const reporter = recordingReporter();
  let now = DEMO_NOW;
  const server = await startServer({
    config,
    env: options.env ?? { SYNCBALANCE_SESSION_SECRET: TEST_SESSION_SECRET },
    dbPath: options.dbPath,
    host: options.host ?? '127.0.0.1',
    port: 0,
    reporter,
    now: () => now,
    ...(options.webRoot === undefined ? {} : { webRoot: options.webRoot }),
    ...(options.signInRateLimit === undefined ? {} : { signInRateLimit: options.signInRateLimit }),
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
  });
  const address = new URL(server.url);
  return {
    // 127.0.0.1 rather than localhost: the tests pin the address family.
    url: `http://127.0.0.1:${address.port}`,
    config,
    reporter,
    server,
    setNow: (next) => {
      now = next;
    },
  };
}
