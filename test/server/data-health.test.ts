/**
 * `GET /api/data-health` and the week marks over real HTTP (proxy sign-in), on the hand-made
 * organisation of test/models/data-health-scenario.ts, published as a snapshot: the admin sees
 * the organisation with its unmatched counts; a manager sees only their teams and no unmatched
 * counts; a suppressed team has no coverage counts; team weeks carry their marks; the overview's
 * 4-week baseline skips the holiday.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overviewResponseSchema, teamWeeksResponseSchema } from '../../server/contract/api.ts';
import { dataHealthResponseSchema } from '../../server/contract/data-health.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { writeLastRun } from '../../warehouse/job-log.ts';
import { publishSnapshot } from '../../warehouse/publish.ts';
import {
  dataHealthOrganisation,
  ENG_LEAD,
  HOLIDAY,
  OPS_LEAD,
  WEEKS,
} from '../models/data-health-scenario.ts';
import { send } from './helpers/http.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const ADMIN = 'admin@example.com';
const HEADER = 'X-Forwarded-Email';
const FROM = WEEKS[0];
const TO = WEEKS[WEEKS.length - 1];

let dir: string;
let path: string;
let api: TestServer;

beforeAll(async () => {
  const built = await dataHealthOrganisation().build();
  built.db.close();
  dir = mkdtempSync(join(tmpdir(), 'syncbalance-data-health-'));
  path = join(dir, 'health.duckdb');
  copyFileSync(built.db.path, path);
  const writer = await Warehouse.open(path);
  await publishSnapshot(writer, { keep: 1 });
  writer.close();
  api = await startTestServer({
    dbPath: path,
    config: {
      admins: [ADMIN],
      server: { auth: { mode: 'proxy', header: HEADER, trustedProxies: ['127.0.0.1'] } },
    },
  });
}, 120_000);

afterAll(async () => {
  await api.server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function dataHealth(viewer: string) {
  const response = await send(`${api.url}/api/data-health?from=${FROM}&to=${TO}`, {
    headers: { [HEADER]: viewer },
  });
  expect(response.status).toBe(200);
  return dataHealthResponseSchema.parse(response.json());
}

describe('GET /api/data-health', () => {
  it('shows the admin the organisation: sources, coverage per week, gaps and unmatched counts', async () => {
    const body = await dataHealth(ADMIN);
    expect(body.scope).toBe('organisation');
    expect(body.holiday_z_threshold).toBe(-1.5);
    expect(body.min_group_size).toBe(5);
    expect(body.build?.build_id).toMatch(/^\d{8}T/);
    expect(body.sources.map((source) => source.source)).toEqual(['roster', 'demo']);
    expect(body.sources[0]).toMatchObject({ covers_from: '2026-01-05', covers_to: '2026-01-05' });
    // Ten people now: 7 with a matched Slack account, 8 with a calendar; one human Slack account
    // (the bot and the deactivated one do not count) and one calendar owner match nobody.
    expect(body.unmatched).toEqual({
      slack_accounts: 1,
      calendar_owners: 1,
      roster_with_slack_share: 0.7,
      roster_with_calendar_share: 0.8,
    });
    const eng = body.teams.find((team) => team.team === 'Eng');
    expect(eng).toMatchObject({ members_now: 7, without_slack: 0, without_calendar: 2 });
    expect(eng?.weeks.map((week) => week.week_start)).toEqual([...WEEKS]);
    for (const week of eng?.weeks ?? []) {
      expect(week.marks.coverage).toEqual({
        members: 7,
        calendar: 5,
        slack: 7,
        both: 5,
        neither: 0,
      });
      expect(week.marks.probable_holiday).toBe(week.week_start === HOLIDAY);
    }
    expect(body.warnings).toContain('Eng (7 people now): 2 people have no imported calendar.');
    expect(body.warnings.some((line) => line.startsWith('1 Slack account matches'))).toBe(true);
  });

  it('gives a suppressed team no coverage counts and no gaps, saying why', async () => {
    const ops = (await dataHealth(ADMIN)).teams.find((team) => team.team === 'Ops');
    expect(ops).toMatchObject({
      members_now: 3,
      without_slack: null,
      without_calendar: null,
      gaps_reason: 'fewer than 5 people on the team now',
    });
    for (const week of ops?.weeks ?? []) {
      expect(week.suppressed).toBe(true);
      expect(week.marks).toEqual({
        coverage: null,
        coverage_reason: 'fewer than 5 active people',
        probable_holiday: false,
        activity_z: null,
      });
    }
  });

  it('shows a manager only their visible teams, and no organisation-wide counts', async () => {
    const eng = await dataHealth(ENG_LEAD);
    expect(eng.scope).toBe('teams');
    expect(eng.unmatched).toBeNull();
    expect(eng.teams.map((team) => team.team)).toEqual(['Eng']);
    expect(eng.warnings.some((line) => line.includes('Slack account'))).toBe(false);
    const ops = await dataHealth(OPS_LEAD);
    expect(ops.teams.map((team) => team.team)).toEqual(['Ops']);
    expect(ops.teams[0]?.weeks.every((week) => week.marks.coverage === null)).toBe(true);
  });

  it('reports a source whose last run failed, with the reason for admins only', async () => {
    // A failed Google sync after the snapshot was published: only the job state file knows it.
    writeLastRun(path, {
      job: 'source:google_calendar',
      startedAt: new Date('2026-11-17T05:00:00Z'),
      finishedAt: new Date('2026-11-17T05:01:00Z'),
      status: 'failed',
      counts: {},
      error: 'Google answered 401: the service account lost domain-wide delegation',
    });
    const admin = (await dataHealth(ADMIN)).sources.find((s) => s.source === 'google_calendar');
    expect(admin).toMatchObject({
      kind: 'calendar',
      last_success_at: null,
      last_error: {
        at: '2026-11-17T05:01:00.000Z',
        message: 'Google answered 401: the service account lost domain-wide delegation',
      },
    });
    const manager = (await dataHealth(ENG_LEAD)).sources.find(
      (s) => s.source === 'google_calendar',
    );
    expect(manager?.last_error?.message).not.toContain('401');
    expect(
      (await dataHealth(ADMIN)).warnings.some((line) =>
        line.startsWith('Google Calendar: the last run failed'),
      ),
    ).toBe(true);
  });

  it('validates the range like the other endpoints', async () => {
    const response = await send(`${api.url}/api/data-health?from=${TO}&to=${FROM}`, {
      headers: { [HEADER]: ADMIN },
    });
    expect(response.status).toBe(400);
  });
});

describe('week marks and the 4-week baseline', () => {
  it('marks every team-week with its coverage and the holiday', async () => {
    const response = await send(`${api.url}/api/teams/Eng/weeks?from=${FROM}&to=${TO}`, {
      headers: { [HEADER]: ENG_LEAD },
    });
    const body = teamWeeksResponseSchema.parse(response.json());
    const holiday = body.weeks.find((week) => week.week_start === HOLIDAY);
    expect(holiday?.marks.probable_holiday).toBe(true);
    expect(holiday?.marks.activity_z).toBeCloseTo(-24 / Math.sqrt(14), 9);
    expect(holiday?.marks.coverage).toEqual({
      members: 7,
      calendar: 5,
      slack: 7,
      both: 5,
      neither: 0,
    });
  });

  it('skips the flagged week in the overview baseline and names it', async () => {
    // Week of 13 April (5 meeting hours, focus 40 − 5 = 35 h). The 4 weeks before are 6 April,
    // 30 March, 23 March (the holiday, skipped) and 16 March, then 9 March: meeting hours
    // 4, 5, 4, 5 → focus mean 35.5, change −0.5 h. Without the skip (4, 5, 1, 4) it would be −1.5.
    const response = await send(`${api.url}/api/overview?week=2026-04-13`, {
      headers: { [HEADER]: ENG_LEAD },
    });
    const body = overviewResponseSchema.parse(response.json());
    const eng = body.rows.find((row) => row.team.path === 'Eng');
    expect(eng?.baseline_weeks).toEqual(['2026-03-09', '2026-03-16', '2026-03-30', '2026-04-06']);
    expect(eng?.baseline_skipped_holidays).toEqual([HOLIDAY]);
    expect(eng?.week?.metrics.focus_hours_median.value).toBeCloseTo(35, 9);
    expect(eng?.change_vs_previous_4_weeks['focus_hours_median']).toBeCloseTo(-0.5, 9);
  });
});
