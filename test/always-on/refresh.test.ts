/**
 * `refresh`: configured sources one after the other, then build, then publish. A failing source
 * is logged (with its secrets removed) and the build still runs and publishes; an unconfigured
 * source is not run; health and `status` say the shown data is older than intended, and why.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importRoster } from '../../ingest/roster/import.ts';
import { refresh } from '../../jobs/refresh.ts';
import type { Source } from '../../jobs/types.ts';
import { healthSchema } from '../../server/contract/api.ts';
import { parseConfig } from '../../warehouse/config.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { jobRunsOf } from '../../warehouse/job-log.ts';
import { recordingReporter, silentReporter } from '../../warehouse/reporter.ts';
import { readCurrent, snapshotDirectory } from '../../warehouse/snapshot.ts';
import { runCli } from '../helpers/cli.ts';
import { TEST_SALT, tempDir, testPseudonymizer } from '../helpers/warehouse.ts';
import { send } from '../server/helpers/http.ts';
import { startTestServer, type TestServer } from '../server/helpers/server.ts';

const ROSTER = join(import.meta.dirname, '..', 'fixtures', 'roster', 'valid.csv');
const SECRET = 'env-secret-value-0123456789';
const TOKEN = 'xoxb-1111-2222-abcdefghijkl';

const rosterSource: Source = {
  name: 'roster_file',
  isConfigured: () => true,
  async run({ db, reporter }) {
    const summary = await importRoster({
      db,
      pseudonymizer: testPseudonymizer,
      file: ROSTER,
      asOf: '2026-11-02',
      reporter,
    });
    return { counts: { people: summary.people } };
  },
};

const brokenSource: Source = {
  name: 'broken_api',
  isConfigured: () => true,
  run: () =>
    Promise.reject(
      new Error(`the API refused token ${TOKEN} (client secret ${SECRET}): invalid_auth`),
    ),
};

let ranUnconfigured = false;
const unconfiguredSource: Source = {
  name: 'unconfigured',
  isConfigured: () => false,
  run: () => {
    ranUnconfigured = true;
    return Promise.resolve({ counts: {} });
  },
};

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.server.close()));
});

describe('refresh', () => {
  it('runs the configured sources, logs a failed one without its secrets, and still builds and publishes', async () => {
    const dbPath = join(tempDir(), 'w.duckdb');
    const config = parseConfig({ minGroupSize: 3 });
    const reporter = recordingReporter();
    const result = await refresh({
      config,
      env: {},
      dbPath,
      reporter,
      now: () => new Date(),
      signal: new AbortController().signal,
      sources: [rosterSource, brokenSource, unconfiguredSource],
      secrets: [SECRET],
    });
    expect(ranUnconfigured).toBe(false);
    expect(result.status).toBe('failed');
    expect(result.sources.map((source) => [source.name, source.status])).toEqual([
      ['roster_file', 'ok'],
      ['broken_api', 'failed'],
    ]);
    expect(result.publish).not.toBeNull();
    expect(readCurrent(dbPath)?.build_id).toBe(result.publish?.buildId);

    const db = await Warehouse.open(dbPath, { readOnly: true });
    try {
      expect((await jobRunsOf(db, 'source:roster_file'))[0]).toMatchObject({
        status: 'ok',
        counts: { people: 6 },
      });
      const [broken] = await jobRunsOf(db, 'source:broken_api');
      expect(broken?.status).toBe('failed');
      expect(broken?.error).toMatch(/refused token \[redacted\].*invalid_auth/);
      expect(await jobRunsOf(db, 'source:unconfigured')).toEqual([]);
      expect((await jobRunsOf(db, 'build'))[0]?.status).toBe('ok');
      expect((await jobRunsOf(db, 'publish'))[0]).toMatchObject({
        status: 'ok',
        counts: { build_id: result.publish?.buildId },
      });
      const [run] = await jobRunsOf(db, 'refresh');
      expect(run).toMatchObject({ status: 'failed', counts: { sources_ok: 1, sources_failed: 1 } });
      expect(run?.error).toMatch(/source broken_api failed.*built and published on what is known/);
    } finally {
      db.close();
    }
    // Neither secret reaches the warehouse, a snapshot, a state file or a log line.
    const files = [
      dbPath,
      ...readdirSync(snapshotDirectory(dbPath)).map((name) =>
        join(snapshotDirectory(dbPath), name),
      ),
    ];
    for (const file of files) {
      const bytes = readFileSync(file).toString('latin1');
      expect(bytes, file).not.toContain(SECRET);
      expect(bytes, file).not.toContain(TOKEN);
    }
    const said = [...reporter.results, ...reporter.infos, ...reporter.warnings].join('\n');
    expect(said).toContain('source broken_api failed');
    expect(said).not.toContain(SECRET);
    expect(said).not.toContain(TOKEN);

    // The server shows the build, and says it is older than intended and why.
    const server = await startTestServer({ dbPath, config: { minGroupSize: 3 } });
    servers.push(server);
    const health = healthSchema.parse((await send(`${server.url}/api/health`)).json());
    expect(health.status).toBe('degraded');
    expect(health.snapshot?.build_id).toBe(result.publish?.buildId);
    expect(health.stale).toMatchObject({ job: 'refresh' });
    expect(health.stale?.reason).toMatch(/source broken_api failed/);
    expect(health.jobs.map((job) => job.job)).toEqual(
      expect.arrayContaining(['refresh', 'build', 'publish', 'source:broken_api']),
    );

    // With no source configured a refresh is a build and a publish; the warning goes away.
    const second = await refresh({
      config,
      env: {},
      dbPath,
      reporter: silentReporter,
      now: () => new Date(),
      signal: new AbortController().signal,
      sources: [unconfiguredSource],
      secrets: [],
    });
    expect(second.status).toBe('ok');
    expect(second.sources).toEqual([]);
    expect(readCurrent(dbPath)?.build_id).toBe(second.publish?.buildId);
    const after = healthSchema.parse((await send(`${server.url}/api/health`)).json());
    expect(after.stale).toBeNull();
  }, 120_000);

  it('reports through the CLI: refresh exits 0 without sources, status shows the build, each job and each source', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'w.duckdb');
    const config = join(dir, 'config.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      config,
      "minGroupSize: 3\nschedule:\n  refresh: { cron: '0 6 * * *', timezone: Europe/Berlin }\n",
    );
    const env = { SYNCBALANCE_SALT: TEST_SALT };
    expect((await runCli(['--db', dbPath, 'import', 'roster', ROSTER], { env })).code).toBe(0);
    const refreshed = await runCli(['--db', dbPath, '--config', config, 'refresh'], { env });
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(refreshed.stdout).toMatch(/Published build \S+/);
    const status = await runCli(['--db', dbPath, '--config', config, 'status', '--json'], { env });
    expect(status.code, status.stderr).toBe(0);
    const parsed = JSON.parse(status.stdout) as {
      snapshot: { build_id: string; age_seconds: number } | null;
      jobs: { job: string; last: { status: string } | null; next_run_at: string | null }[];
      sources: { source: string; last_import_at: string | null }[];
      stale: unknown;
    };
    expect(parsed.snapshot?.build_id).toBe(readCurrent(dbPath)?.build_id);
    expect(parsed.stale).toBeNull();
    const refreshJob = parsed.jobs.find((job) => job.job === 'refresh');
    expect(refreshJob?.last?.status).toBe('ok');
    // 06:00 in Berlin is 05:00 or 04:00 UTC, depending on the season.
    expect(refreshJob?.next_run_at).toMatch(/T0[45]:00:00\.000Z$/);
    expect(parsed.jobs.map((job) => job.job)).toEqual(
      expect.arrayContaining(['build', 'publish', 'refresh']),
    );
    expect(parsed.sources.map((source) => source.source)).toContain('roster');
    const text = await runCli(['--db', dbPath, '--config', config, 'status'], { env });
    expect(text.stdout).toMatch(/^published: build \S+, \d+ s old/m);
    expect(text.stdout).toMatch(/^ {2}refresh +last ok .*; next 20\d\d-/m);
  }, 120_000);
});
