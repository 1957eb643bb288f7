/**
 * The API over real HTTP, in mode `none` (the local admin sees every team), against the demo
 * organisation built into a real warehouse file: every endpoint, every validation error, the error
 * shape, headers, static files, request logs, and that no body ever carries a person's address,
 * name or id. Responses are checked against the same schemas the dashboard parses them with.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  distributionResponseSchema,
  errorBodySchema,
  healthSchema,
  meSchema,
  overviewResponseSchema,
  teamsResponseSchema,
  teamUrlSegment,
  teamWeeksResponseSchema,
  type TeamWeek,
} from '../../server/contract/api.ts';
import {
  DISTRIBUTION_BUCKETS,
  HEADLINE_METRICS,
  TEAM_WEEK_METRICS,
} from '../../server/contract/metrics.ts';
import { publishableBuckets, roundedShare } from '../../server/present/distribution.ts';
import { parseConfig } from '../../warehouse/config.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { latestSchemaVersion } from '../../warehouse/migrate.ts';
import {
  buildDemoWarehouse,
  DEMO_LAST_WEEK,
  DEMO_NOW,
  WEB_ASSET,
  WEB_INDEX,
  writeWebRoot,
  type DemoWarehouse,
} from './helpers/demo.ts';
import { runCli } from '../helpers/cli.ts';
import { receivedBodies, send, type HttpResponse } from './helpers/http.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/** Sixteen weeks: a full 12-week trend plus the 4 weeks before it. */
const WEEKS = 16;
const FIRST_WEEK = '2026-07-27';
const CONFIG = {
  workingAgreements: {
    teams: {
      Engineering: { focusHoursMin: 15, offHoursShareMax: null },
      'Engineering/Platform': { meetingLoadPctMax: 25 },
    },
  },
};

let demo: DemoWarehouse;
let expected: Warehouse;
let api: TestServer;

beforeAll(async () => {
  demo = await buildDemoWarehouse(parseConfig(CONFIG), WEEKS);
  api = await startTestServer({
    dbPath: demo.path,
    config: CONFIG,
    webRoot: writeWebRoot(demo.dir),
  });
  // A second read-only reader: the server must not need the file to itself.
  expected = await Warehouse.open(demo.path, { readOnly: true });
});

afterAll(async () => {
  await api.server.close();
  expected.close();
  demo.remove();
});

function get(path: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
  return send(`${api.url}${path}`, { headers });
}

function weeksPath(team: string, from: string, to: string): string {
  return `/api/teams/${teamUrlSegment(team)}/weeks?from=${from}&to=${to}`;
}

function expectError(response: HttpResponse, status: number, code: string, message?: RegExp): void {
  expect(response.status).toBe(status);
  expect(response.header('content-type')).toMatch(/^application\/json/);
  const body = errorBodySchema.parse(response.json());
  expect(body.error.code).toBe(code);
  if (message) expect(body.error.message).toMatch(message);
}

describe('GET /api/health', () => {
  it('reports the warehouse, the demo import and the build', async () => {
    const response = await get('/api/health');
    expect(response.status).toBe(200);
    const health = healthSchema.parse(response.json());
    expect(health.status).toBe('ok');
    expect(health.warehouse).toEqual({ reachable: true, schema_version: latestSchemaVersion() });
    expect(health.sources.map((source) => source.source)).toContain('demo');
    expect(health.build.models).toBeGreaterThan(10);
    expect(health.build.built_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // The server's clock says 2026-11-17: the week of the 16th has not ended yet.
    expect(health.latest_complete_week).toBe(DEMO_LAST_WEEK);
  });
});

describe('GET /api/me', () => {
  it('makes the person at this machine the admin, without naming anyone', async () => {
    const me = meSchema.parse((await get('/api/me')).json());
    const allTeams = await expected.parse(
      z.object({ team_path: z.string() }),
      'SELECT team_path FROM marts.teams ORDER BY team_path',
    );
    expect(me).toEqual({
      auth_mode: 'none',
      signed_in: true,
      role: 'admin',
      visible_teams: allTeams.map((team) => team.team_path),
      csrf_token: null,
      google_client_id: null,
      min_group_size: 5,
    });
  });
});

describe('GET /api/teams', () => {
  it('lists the team tree with sizes and the nearest working agreements', async () => {
    const body = teamsResponseSchema.parse((await get('/api/teams')).json());
    expect(body.latest_complete_week).toBe(DEMO_LAST_WEEK);
    const rows = await expected.parse(
      z.object({ team_path: z.string(), members_now: z.number() }),
      'SELECT team_path, members_now FROM marts.teams ORDER BY team_path',
    );
    expect(body.teams.map((team) => [team.path, team.members_now])).toEqual(
      rows.map((row) => [row.team_path, row.members_now]),
    );
    const byPath = new Map(body.teams.map((team) => [team.path, team]));
    const none = {
      meeting_load_pct_max: null,
      focus_hours_min: null,
      response_median_working_minutes_max: null,
      off_hours_share_max: null,
    };
    expect(byPath.get('Engineering/Platform')).toMatchObject({
      name: 'Platform',
      parent_path: 'Engineering',
      depth: 2,
      agreements: {
        ...none,
        meeting_load_pct_max: 25,
        focus_hours_min: 15,
        response_median_working_minutes_max: 240,
      },
    });
    // Target by target: Engineering's focus target and its switched-off off-hours target reach its
    // other teams; the rest comes from the default.
    expect(byPath.get('Engineering/Data')?.agreements).toEqual({
      ...none,
      meeting_load_pct_max: 30,
      focus_hours_min: 15,
      response_median_working_minutes_max: 240,
    });
    expect(byPath.get('Business/Sales')?.agreements).toEqual({
      meeting_load_pct_max: 30,
      focus_hours_min: 12,
      response_median_working_minutes_max: 240,
      off_hours_share_max: 0.1,
    });
    expect(byPath.get('Engineering')).toMatchObject({ parent_path: null, depth: 1 });
  });
});

describe('GET /api/teams/{path}/weeks', () => {
  it('sends a range gzipped (compressed as it is made) to clients that accept it', async () => {
    const path = weeksPath('Engineering/Data', FIRST_WEEK, '2026-11-15');
    const zipped = await get(path, { 'accept-encoding': 'gzip' });
    const plain = await get(path);
    expect(plain.bytes.length).toBeGreaterThan(1024);
    expect(plain.bytes.length).toBeLessThan(256 * 1024);
    expect(zipped.header('content-encoding')).toBe('gzip');
    expect(gunzipSync(zipped.bytes).toString('utf8')).toBe(plain.body);
    expect(teamWeeksResponseSchema.parse(plain.json()).weeks).toHaveLength(WEEKS);
  });

  it('returns every metric of the mart and the organisation value for each week', async () => {
    const response = await get(weeksPath('Engineering/Platform', FIRST_WEEK, '2026-11-15'));
    expect(response.status).toBe(200);
    const body = teamWeeksResponseSchema.parse(response.json());
    expect(body.team.path).toBe('Engineering/Platform');
    expect(body.min_group_size).toBe(5);
    expect(body.weeks).toHaveLength(WEEKS);
    expect(body.weeks[0]?.week_start).toBe(FIRST_WEEK);
    expect(body.weeks.at(-1)?.week_start).toBe(DEMO_LAST_WEEK);

    const columns = TEAM_WEEK_METRICS.join(', ');
    const team = await expected.all(
      `SELECT week_start, members, members_active_min, members_active_max, suppressed, ${columns} FROM marts.team_weeks
       WHERE team_path = 'Engineering/Platform' AND week_start <= DATE '2026-11-09' ORDER BY week_start`,
    );
    const org = await expected.all(
      `SELECT week_start, ${columns} FROM marts.org_weeks
       WHERE week_start <= DATE '2026-11-09' ORDER BY week_start`,
    );
    body.weeks.forEach((week, index) => {
      const row = team[index]!;
      expect(week.week_start).toBe(row['week_start']);
      expect(week.members).toBe(row['members']);
      expect(week.members_active_band).toEqual({
        min: row['members_active_min'],
        max: row['members_active_max'],
      });
      expect(week).not.toHaveProperty('members_active');
      expect(week.suppressed).toBe(false);
      for (const metric of TEAM_WEEK_METRICS) {
        expect(week.metrics[metric].value).toBe(row[metric]);
        expect(week.org[metric]).toBe(org[index]![metric]);
      }
    });
  });

  it('checks each working agreement of the team against every week', async () => {
    const body = teamWeeksResponseSchema.parse(
      (await get(weeksPath('Business/Sales', FIRST_WEEK, DEMO_LAST_WEEK))).json(),
    );
    const outcomes = new Set<boolean | null>();
    for (const week of body.weeks) {
      expect(
        week.agreements.map((check) => [check.metric, check.comparison, check.target]),
      ).toEqual([
        ['meeting_load_pct_median', 'max', 30],
        ['focus_hours_median', 'min', 12],
        ['response_median_working_minutes', 'max', 240],
        ['off_hours_share_median', 'max', 0.1],
      ]);
      for (const check of week.agreements) {
        const value = week.metrics[check.metric].value!;
        const met = check.comparison === 'max' ? value <= check.target : value >= check.target;
        expect(check.met).toBe(met);
        outcomes.add(check.met);
      }
    }
    expect(outcomes).toEqual(new Set([true, false]));
    const platform = teamWeeksResponseSchema.parse(
      (await get(weeksPath('Engineering/Platform', DEMO_LAST_WEEK, DEMO_LAST_WEEK))).json(),
    );
    expect(platform.weeks[0]?.agreements.map((check) => [check.metric, check.target])).toEqual([
      ['meeting_load_pct_median', 25],
      ['focus_hours_median', 15],
      ['response_median_working_minutes', 240],
    ]);
  });

  it('answers a team with a literal slash and one with %2F identically', async () => {
    const encoded = await get(weeksPath('Engineering/Platform', '2026-10-01', '2026-10-31'));
    const literal = await get(
      '/api/teams/Engineering/Platform/weeks?from=2026-10-01&to=2026-10-31',
    );
    expect(literal.status).toBe(200);
    expect(literal.body).toBe(encoded.body);
  });

  it('takes the whole week of from and of to', async () => {
    const body = teamWeeksResponseSchema.parse(
      (await get(weeksPath('Engineering', '2026-10-07', '2026-10-13'))).json(),
    );
    expect(body.weeks.map((week) => week.week_start)).toEqual(['2026-10-05', '2026-10-12']);
    expect(body.from).toBe('2026-10-07');
    expect(body.to).toBe('2026-10-13');
  });

  it('empties every cell of a team below the minimum group size, saying why', async () => {
    const body = teamWeeksResponseSchema.parse(
      (await get(weeksPath('Engineering/Security', FIRST_WEEK, DEMO_LAST_WEEK))).json(),
    );
    expect(body.weeks).toHaveLength(WEEKS);
    for (const week of body.weeks) {
      expect(week.suppressed).toBe(true);
      expect(week.reason).toBe('fewer than 5 active people');
      for (const metric of TEAM_WEEK_METRICS) {
        expect(week.metrics[metric]).toEqual({ value: null, reason: 'fewer than 5 active people' });
      }
      expect(week.agreements.every((check) => check.met === null)).toBe(true);
      // The organisation line is still there: it is not about this team.
      expect(week.org.meeting_hours_median).toEqual(expect.any(Number));
    }
  });

  it('shows nothing built with a smaller minGroupSize than configured, until the next build', async () => {
    const strict = await startTestServer({ dbPath: demo.path, config: { minGroupSize: 16 } });
    try {
      for (const path of [
        weeksPath('Engineering/Data', DEMO_LAST_WEEK, DEMO_LAST_WEEK),
        `/api/teams/Engineering%2FData/distribution?week=${DEMO_LAST_WEEK}&metric=focus_hours`,
        '/api/overview',
        '/api/export.csv',
      ]) {
        const response = await send(`${strict.url}${path}`);
        expect(response.status, path).toBe(503);
        expect(errorBodySchema.parse(response.json()).error.message, path).toContain(
          'minGroupSize: built with 5, configured 16',
        );
      }
    } finally {
      await strict.server.close();
    }
  });
});

describe('GET /api/teams/{path}/distribution', () => {
  async function expectedCounts(team: string, metric: string, extra = ''): Promise<number[]> {
    const values = await expected.parse(
      z.object({ value: z.number() }),
      `SELECT ${metric}::DOUBLE AS value FROM marts.person_weeks
       WHERE week_start = DATE '2026-11-09' AND team_path = $1
         AND is_active AND ${metric} IS NOT NULL ${extra}`,
      [team],
    );
    const edges = DISTRIBUTION_BUCKETS[metric as keyof typeof DISTRIBUTION_BUCKETS];
    return edges.map((edge, index) => {
      const upper = edges[index + 1];
      return values.filter(
        ({ value }) => (index === 0 || value >= edge) && (upper === undefined || value < upper),
      ).length;
    });
  }

  /** What the route must answer for these counts: merged buckets of 5+, as rounded shares. */
  function expectedBuckets(metric: keyof typeof DISTRIBUTION_BUCKETS, counts: number[]) {
    const total = counts.reduce((sum, count) => sum + count, 0);
    return (publishableBuckets(DISTRIBUTION_BUCKETS[metric], counts, 5) ?? []).map((bucket) => ({
      from: bucket.from,
      to: bucket.to,
      share: roundedShare(bucket.count, total),
    }));
  }

  it('spreads the active people of a team over merged buckets of at least 5, as rounded shares', async () => {
    const response = await get(
      `/api/teams/Engineering%2FPlatform/distribution?week=2026-11-11&metric=meeting_hours`,
    );
    expect(response.status).toBe(200);
    const body = distributionResponseSchema.parse(response.json());
    const counts = await expectedCounts('Engineering/Platform', 'meeting_hours');
    expect(body).toMatchObject({
      team: 'Engineering/Platform',
      week: DEMO_LAST_WEEK,
      metric: 'meeting_hours',
      suppressed: false,
      reason: null,
    });
    expect(body.buckets).toEqual(expectedBuckets('meeting_hours', counts));
    expect(body.buckets.length).toBeGreaterThanOrEqual(2);
    expect(body.buckets[0]?.from).toBe(0);
    expect(body.buckets.at(-1)?.to).toBeNull();
    // No head count in any form: shares only, on a 5-point grid.
    expect(body).not.toHaveProperty('contributors');
    for (const bucket of body.buckets) {
      expect(bucket).not.toHaveProperty('count');
      expect(Math.round(bucket.share * 100) % 5).toBe(0);
    }
  });

  it('shows nothing when the people do not spread over two buckets of 5 or more', async () => {
    // Engineering/Data's fifteen all had similar meeting hours that week.
    const counts = await expectedCounts('Engineering/Data', 'meeting_hours');
    expect(publishableBuckets(DISTRIBUTION_BUCKETS.meeting_hours, counts, 5)).toBeNull();
    const body = distributionResponseSchema.parse(
      (
        await get(
          `/api/teams/Engineering%2FData/distribution?week=${DEMO_LAST_WEEK}&metric=meeting_hours`,
        )
      ).json(),
    );
    expect(body).toMatchObject({
      suppressed: true,
      reason: 'shown only when the people spread over at least two ranges of 5 or more people each',
      buckets: [],
    });
  });

  it('counts response times only for people with at least 3 responses that week', async () => {
    const body = distributionResponseSchema.parse(
      (
        await get(
          `/api/teams/Engineering%2FPayments/distribution?week=${DEMO_LAST_WEEK}&metric=response_median_working_minutes`,
        )
      ).json(),
    );
    const counts = await expectedCounts(
      'Engineering/Payments',
      'response_median_working_minutes',
      'AND responses >= 3',
    );
    expect(body.suppressed).toBe(false);
    expect(body.buckets).toEqual(expectedBuckets('response_median_working_minutes', counts));
  });

  it('shows no buckets at all for a team below the minimum group size', async () => {
    const body = distributionResponseSchema.parse(
      (
        await get(
          `/api/teams/Engineering%2FSecurity/distribution?week=${DEMO_LAST_WEEK}&metric=focus_hours`,
        )
      ).json(),
    );
    expect(body).toEqual({
      team: 'Engineering/Security',
      week: DEMO_LAST_WEEK,
      metric: 'focus_hours',
      suppressed: true,
      reason: 'fewer than 5 active people',
      buckets: [],
    });
  });

  it('shows none for a team with sub-teams: subtracting counts could expose a suppressed sub-team', async () => {
    // Engineering's counts minus those of its visible teams would leave Engineering/Security's four.
    const body = distributionResponseSchema.parse(
      (
        await get(`/api/teams/Engineering/distribution?week=${DEMO_LAST_WEEK}&metric=focus_hours`)
      ).json(),
    );
    expect(body).toMatchObject({
      suppressed: true,
      reason:
        'shown for teams without sub-teams only: open a sub-team to see how its people spread',
      buckets: [],
    });
  });

  it('suppresses a week with no data rather than inventing an empty histogram', async () => {
    const body = distributionResponseSchema.parse(
      (
        await get(`/api/teams/Engineering%2FData/distribution?week=2025-01-06&metric=focus_hours`)
      ).json(),
    );
    expect(body).toMatchObject({ suppressed: true, buckets: [] });
  });
});

describe('GET /api/overview', () => {
  it('sends a remembered body gzipped to clients that accept it, and plain to the others', async () => {
    const path = '/api/overview?week=2026-10-26';
    const plain = await get(path);
    const zipped = await get(path, { 'accept-encoding': 'gzip' });
    const plainAgain = await get(path);
    expect(plain.header('content-encoding')).toBeUndefined();
    expect(zipped.header('content-encoding')).toBe('gzip');
    expect(zipped.header('vary')).toMatch(/Accept-Encoding/i);
    expect(zipped.bytes.length).toBeLessThan(plain.bytes.length / 5);
    expect(gunzipSync(zipped.bytes).toString('utf8')).toBe(plain.body);
    expect(plainAgain.body).toBe(plain.body);
    expect(overviewResponseSchema.parse(plain.json()).week).toBe('2026-10-26');
  });

  it('gives every team the latest complete week, a 12-week trend and the change vs 4 weeks', async () => {
    const response = await get('/api/overview');
    expect(response.status).toBe(200);
    const body = overviewResponseSchema.parse(response.json());
    expect(body.week).toBe(DEMO_LAST_WEEK);
    expect(body.rows).toHaveLength(13);
    const platform = body.rows.find((row) => row.team.path === 'Engineering/Platform')!;
    expect(platform.week?.week_start).toBe(DEMO_LAST_WEEK);
    expect(platform.trend).toHaveLength(12);
    expect(platform.trend[0]?.week_start).toBe('2026-08-24');
    expect(platform.trend.at(-1)).toEqual(platform.week);

    // The baseline: the 4 most recent weeks before that are not flagged as probable holidays.
    const earlier = platform.trend.slice(0, -1).reverse();
    const before = earlier
      .filter((week) => !week.marks.probable_holiday)
      .slice(0, 4)
      .reverse();
    expect(platform.baseline_weeks).toEqual(before.map((week) => week.week_start));
    const oldest = before[0]?.week_start ?? '';
    expect(platform.baseline_skipped_holidays).toEqual(
      earlier
        .filter((week) => week.marks.probable_holiday && week.week_start > oldest)
        .map((week) => week.week_start)
        .reverse(),
    );
    for (const metric of HEADLINE_METRICS) {
      const values = before.map((week: TeamWeek) => week.metrics[metric].value);
      const now = platform.week?.metrics[metric].value ?? null;
      const change = platform.change_vs_previous_4_weeks[metric];
      if (now === null || values.includes(null)) expect(change).toBeNull();
      else
        expect(change).toBeCloseTo(
          now - values.reduce<number>((sum, value) => sum + (value ?? 0), 0) / 4,
          9,
        );
    }
    expect(Object.values(platform.change_vs_previous_4_weeks).some((value) => value !== null)).toBe(
      true,
    );
    const security = body.rows.find((row) => row.team.path === 'Engineering/Security')!;
    expect(security.week?.suppressed).toBe(true);
    expect(
      Object.values(security.change_vs_previous_4_weeks).every((value) => value === null),
    ).toBe(true);
  });

  it('shortens the trend at the start of the data and leaves the change unknown', async () => {
    const body = overviewResponseSchema.parse((await get('/api/overview?week=2026-08-12')).json());
    expect(body.week).toBe('2026-08-10');
    const row = body.rows.find((entry) => entry.team.path === 'Engineering')!;
    expect(row.trend.map((week) => week.week_start)).toEqual([
      '2026-07-27',
      '2026-08-03',
      '2026-08-10',
    ]);
    expect(Object.values(row.change_vs_previous_4_weeks).every((value) => value === null)).toBe(
      true,
    );
  });

  it('answers a week without data with empty rows', async () => {
    const body = overviewResponseSchema.parse((await get('/api/overview?week=2024-01-01')).json());
    expect(body.rows.every((row) => row.week === null && row.trend.length === 0)).toBe(true);
  });
});

describe('GET /api/export.csv', () => {
  it('streams exactly the bytes of `syncbalance export csv`, as an attachment', async () => {
    const response = await get('/api/export.csv?team=Engineering&from=2026-10-01&to=2026-10-31');
    expect(response.status).toBe(200);
    expect(response.header('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.header('content-disposition')).toBe(
      'attachment; filename=syncbalance-team-weeks_Engineering_from-2026-10-01_to-2026-10-31.csv',
    );
    const cli = await runCli([
      '--db',
      demo.path,
      'export',
      'csv',
      '--team',
      'Engineering',
      '--from',
      '2026-10-01',
      '--to',
      '2026-10-31',
    ]);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(response.body).toBe(cli.stdout);
    const rows = response.body.trimEnd().split('\r\n').slice(1);
    expect(new Set(rows.map((row) => row.split(',')[0]))).toEqual(
      new Set([
        'Engineering',
        'Engineering/Data',
        'Engineering/Mobile',
        'Engineering/Payments',
        'Engineering/Platform',
        'Engineering/Security',
      ]),
    );
    expect(rows).toHaveLength(6 * 5);
  });

  it('exports every team for an admin, complete even while other requests run', async () => {
    const [csv] = await Promise.all([
      get('/api/export.csv'),
      ...Array.from({ length: 20 }, () => get('/api/overview')),
    ]);
    const cli = await runCli(['--db', demo.path, 'export', 'csv']);
    expect(csv.header('content-disposition')).toBe(
      'attachment; filename=syncbalance-team-weeks.csv',
    );
    expect(csv.body).toBe(cli.stdout);
    expect(csv.body.split('\r\n').length).toBeGreaterThan(13 * WEEKS);
  });
});

describe('request validation', () => {
  const cases: [string, string, RegExp][] = [
    [
      'a date that is not a date',
      weeksPath('Engineering', 'yesterday', '2026-11-01'),
      /^from: expected a date as YYYY-MM-DD/,
    ],
    [
      'a date that does not exist',
      weeksPath('Engineering', '2026-02-30', '2026-03-01'),
      /^from: not a real calendar date/,
    ],
    [
      'from after to',
      weeksPath('Engineering', '2026-11-01', '2026-10-01'),
      /from must not be after to/,
    ],
    [
      'a range over three years',
      weeksPath('Engineering', '2020-01-01', '2026-01-01'),
      /at most 1098 days/,
    ],
    ['a missing date', '/api/teams/Engineering/weeks?from=2026-10-01', /^to: /],
    [
      'a repeated parameter',
      '/api/teams/Engineering/weeks?from=2026-10-01&from=2026-10-02&to=2026-10-31',
      /^from: /,
    ],
    [
      'an unknown metric',
      `/api/teams/Engineering/distribution?week=${DEMO_LAST_WEEK}&metric=salary`,
      /^metric: /,
    ],
    [
      'a team-week metric where a person-week one is expected',
      `/api/teams/Engineering/distribution?week=${DEMO_LAST_WEEK}&metric=meeting_hours_median`,
      /^metric: /,
    ],
    ['a missing week', '/api/teams/Engineering/distribution?metric=focus_hours', /^week: /],
    [
      'a team path with an empty segment',
      weeksPath('Engineering//Platform', '2026-10-01', '2026-10-31'),
      /^team: expected a team path/,
    ],
    [
      'a team path with a control character',
      weeksPath('Engineering\u0007', '2026-10-01', '2026-10-31'),
      /^team: expected a team path/,
    ],
    [
      'a badly percent-encoded URL',
      '/api/teams/%E0%A4%A/weeks?from=2026-10-01&to=2026-10-31',
      /percent-encoded/,
    ],
    ['an overview week that is no date', '/api/overview?week=last', /^week: /],
    [
      'an export range the wrong way round',
      '/api/export.csv?from=2026-11-01&to=2026-10-01',
      /from must not be after to/,
    ],
    ['an export date that is no date', '/api/export.csv?from=01/10/2026', /^from: /],
  ];
  it.each(cases)('answers 400 for %s', async (_name, path, message) => {
    expectError(await get(path), 400, 'bad_request', message);
  });

  it('answers 404 for a team that does not exist, for every team endpoint', async () => {
    const bodies = await Promise.all(
      [
        weeksPath('Engineering/Nope', '2026-10-01', '2026-10-31'),
        `/api/teams/Engineering%2FNope/distribution?week=${DEMO_LAST_WEEK}&metric=focus_hours`,
        '/api/export.csv?team=Engineering%2FNope',
      ].map(async (path) => {
        const response = await get(path);
        expectError(response, 404, 'not_found');
        return response.body;
      }),
    );
    expect(new Set(bodies)).toEqual(
      new Set(['{"error":{"code":"not_found","message":"team not found"}}']),
    );
  });

  it('answers 404 in the error shape for an unknown API route or method', async () => {
    expectError(await get('/api/people'), 404, 'not_found');
    expectError(await send(`${api.url}/api/teams`, { method: 'DELETE' }), 404, 'not_found');
    // Sign-in exists only in google mode.
    expectError(
      await send(`${api.url}/api/auth/google`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
      404,
      'not_found',
    );
  });

  it('answers 413 for an oversized body, before reading it', async () => {
    expectError(
      await send(`${api.url}/api/auth/google`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ credential: 'x'.repeat(40_000) }),
      }),
      413,
      'payload_too_large',
    );
  });

  it('answers 400 for a body that is not JSON', async () => {
    expectError(
      await send(`${api.url}/api/auth/google`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"credential": ',
      }),
      400,
      'bad_request',
      /not valid JSON/,
    );
  });
});

describe('mode none', () => {
  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    expectError(
      await get('/api/teams', { host: 'attacker.example:80' }),
      403,
      'forbidden',
      /localhost/,
    );
    expect((await get('/api/teams', { host: `localhost:${new URL(api.url).port}` })).status).toBe(
      200,
    );
  });
});

describe('headers and static files', () => {
  it('sends security headers, and a CSP without Google in this mode', async () => {
    const response = await get('/api/teams');
    const csp = response.header('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('accounts.google.com');
    expect(response.header('x-content-type-options')).toBe('nosniff');
    expect(response.header('cache-control')).toBe('no-store');
    expect(response.header('x-powered-by')).toBeUndefined();
  });

  it('serves the dashboard, falls back to it for its own URLs, and 404s missing assets', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.body).toBe(WEB_INDEX);
    const page = await get('/teams/Engineering%2FPlatform');
    expect(page.body).toBe(WEB_INDEX);
    expect(page.header('cache-control')).toBe('no-cache');
    const asset = await get('/assets/app-1234.js');
    expect(asset.body).toBe(WEB_ASSET);
    expect(asset.header('cache-control')).toContain('immutable');
    expectError(await get('/assets/app-0000.js'), 404, 'not_found');
  });
});

describe('privacy', () => {
  it('logs one JSON line per request with the route pattern, never the URL', async () => {
    const before = api.reporter.infos.length;
    await get('/api/teams/Engineering%2FPlatform/weeks?from=2026-10-01&to=2026-10-31');
    await vi.waitFor(() => {
      expect(api.reporter.infos.length).toBe(before + 1);
    });
    const lines = api.reporter.infos.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.at(-1)).toEqual({
      time: DEMO_NOW.toISOString(),
      method: 'GET',
      route: '/api/teams/*team/weeks',
      status: 200,
      duration_ms: lines.at(-1)?.['duration_ms'],
    });
    expect(lines.at(-1)?.['duration_ms']).toBeTypeOf('number');
    const log = api.reporter.infos.join('\n');
    expect(log).not.toContain('2026-10-01');
    expect(log).not.toContain('Platform');
  });

  it('never returns or logs a roster email, name or person id (CSV and errors included)', () => {
    expect(receivedBodies.length).toBeGreaterThan(40);
    const everything = [
      ...new Set(receivedBodies),
      ...api.reporter.infos,
      ...api.reporter.warnings,
    ].join('\n');
    const leaked = demo.personal.filter((value) => everything.includes(value));
    expect(leaked).toEqual([]);
  });
});
