/**
 * Latency and throughput of the API under a mixed load: `syncbalance serve` runs in a child process
 * (the real CLI, read-only on the published snapshot, mode none on 127.0.0.1), and 50 clients on
 * loopback each keep one request in flight until the request budget or the time limit is spent.
 * The mix, in every cycle of ten requests:
 *
 *   3 × GET /api/teams/{path}/weeks      a 16-week range (any start) of any team
 *   3 × GET /api/teams/{path}/distribution  any leaf team, any week, any distribution metric
 *   2 × GET /api/overview               one without `week`, one with any week
 *   2 × GET /api/export.csv             any team's subtree over a 16-week range
 *
 * Each pick is drawn from a seeded generator over every (team, week, metric) there is, so the run
 * asks for far more distinct answers than a few cached ones. Requests accept gzip, as browsers do.
 * Prints p50/p95/p99/max per endpoint and overall, requests/s and the requests that were not 200.
 *
 *   node bench/api.ts [--db FILE] [--clients 50] [--requests 20000] [--seconds 60]
 *                     [--warmup 500] [--seed 1] [--during-refresh]
 *
 *   --db FILE         a working warehouse with a published snapshot (its `.snapshots` folder);
 *                     without it, the demo (seed 42, 16 weeks to 2026-11-09) is generated into a
 *                     temporary folder first (about 20 s on an idle machine).
 *   --clients N       concurrent clients, each with one request in flight (default 50).
 *   --requests N      request budget of the measured run (default 20,000).
 *   --seconds S       time limit of the measured run (default 60).
 *   --warmup N        requests before the measured run, not counted (default 500).
 *   --seed N          seed of the request picks (default 1).
 *   --during-refresh  after the normal run, run the load again while another process runs a full
 *                     `syncbalance build` (models, checks, publish) on the same warehouse, and
 *                     report what was measured from the build's start until the server answered
 *                     from the new build; the budget and time limit do not apply to that run.
 *
 * The build in `--during-refresh` rewrites the warehouse's models in place (same data, same
 * results) and publishes a new snapshot: point `--db` at a copy, never at a warehouse in use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DISTRIBUTION_METRICS } from '../server/contract/metrics.ts';
import { addDays } from '../warehouse/dates.ts';

const REPO_ROOT = join(import.meta.dirname, '..');
const CLI = join(REPO_ROOT, 'scripts', 'syncbalance.js');
const DEMO_LAST_WEEK = '2026-11-09';
const RANGE_WEEKS = 16;

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    clients: { type: 'string', default: '50' },
    requests: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '500' },
    seed: { type: 'string', default: '1' },
    'during-refresh': { type: 'boolean', default: false },
  },
});
const clients = Number(values.clients);
const budget = Number(values.requests);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);

const cliEnv = { ...process.env, CI: 'true', SYNCBALANCE_SALT: 'bench-salt-0123456789abcdef' };

function runCli(args: string[], stdio: 'inherit' | 'ignore' = 'inherit'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv, stdio });
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

interface Answer {
  readonly status: number;
  readonly bytes: number;
  readonly build: string | null;
}

function get(agent: Agent, url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // As a browser does; bodies are counted as they travel, not decompressed.
    request(url, { agent, headers: { 'Accept-Encoding': 'gzip' } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => {
        const build = response.headers['x-syncbalance-build'];
        resolve({
          status: response.statusCode ?? 0,
          bytes,
          build: typeof build === 'string' ? build : null,
        });
      });
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

async function getJson<T extends z.ZodType>(schema: T, url: string): Promise<z.output<T>> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return schema.parse(await response.json());
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/** mulberry32: a small seeded generator, so two runs ask for the same requests. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENDPOINTS = ['team weeks', 'distribution', 'overview', 'export.csv'] as const;
type Endpoint = (typeof ENDPOINTS)[number];
const CYCLE: readonly Endpoint[] = [
  'team weeks',
  'distribution',
  'overview',
  'team weeks',
  'distribution',
  'export.csv',
  'team weeks',
  'distribution',
  'overview',
  'export.csv',
];

interface Organisation {
  readonly url: string;
  readonly teams: readonly string[];
  readonly leaves: readonly string[];
  /** Every week with data, oldest first. */
  readonly weeks: readonly string[];
}

/** One request of the mix: its endpoint and URL. */
function picker(org: Organisation, seed: number): () => { endpoint: Endpoint; url: string } {
  const random = generator(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const ranges = org.weeks.length - RANGE_WEEKS + 1;
  const range = (): string => {
    const start = Math.floor(random() * Math.max(1, ranges));
    const from = org.weeks[start] ?? '';
    const to = org.weeks[Math.min(org.weeks.length - 1, start + RANGE_WEEKS - 1)] ?? '';
    return `from=${from}&to=${to}`;
  };
  const team = (path: string): string => encodeURIComponent(path);
  let index = 0;
  let overviews = 0;
  return () => {
    const endpoint = CYCLE[index % CYCLE.length] ?? 'team weeks';
    index += 1;
    switch (endpoint) {
      case 'team weeks':
        return { endpoint, url: `${org.url}/api/teams/${team(pick(org.teams))}/weeks?${range()}` };
      case 'distribution':
        return {
          endpoint,
          url: `${org.url}/api/teams/${team(pick(org.leaves))}/distribution?week=${pick(org.weeks)}&metric=${pick(DISTRIBUTION_METRICS)}`,
        };
      case 'overview':
        overviews += 1;
        return {
          endpoint,
          url:
            overviews % 2 === 1
              ? `${org.url}/api/overview`
              : `${org.url}/api/overview?week=${pick(org.weeks)}`,
        };
      case 'export.csv':
        return {
          endpoint,
          url: `${org.url}/api/export.csv?team=${team(pick(org.teams))}&${range()}`,
        };
    }
  };
}

interface Sample {
  readonly endpoint: Endpoint;
  readonly ms: number;
  readonly ok: boolean;
  readonly build: string | null;
}

interface LoadResult {
  readonly samples: Sample[];
  readonly bytes: number;
  readonly seconds: number;
}

/** Runs the load until `total` requests were issued, the time is up, or `until` resolves. */
async function load(
  agent: Agent,
  next: () => { endpoint: Endpoint; url: string },
  limits: { total: number; seconds: number; until?: Promise<unknown> },
): Promise<LoadResult> {
  const samples: Sample[] = [];
  let issued = 0;
  let bytes = 0;
  let stopped = false;
  void limits.until?.finally(() => {
    stopped = true;
  });
  const started = performance.now();
  const deadline = started + limits.seconds * 1000;
  const client = async (): Promise<void> => {
    while (!stopped && issued < limits.total && performance.now() < deadline) {
      const { endpoint, url } = next();
      issued += 1;
      const begin = performance.now();
      const answer = await get(agent, url).catch((): Answer => ({
        status: 0,
        bytes: 0,
        build: null,
      }));
      samples.push({
        endpoint,
        ms: performance.now() - begin,
        ok: answer.status === 200,
        build: answer.build,
      });
      bytes += answer.bytes;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { samples, bytes, seconds: (performance.now() - started) / 1000 };
}

const ms = (value: number): string => `${value.toFixed(1)} ms`.padStart(9);

function table(samples: readonly Sample[], wallSeconds: number): string[] {
  const rows = [...ENDPOINTS, 'all'].map((name) => {
    const mine = samples.filter((sample) => name === 'all' || sample.endpoint === name);
    const sorted = mine.map((sample) => sample.ms).sort((a, b) => a - b);
    const errors = mine.filter((sample) => !sample.ok).length;
    return (
      `${name.padEnd(13)} ${String(mine.length).padStart(6)}  ${(mine.length / wallSeconds).toFixed(0).padStart(5)}/s` +
      `  p50 ${ms(percentile(sorted, 50))}  p95 ${ms(percentile(sorted, 95))}` +
      `  p99 ${ms(percentile(sorted, 99))}  max ${ms(sorted.at(-1) ?? Number.NaN)}  ${errors} errors`
    );
  });
  return [`endpoint      requests    rate  latency`, ...rows];
}

const load1 = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');

const work = values.db === undefined ? mkdtempSync(join(tmpdir(), 'syncbalance-bench-api-')) : null;
let server: ChildProcess | null = null;
try {
  const db = values.db ?? join(work ?? '', 'demo.duckdb');
  if (values.db === undefined) {
    process.stderr.write('Generating the demo warehouse…\n');
    await runCli(['--db', db, 'demo', '--last-week', DEMO_LAST_WEEK]);
  }
  const started = await serve(db);
  server = started.child;
  const url = started.url;
  const { teams, latest_complete_week: latest } = await getJson(
    z.object({
      teams: z.array(z.object({ path: z.string(), parent_path: z.string().nullable() })),
      latest_complete_week: z.string().nullable(),
    }),
    `${url}/api/teams`,
  );
  const root = teams.find((team) => team.parent_path === null);
  if (root === undefined || latest === null) throw new Error('the warehouse has no teams or weeks');
  const parents = new Set(teams.map((team) => team.parent_path));
  const { weeks } = await getJson(
    z.object({ weeks: z.array(z.object({ week_start: z.string() })) }),
    // Two years back covers the benches' warehouses (the API takes at most three years at once).
    `${url}/api/teams/${encodeURIComponent(root.path)}/weeks?from=${addDays(latest, -728)}&to=${latest}`,
  );
  const org: Organisation = {
    url,
    teams: teams.map((team) => team.path),
    leaves: teams.filter((team) => !parents.has(team.path)).map((team) => team.path),
    weeks: weeks.map((week) => week.week_start),
  };
  const describe = `${org.teams.length} teams (${org.leaves.length} leaves), ${org.weeks.length} weeks, ${clients} concurrent clients on loopback`;
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const seed = Number(values.seed);
  await load(agent, picker(org, seed + 1000), { total: warmup, seconds });
  const result = await load(agent, picker(org, seed), { total: budget, seconds });
  const mib = (result.bytes / result.seconds / 1024 / 1024).toFixed(1);
  process.stdout.write(
    [
      `Mixed load: ${describe}`,
      `${result.samples.length} requests in ${result.seconds.toFixed(1)} s: ${(result.samples.length / result.seconds).toFixed(0)} requests/s, ${mib} MiB/s; load average ${load1()}`,
      ...table(result.samples, result.seconds),
      '',
    ].join('\n'),
  );
  let failures = result.samples.filter((sample) => !sample.ok).length;

  if (values['during-refresh']) {
    process.stderr.write('Running the load during a full build and publish in another process…\n');
    const before = result.samples.at(-1)?.build ?? null;
    const buildStarted = performance.now();
    const building = runCli(['--db', db, 'build', '--full'], 'ignore');
    let buildSeconds = Number.NaN;
    // Keep going until the server answers from the new build (it polls the pointer every second).
    const switched = building.then(async () => {
      buildSeconds = (performance.now() - buildStarted) / 1000;
      for (;;) {
        const answer = await get(agent, `${url}/api/health`);
        if (answer.build !== null && answer.build !== before) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    const during = await load(agent, picker(org, seed + 2000), {
      total: Number.POSITIVE_INFINITY,
      seconds: Number.POSITIVE_INFINITY,
      until: switched,
    });
    await switched;
    const builds = new Set(during.samples.map((sample) => sample.build).filter(Boolean));
    process.stdout.write(
      [
        `During a full build + publish in another process (${buildSeconds.toFixed(1)} s; answered from ${builds.size} builds): ${describe}`,
        `${during.samples.length} requests in ${during.seconds.toFixed(1)} s: ${(during.samples.length / during.seconds).toFixed(0)} requests/s; load average ${load1()}`,
        ...table(during.samples, during.seconds),
        '',
      ].join('\n'),
    );
    failures += during.samples.filter((sample) => !sample.ok).length;
  }
  agent.destroy();
  if (failures > 0) process.exitCode = 1;
} finally {
  server?.kill('SIGTERM');
  if (work !== null) rmSync(work, { recursive: true, force: true });
}
