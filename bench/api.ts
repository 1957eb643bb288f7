/**
 * Latency and throughput of the team-weeks endpoint: `syncbalance serve` runs in a child process
 * (the real CLI, read-only on the demo warehouse, mode none on 127.0.0.1), and 50 clients on
 * loopback each keep one request in flight, cycling through every team with 16-week ranges, until
 * the request budget or the time limit is spent. Prints p50/p95/p99 latency and requests/second.
 *
 *   node bench/api.ts [--db FILE] [--clients 50] [--requests 20000] [--seconds 60] [--warmup 500]
 *
 * Without `--db`, the demo (seed 42, 16 weeks to 2026-11-09) is generated into a temporary folder
 * first (about a minute).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const REPO_ROOT = join(import.meta.dirname, '..');
const CLI = join(REPO_ROOT, 'scripts', 'syncbalance.js');
const LAST_WEEK = '2026-11-09';
const FROM = '2026-07-27';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    clients: { type: 'string', default: '50' },
    requests: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '500' },
  },
});
const clients = Number(values.clients);
const budget = Number(values.requests);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);

const cliEnv = { ...process.env, CI: 'true', SYNCBALANCE_SALT: 'bench-salt-0123456789abcdef' };

function runCli(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`syncbalance ${args.join(' ')} exited with ${code ?? 'a signal'}`));
    });
  });
}

/** Starts `syncbalance serve` and resolves with its URL once it is listening. */
function serve(db: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--db', db, 'serve', '--port', '0'], {
      env: cliEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    // The request log goes to stderr; keep only the start, for error messages.
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 10_000) stderr += chunk;
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const match = /serving (http:\/\/\S+)/.exec(chunk);
      if (match?.[1]) resolve({ child, url: match[1].replace('localhost', '127.0.0.1') });
    });
    child.on('error', reject);
    child.on('close', (code) => {
      reject(new Error(`the server exited with ${code ?? 'a signal'}: ${stderr}`));
    });
  });
}

function get(agent: Agent, url: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, bytes });
      });
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

interface LoadResult {
  readonly latencies: number[];
  readonly failures: number;
  readonly bytes: number;
  readonly seconds: number;
}

async function load(
  agent: Agent,
  urls: readonly string[],
  total: number,
  limitSeconds: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let issued = 0;
  let failures = 0;
  let bytes = 0;
  const started = performance.now();
  const deadline = started + limitSeconds * 1000;
  const client = async (): Promise<void> => {
    while (issued < total && performance.now() < deadline) {
      const url = urls[issued % urls.length] ?? '';
      issued += 1;
      const begin = performance.now();
      const response = await get(agent, url);
      latencies.push(performance.now() - begin);
      bytes += response.bytes;
      if (response.status !== 200) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { latencies, failures, bytes, seconds: (performance.now() - started) / 1000 };
}

const work = values.db === undefined ? mkdtempSync(join(tmpdir(), 'syncbalance-bench-api-')) : null;
let server: ChildProcess | null = null;
try {
  const db = values.db ?? join(work ?? '', 'demo.duckdb');
  if (values.db === undefined) {
    process.stderr.write('Generating the demo warehouse…\n');
    await runCli(['--db', db, 'demo', '--last-week', LAST_WEEK]);
  }
  const started = await serve(db);
  server = started.child;
  const teams = (
    JSON.parse(await (await fetch(`${started.url}/api/me`)).text()) as { visible_teams: string[] }
  ).visible_teams;
  const urls = teams.map(
    (team) =>
      `${started.url}/api/teams/${encodeURIComponent(team)}/weeks?from=${FROM}&to=${LAST_WEEK}`,
  );
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  await load(agent, urls, warmup, seconds);
  const result = await load(agent, urls, budget, seconds);
  agent.destroy();
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const ms = (value: number): string => `${value.toFixed(1)} ms`;
  process.stdout.write(
    [
      `GET /api/teams/{path}/weeks (${teams.length} teams, 16 weeks each), ${clients} concurrent clients on loopback`,
      `requests   ${result.latencies.length} in ${result.seconds.toFixed(1)} s (${result.failures} not 200)`,
      `throughput ${(result.latencies.length / result.seconds).toFixed(0)} requests/s, ${(result.bytes / result.seconds / 1024 / 1024).toFixed(1)} MiB/s`,
      `latency    p50 ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted.at(-1) ?? Number.NaN)}`,
      '',
    ].join('\n'),
  );
  if (result.failures > 0) process.exitCode = 1;
} finally {
  server?.kill('SIGTERM');
  if (work !== null) rmSync(work, { recursive: true, force: true });
}
