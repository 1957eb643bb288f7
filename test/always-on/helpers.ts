/**
 * Real processes for the always-on tests: the `syncbalance` CLI in a child process that the test
 * can watch (stdout, stderr) and kill at a moment of its choosing, and API clients that loop over
 * requests and keep every response's build id, body and latency.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from '../helpers/cli.ts';
import { TEST_SALT } from '../helpers/warehouse.ts';
import { send } from '../server/helpers/http.ts';

const BIN = join(REPO_ROOT, 'scripts', 'syncbalance.js');

export interface CliChild {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout or stderr matches `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

export function spawnCli(args: readonly string[], env: Record<string, string> = {}): CliChild {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      CI: 'true',
      SYNCBALANCE_DB: undefined,
      SYNCBALANCE_SALT: TEST_SALT,
      SYNCBALANCE_TEST_PAUSE_AT: undefined,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    for (const listener of listeners) listener();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(code ?? signal ?? -1);
      for (const listener of listeners) listener();
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (pattern, timeoutMs = 120_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(out) || pattern.test(err)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`exited before ${String(pattern)}:\n${out}\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${String(pattern)}:\n${out}\n${err}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
  };
}

export interface Sample {
  readonly path: string;
  readonly status: number;
  readonly build: string;
  readonly body: string;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly client: number;
}

/** `count` clients, each requesting `paths` in turn until `stop()` resolves their loops. */
export function loadClients(
  url: string,
  paths: readonly string[],
  count: number,
): { samples: Sample[]; errors: string[]; stop(): Promise<void> } {
  const samples: Sample[] = [];
  const errors: string[] = [];
  let running = true;
  const loops = Array.from({ length: count }, async (_, client) => {
    for (let turn = client; running; turn++) {
      const path = paths[turn % paths.length] ?? '/api/health';
      const startedAt = performance.now();
      try {
        const response = await send(`${url}${path}`);
        samples.push({
          path,
          status: response.status,
          build: response.header('x-syncbalance-build') ?? '',
          body: response.body,
          startedAt,
          finishedAt: performance.now(),
          client,
        });
        if (response.status !== 200) errors.push(`${path}: ${response.status} ${response.body}`);
      } catch (error) {
        errors.push(`${path}: ${(error as Error).message}`);
      }
    }
  });
  return {
    samples,
    errors,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
