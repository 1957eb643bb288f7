/**
 * `syncbalance status` with the Data page's facts (issue 15): coverage per team, match rates,
 * unmatched counts, next refresh and warnings, the JSON checked with the API's own contract, the
 * same suppression as the page (a team below minGroupSize shows no gap counts), and no name,
 * address or free text from the sources (every such field of the Slack fixture carries "canary").
 *
 * Hand-computed from test/fixtures/slack-export (README.md): the roster has 4 people, all in
 * Engineering/Platform (so Engineering has the same 4); Ana, Ben and Eve match Slack accounts,
 * Zoe does not (without Slack: 1, share 3/4); no calendars were imported (without a calendar: 4);
 * Cho (an address the roster lacks) and the deleted user match no one (2 unmatched accounts; bots
 * and users missing from users.json are not accounts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dataHealthResponseSchema } from '../../server/contract/data-health.ts';
import { writeLastRun } from '../../warehouse/job-log.ts';
import { snapshotDirectory } from '../../warehouse/snapshot.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir, TEST_SALT } from '../helpers/warehouse.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'slack-export');
const env = { SYNCBALANCE_SALT: TEST_SALT };

const statusSchema = z.object({
  snapshot: z.object({ build_id: z.string() }).nullable(),
  jobs: z.array(z.object({ job: z.string() })),
  sources: z.array(z.object({ source: z.string(), last_import_at: z.string().nullable() })),
  data_health: dataHealthResponseSchema.nullable(),
  data_health_note: z.string().nullable(),
});

let db: string;
let dir: string;

beforeAll(async () => {
  // Shared by the tests (each builds with its own minGroupSize); tempDir() lasts one test only.
  dir = mkdtempSync(join(tmpdir(), 'syncbalance-status-'));
  db = join(dir, 'w.duckdb');
  const steps = [
    ['import', 'roster', join(FIXTURES, 'roster.csv'), '--as-of', '2026-01-01'],
    ['import', 'slack-export', join(FIXTURES, 'acme-2026-01')],
  ];
  for (const step of steps) {
    const result = await runCli(['--db', db, ...step], { env });
    expect(result.code, result.stderr).toBe(0);
  }
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function buildWith(minGroupSize: number): Promise<string> {
  const config = join(dir, `min-${minGroupSize}.yaml`);
  writeFileSync(config, `minGroupSize: ${minGroupSize}\n`);
  const built = await runCli(['--db', db, '--config', config, 'build'], { env });
  expect(built.code, built.stderr).toBe(0);
  return config;
}

describe('syncbalance status: what the numbers rest on', () => {
  it('prints coverage per team, match rates, unmatched counts and warnings, and the same as JSON', async () => {
    const config = await buildWith(3);
    const window = ['--to', '2026-01-07', '--weeks', '2'];
    const json = await runCli(['--db', db, '--config', config, 'status', '--json', ...window], {
      env,
    });
    expect(json.code, json.stderr).toBe(0);
    const status = statusSchema.parse(JSON.parse(json.stdout));
    expect(status.data_health_note).toBeNull();
    const health = status.data_health;
    expect(health).not.toBeNull();
    if (health === null) return;
    expect(health).toMatchObject({ scope: 'organisation', min_group_size: 3 });
    expect([health.from, health.to]).toEqual(['2025-12-29', '2026-01-05']);
    expect(
      health.teams.map((team) => [
        team.team,
        team.members_now,
        team.without_slack,
        team.without_calendar,
      ]),
    ).toEqual([
      ['Engineering', 4, 1, 4],
      ['Engineering/Platform', 4, 1, 4],
    ]);
    expect(health.unmatched).toEqual({
      slack_accounts: 2,
      calendar_owners: 0,
      roster_with_slack_share: 0.75,
      roster_with_calendar_share: 0,
    });
    expect(health.next_refresh_at).toBeNull();
    expect(health.sources.map((source) => source.source)).toEqual(['roster', 'slack_export']);
    // What status showed before stays.
    expect(status.sources.map((source) => source.source)).toEqual(['roster', 'slack_export']);
    expect(status.snapshot?.build_id).toBe(health.build?.build_id);

    const text = await runCli(['--db', db, '--config', config, 'status', ...window], { env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      'coverage by team (weeks 2025-12-29 to 2026-01-05; members with calendar and Slack data, shown only where the team-week is shown):',
    );
    expect(text.stdout).toMatch(
      /^ {2}Engineering\/Platform +4 members now; without a calendar 4, without Slack 1$/m,
    );
    expect(text.stdout).toMatch(
      /^ {4}2025-12-29 to 2026-01-05 {2}not shown: fewer than 3 active people$/m,
    );
    expect(text.stdout).toContain(
      'match rates: 75% of roster people have a matched Slack account, 0% an imported calendar; unmatched: 2 Slack accounts, 0 calendar owners',
    );
    expect(text.stdout).toMatch(/^next refresh: not scheduled$/m);
    expect(text.stdout).toMatch(/^warnings:\n {2}Engineering \(4 people now\): /m);
    expect(text.stdout).toMatch(/^published: build \S+/m);
    for (const output of [json.stdout, json.stderr, text.stdout, text.stderr]) {
      expect(output.toLowerCase()).not.toContain('canary');
      expect(output).not.toContain('@example.com');
      expect(output).not.toMatch(/\bp_[0-9a-f]{24}\b|\bsu_[0-9a-f]{24}\b/);
      expect(output).not.toContain(TEST_SALT);
    }
  }, 120_000);

  it('keeps a team below minGroupSize suppressed: no gap counts, no warning that could point at a person', async () => {
    const config = await buildWith(5);
    const json = await runCli(['--db', db, '--config', config, 'status', '--json'], { env });
    expect(json.code, json.stderr).toBe(0);
    const health = statusSchema.parse(JSON.parse(json.stdout)).data_health;
    expect(health?.min_group_size).toBe(5);
    for (const team of health?.teams ?? []) {
      expect(team).toMatchObject({ without_slack: null, without_calendar: null });
      expect(team.gaps_reason).toBe('fewer than 5 people on the team now');
      for (const week of team.weeks) expect(week.marks.coverage).toBeNull();
    }
    expect(health?.warnings.some((warning) => warning.includes('no matched Slack account'))).toBe(
      false,
    );
    const text = await runCli(['--db', db, '--config', config, 'status'], { env });
    expect(text.stdout).toMatch(
      /^ {2}Engineering\/Platform +4 members now; gaps not shown: fewer than 5 people on the team now$/m,
    );
    expect(text.stdout).not.toMatch(/without Slack \d/);
  }, 120_000);

  it('says once, first, that the shown build is older than intended, and why', async () => {
    const config = await buildWith(3);
    const failedAt = new Date(Date.now() + 60_000);
    writeLastRun(db, {
      job: 'refresh',
      startedAt: failedAt,
      finishedAt: failedAt,
      status: 'failed',
      counts: {},
      error: 'source slack failed: invalid_auth',
    });
    try {
      const text = await runCli(['--db', db, '--config', config, 'status'], { env });
      expect(text.code, text.stderr).toBe(0);
      const lines = text.stdout.split('\n');
      expect(lines[1]).toMatch(/^STALE: refresh failed at .*: source slack failed: invalid_auth$/);
      // The failed run is listed among the jobs too, but the warnings do not say it again.
      expect(lines.filter((line) => line.includes('older than intended'))).toEqual([]);
      expect(lines.filter((line) => line.includes('invalid_auth'))).toEqual([
        lines[1],
        expect.stringMatching(/^ {2}refresh +last failed .*\(source slack failed: invalid_auth\)/),
      ]);
      const json = await runCli(['--db', db, '--config', config, 'status', '--json'], { env });
      const status = statusSchema.parse(JSON.parse(json.stdout));
      // The JSON keeps the warning in data health, as the Data page shows it.
      expect(status.data_health?.warnings.some((line) => line.includes('invalid_auth'))).toBe(true);
    } finally {
      rmSync(join(snapshotDirectory(db), 'last-refresh.json'));
    }
  }, 120_000);

  it('says why when nothing is published yet, and still exits 0', async () => {
    const empty = join(tempDir(), 'w.duckdb');
    const json = await runCli(['--db', empty, 'status', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const status = statusSchema.parse(JSON.parse(json.stdout));
    expect(status.data_health).toBeNull();
    expect(status.data_health_note).toBe('nothing is published yet (run syncbalance build)');
    const text = await runCli(['--db', empty, 'status']);
    expect(text.stdout).toMatch(/^data health: nothing is published yet/m);
  }, 60_000);
});
