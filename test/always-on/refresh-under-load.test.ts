/**
 * The dashboard keeps answering while another process imports, builds and publishes: 20 clients
 * loop over the API during a whole `syncbalance demo` run (a different seed: new raw data, a new
 * build, a publish) in a child process. Every response names one build, every body matches that
 * build, no request fails, and the new build is served within 5 s of its publish. Then writers
 * killed with SIGKILL at several points leave the served data as it was, and a rerun publishes.
 */
import { existsSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthSchema } from '../../server/contract/api.ts';
import { parseConfig } from '../../warehouse/config.ts';
import { readCurrent, snapshotDirectory } from '../../warehouse/snapshot.ts';
import { buildDemoWarehouse, DEMO_LAST_WEEK, type DemoWarehouse } from '../server/helpers/demo.ts';
import { send } from '../server/helpers/http.ts';
import { startTestServer, type TestServer } from '../server/helpers/server.ts';
import { loadClients, spawnCli, type Sample } from './helpers.ts';

const WEEKS = 4;
const PATHS = [
  '/api/teams',
  '/api/overview',
  '/api/health',
  '/api/teams/Engineering/Platform/weeks?from=2026-10-01&to=2026-11-15',
  '/api/me',
];

let demo: DemoWarehouse;
let server: TestServer;

beforeAll(async () => {
  demo = await buildDemoWarehouse(parseConfig({}), WEEKS);
  // The default poll interval, as a user runs it.
  server = await startTestServer({ dbPath: demo.path });
}, 180_000);

afterAll(async () => {
  await server.server.close();
  demo.remove();
});

/** Polls the pointer until it names another build; resolves with the time it was seen. */
async function publishedAfter(previous: string): Promise<{ build: string; at: number }> {
  for (;;) {
    const pointer = readCurrent(demo.path);
    if (pointer !== null && pointer.build_id !== previous)
      return { build: pointer.build_id, at: performance.now() };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function bodiesByBuild(samples: readonly Sample[], path: string): Map<string, Set<string>> {
  const byBuild = new Map<string, Set<string>>();
  for (const sample of samples.filter((item) => item.path === path)) {
    const bodies = byBuild.get(sample.build) ?? new Set<string>();
    bodies.add(sample.body);
    byBuild.set(sample.build, bodies);
  }
  return byBuild;
}

describe('serving during a refresh in another process', () => {
  it('answers every request from exactly one build, with no errors, and serves the new build within 5 s of its publish', async () => {
    const before = readCurrent(demo.path)?.build_id ?? '';
    const clients = loadClients(server.url, PATHS, 20);
    // A few rounds on the first build before the writer starts.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const writer = spawnCli([
      '--db',
      demo.path,
      'demo',
      '--seed',
      '43',
      '--weeks',
      String(WEEKS),
      '--last-week',
      DEMO_LAST_WEEK,
    ]);
    const published = publishedAfter(before);
    expect(await writer.exited, writer.stderr()).toBe(0);
    const { build: after, at: publishedAt } = await published;
    // Keep loading until every client has been answered from the new build.
    const deadline = performance.now() + 20_000;
    const sawNew = (client: number): boolean =>
      clients.samples.some((sample) => sample.client === client && sample.build === after);
    while (performance.now() < deadline && !Array.from({ length: 20 }, (_, c) => c).every(sawNew))
      await new Promise((resolve) => setTimeout(resolve, 100));
    await clients.stop();
    const { samples, errors } = clients;

    expect(errors).toEqual([]);
    expect(new Set(samples.map((sample) => sample.build))).toEqual(new Set([before, after]));
    // Each client's requests are sequential: once it has seen the new build, never the old again.
    for (let client = 0; client < 20; client++) {
      const builds = samples.filter((sample) => sample.client === client).map((s) => s.build);
      const firstNew = builds.indexOf(after);
      expect(firstNew).toBeGreaterThan(-1);
      expect(builds.slice(firstNew).every((build) => build === after)).toBe(true);
    }
    // One body per build for every data route, and the two builds differ (another seed).
    for (const path of PATHS.filter((item) => item !== '/api/health')) {
      const byBuild = bodiesByBuild(samples, path);
      for (const bodies of byBuild.values()) expect(bodies.size, path).toBe(1);
    }
    const teams = bodiesByBuild(samples, '/api/overview');
    expect([...(teams.get(before) ?? [])][0]).not.toBe([...(teams.get(after) ?? [])][0]);
    // Health names the build of its own header.
    for (const sample of samples.filter((item) => item.path === '/api/health'))
      expect(healthSchema.parse(JSON.parse(sample.body)).snapshot?.build_id).toBe(sample.build);

    const firstNew = Math.min(
      ...samples.filter((sample) => sample.build === after).map((sample) => sample.finishedAt),
    );
    const switchMs = firstNew - publishedAt;
    expect(switchMs).toBeLessThan(5_000);
    const slowest = samples.reduce((a, b) =>
      b.finishedAt - b.startedAt > a.finishedAt - a.startedAt ? b : a,
    );
    const longest = slowest.finishedAt - slowest.startedAt;
    console.log(
      `refresh under load: ${samples.length} requests by 20 clients, ${errors.length} errors, longest ${longest.toFixed(0)} ms (${slowest.path}, ${(slowest.startedAt - publishedAt).toFixed(0)} ms after the publish), publish → first new response ${switchMs.toFixed(0)} ms`,
    );
  }, 240_000);

  it.each(['build:before-commit', 'publish:copied', 'publish:renamed'])(
    'keeps serving the published build when a build is killed at %s, and a rerun publishes',
    async (point) => {
      const before = readCurrent(demo.path)?.build_id ?? '';
      const teamsBefore = await send(`${server.url}/api/overview`);
      expect(teamsBefore.header('x-syncbalance-build')).toBe(before);
      const writer = spawnCli(['--db', demo.path, 'build'], { SYNCBALANCE_TEST_PAUSE_AT: point });
      await writer.waitFor(new RegExp(`paused at ${point}`));
      writer.child.kill('SIGKILL');
      expect(await writer.exited).toBe('SIGKILL');

      // Give a server every chance to notice a change that must not have happened.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(readCurrent(demo.path)?.build_id).toBe(before);
      const teamsAfter = await send(`${server.url}/api/overview`);
      expect(teamsAfter.status).toBe(200);
      expect(teamsAfter.header('x-syncbalance-build')).toBe(before);
      expect(teamsAfter.body).toBe(teamsBefore.body);

      const rerun = spawnCli(['--db', demo.path, 'build']);
      expect(await rerun.exited, rerun.stderr()).toBe(0);
      const next = readCurrent(demo.path)?.build_id ?? '';
      expect(next).not.toBe(before);
      // Nothing a killed publish wrote is left behind, and at most `snapshots.keep` remain.
      const files = readdirSync(snapshotDirectory(demo.path));
      expect(files.filter((name) => name.includes('.partial'))).toEqual([]);
      expect(files.filter((name) => name.endsWith('.duckdb')).length).toBeLessThanOrEqual(3);
      expect(existsSync(`${snapshotDirectory(demo.path)}/${next}.duckdb`)).toBe(true);
      const deadline = Date.now() + 5_000;
      let served = '';
      while (Date.now() < deadline && served !== next) {
        served = (await send(`${server.url}/api/teams`)).header('x-syncbalance-build') ?? '';
        if (served !== next) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(served).toBe(next);
    },
    180_000,
  );
});
