/**
 * The differencing attack of issue 12, automated. A crafted organisation (a parent with its own
 * members, nested teams, a one-person team, a team of exactly minGroupSize, a person on leave for
 * a week, a person joining mid-period) is built through the real roster and calendar writers and
 * the real model build, then served over real HTTP. For each viewer (the admin and every manager)
 * the test reads everything that viewer can read from the API and the CSV export, and does what a
 * spreadsheet user would: parent − children (any choice of visible descendants), organisation −
 * visible teams, week − previous week. The rule (docs/privacy.md): nothing a viewer can read,
 * alone or combined, determines a count or a value about a set of fewer than minGroupSize people.
 *
 * The test reads responses loosely, by field name, not through the contract: a count the contract
 * forgot to forbid must still be caught. Ground truth (who is in which team, who was active, each
 * person-week's values) comes from a second read-only connection to the same warehouse.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DISTRIBUTION_BUCKETS,
  DISTRIBUTION_METRICS,
  type DistributionMetric,
} from '../../server/contract/metrics.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { publishSnapshot } from '../../warehouse/publish.ts';
import { testPseudonymizer as keys } from '../helpers/warehouse.ts';
import { Scenario } from '../metrics/scenario.ts';
import { send } from '../server/helpers/http.ts';
import { startTestServer, type TestServer } from '../server/helpers/server.ts';

const K = 5;
const WEEKS = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23'] as const;
const ADMIN = 'admin@example.com';
const HEADER = 'x-forwarded-email';

const ceo = 'ceo@example.com';
const assistant = 'assistant@example.com';
const coreLead = 'core.lead@example.com';
const edgeLead = 'edge.lead@example.com';
const betaLead = 'beta.lead@example.com';
const onLeave = 'deep.3@example.com';
const joiner = 'edge.new@example.com';
const named = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix}.${index + 1}@example.com`);

/** Who sits where, and who reports to whom: every case of issue 12 in one small company. */
const PEOPLE: readonly { email: string; team: string; manager?: string; joins?: string }[] = [
  // A parent with its own members: the CEO and an assistant sit at Alpha itself.
  { email: ceo, team: 'Alpha' },
  { email: assistant, team: 'Alpha', manager: ceo },
  // Nested: Alpha/Core has two own members and a sub-team of exactly minGroupSize.
  { email: coreLead, team: 'Alpha/Core', manager: ceo },
  { email: 'core.1@example.com', team: 'Alpha/Core', manager: coreLead },
  ...named('deep', K).map((email) => ({ email, team: 'Alpha/Core/Deep', manager: coreLead })),
  // Six people, and a seventh who joins in the third week.
  { email: edgeLead, team: 'Alpha/Edge', manager: ceo },
  ...named('edge', 5).map((email) => ({ email, team: 'Alpha/Edge', manager: edgeLead })),
  { email: joiner, team: 'Alpha/Edge', manager: edgeLead, joins: WEEKS[2] },
  // A one-person team.
  { email: 'solo.1@example.com', team: 'Alpha/Solo', manager: ceo },
  // A second root of twelve, in two camps of meeting hours and all alike in focus hours.
  { email: betaLead, team: 'Beta', manager: ceo },
  ...named('beta', 11).map((email) => ({ email, team: 'Beta', manager: betaLead })),
];

/** Weeks (by index) in which a person is out of office, with no meetings. */
const LEAVE: Readonly<Record<string, readonly number[]>> = { [onLeave]: [1], [ceo]: [3] };

/** Managers in the roster, each of whom sees the teams of their reports. */
const MANAGERS = [ceo, coreLead, edgeLead, betaLead] as const;
const VIEWERS = [ADMIN, ...MANAGERS] as const;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function organisation(): Scenario {
  const scenario = new Scenario();
  for (const person of PEOPLE) {
    scenario.person(person.email, {
      team: person.team,
      timezone: 'Europe/Berlin',
      days: 'Mon-Fri',
      start: '09:00',
      end: '17:00',
      ...(person.manager === undefined ? {} : { manager: person.manager }),
      ...(person.joins === undefined ? {} : { joins: person.joins }),
    });
  }
  for (const [index, person] of PEOPLE.entries()) {
    for (const [week, monday] of WEEKS.entries()) {
      if (person.joins !== undefined && monday < person.joins) continue;
      if (LEAVE[person.email]?.includes(week)) {
        scenario.allDay(person.email, 'outOfOffice', monday, addDays(monday, 5));
        continue;
      }
      // Beta: 1 or 6 hours (two buckets of six, one bucket of focus hours). Elsewhere 1 to 8 hours,
      // varying by person and week.
      const hours =
        person.team === 'Beta' ? (index % 2 === 0 ? 1 : 6) : 1 + ((index * 3 + week) % 8);
      const day = addDays(monday, 1);
      scenario.meeting(person.email, {
        start: `${day} 09:00`,
        end: `${day} ${String(9 + hours).padStart(2, '0')}:00`,
        with: ['partner@elsewhere.example'],
      });
    }
  }
  return scenario;
}

// ---- ground truth ----------------------------------------------------------------------------

interface Truth {
  /** team path (or '' for the organisation) → week → person ids in it that week. */
  readonly members: Map<string, Map<string, Set<string>>>;
  readonly active: Map<string, Map<string, Set<string>>>;
  /** person id → week → metric → value, for active person-weeks. */
  readonly values: Map<string, Map<string, Record<string, number | null>>>;
  readonly responses: Map<string, Map<string, number>>;
}

function ancestorsOf(team: string): string[] {
  const parts = team.split('/');
  return ['', ...parts.map((_, index) => parts.slice(0, index + 1).join('/'))];
}

async function readTruth(db: Warehouse): Promise<Truth> {
  const rows = await db.parse(
    z.looseObject({
      person_id: z.string(),
      team_path: z.string(),
      week_start: z.string(),
      is_active: z.boolean(),
      responses: z.number().nullable(),
    }),
    `SELECT * REPLACE (strftime(week_start, '%Y-%m-%d') AS week_start) FROM marts.person_weeks`,
  );
  const truth: Truth = {
    members: new Map(),
    active: new Map(),
    values: new Map(),
    responses: new Map(),
  };
  const add = (
    map: Map<string, Map<string, Set<string>>>,
    group: string,
    row: { week_start: string; person_id: string },
  ) => {
    const weeks = map.get(group) ?? new Map<string, Set<string>>();
    const people = weeks.get(row.week_start) ?? new Set<string>();
    people.add(row.person_id);
    weeks.set(row.week_start, people);
    map.set(group, weeks);
  };
  for (const row of rows) {
    for (const group of ancestorsOf(row.team_path)) {
      add(truth.members, group, row);
      if (row.is_active) add(truth.active, group, row);
    }
    if (!row.is_active) continue;
    const record = row as Record<string, unknown>;
    const values =
      truth.values.get(row.person_id) ?? new Map<string, Record<string, number | null>>();
    values.set(
      row.week_start,
      Object.fromEntries(
        DISTRIBUTION_METRICS.map((metric) => {
          const value = record[metric];
          return [metric, typeof value === 'number' ? value : null];
        }),
      ),
    );
    truth.values.set(row.person_id, values);
    const responses = truth.responses.get(row.person_id) ?? new Map<string, number>();
    responses.set(row.week_start, row.responses ?? 0);
    truth.responses.set(row.person_id, responses);
  }
  return truth;
}

const sizeOf = (map: Map<string, Map<string, Set<string>>>, group: string, week: string): number =>
  map.get(group)?.get(week)?.size ?? 0;

// ---- what a viewer reads -----------------------------------------------------------------------

/** The tightest statement about a group-week's number of active people a viewer can read. */
interface Bound {
  readonly lo: number;
  readonly hi: number;
}

interface Row {
  readonly team: string;
  readonly week: string;
  readonly members: number;
  readonly suppressed: boolean;
  /** Every count field of the row other than `members` (exact or banded), as read. */
  readonly countFields: Readonly<Record<string, unknown>>;
  readonly active: Bound;
  readonly values: Readonly<Record<string, number | null>>;
  readonly source: 'api' | 'csv';
}

interface View {
  readonly viewer: string;
  readonly teams: ReadonlyMap<string, { parent: string | null }>;
  readonly rows: Row[];
  /** week → the organisation's values next to the viewer's teams. */
  readonly org: Map<string, Record<string, number | null>>;
  readonly distributions: {
    team: string;
    week: string;
    metric: DistributionMetric;
    buckets: { from: number; to: number | null; count?: number; share?: number }[];
  }[];
}

const COUNT_FIELD = /active|contributors/;

/** What a row says about active people: exact, a band, "fewer than K", or nothing. */
function boundOf(members: number, suppressed: boolean, fields: Record<string, unknown>): Bound {
  const exact = fields['members_active'];
  if (typeof exact === 'number') return { lo: exact, hi: exact };
  const band = fields['members_active_band'];
  if (typeof band === 'object' && band !== null) {
    const { min, max } = band as { min: number; max: number };
    return { lo: min, hi: Math.min(max, members) };
  }
  const min = fields['members_active_min'];
  const max = fields['members_active_max'];
  if (typeof min === 'number' && typeof max === 'number')
    return { lo: min, hi: Math.min(max, members) };
  // A suppressed row says "fewer than K were active"; a shown one "at least K".
  return suppressed ? { lo: 0, hi: Math.min(K - 1, members) } : { lo: K, hi: members };
}

const looseRow = z.looseObject({
  week_start: z.string(),
  members: z.number(),
  suppressed: z.boolean(),
  metrics: z.record(z.string(), z.looseObject({ value: z.number().nullable() })),
  org: z.record(z.string(), z.number().nullable()),
});

function as(viewer: string): Record<string, string> {
  return { [HEADER]: viewer };
}

async function readView(api: TestServer, viewer: string): Promise<View> {
  const get = async (path: string): Promise<unknown> => {
    const response = await send(`${api.url}${path}`, { headers: as(viewer) });
    expect(response.status, `${viewer} ${path}`).toBe(200);
    return response.json();
  };
  const teamsBody = z
    .object({
      teams: z.array(z.looseObject({ path: z.string(), parent_path: z.string().nullable() })),
    })
    .parse(await get('/api/teams'));
  const teams = new Map(teamsBody.teams.map((team) => [team.path, { parent: team.parent_path }]));
  const rows: Row[] = [];
  const org = new Map<string, Record<string, number | null>>();
  for (const team of teams.keys()) {
    const body = z
      .object({ weeks: z.array(looseRow) })
      .parse(
        await get(
          `/api/teams/${encodeURIComponent(team)}/weeks?from=${WEEKS[0]}&to=${WEEKS[WEEKS.length - 1]}`,
        ),
      );
    for (const week of body.weeks) {
      const fields = Object.fromEntries(
        Object.entries(week).filter(([key]) => COUNT_FIELD.test(key)),
      );
      rows.push({
        team,
        week: week.week_start,
        members: week.members,
        suppressed: week.suppressed,
        countFields: fields,
        active: boundOf(week.members, week.suppressed, fields),
        values: Object.fromEntries(
          Object.entries(week.metrics).map(([metric, cell]) => [metric, cell.value]),
        ),
        source: 'api',
      });
      org.set(week.week_start, week.org);
    }
  }
  // The overview carries the same rows; it must not carry more.
  for (const week of WEEKS) {
    const overview = z
      .object({
        rows: z.array(
          z.looseObject({ team: z.looseObject({ path: z.string() }), week: looseRow.nullable() }),
        ),
      })
      .parse(await get(`/api/overview?week=${week}`));
    for (const entry of overview.rows) {
      if (entry.week === null) continue;
      const fields = Object.fromEntries(
        Object.entries(entry.week).filter(([key]) => COUNT_FIELD.test(key)),
      );
      const same = rows.find((row) => row.team === entry.team.path && row.week === week);
      expect(same?.countFields, `overview ${entry.team.path} ${week}`).toEqual(fields);
    }
  }
  const csv = await send(`${api.url}/api/export.csv`, { headers: as(viewer) });
  expect(csv.status).toBe(200);
  const records = z
    .array(z.record(z.string(), z.string()))
    .parse(parseCsv(csv.body, { columns: true }));
  for (const record of records) {
    const members = Number(record['members']);
    const suppressed = record['suppressed'] === 'true';
    const fields = Object.fromEntries(
      Object.entries(record)
        .filter(([key, value]) => COUNT_FIELD.test(key) && value !== '')
        .map(([key, value]) => [key, Number(value)]),
    );
    rows.push({
      team: record['team'] ?? '',
      week: record['week_start'] ?? '',
      members,
      suppressed,
      countFields: fields,
      active: boundOf(members, suppressed, fields),
      values: Object.fromEntries(
        Object.entries(record)
          .filter(([key]) => /_(median|p25|p75|share|all)$/.test(key))
          .map(([key, value]) => [key, value === '' ? null : Number(value)]),
      ),
      source: 'csv',
    });
  }
  const distributions: View['distributions'] = [];
  const leaves = [...teams.keys()].filter(
    (team) => ![...teams.keys()].some((other) => other.startsWith(`${team}/`)),
  );
  for (const team of leaves) {
    for (const week of WEEKS) {
      for (const metric of DISTRIBUTION_METRICS) {
        const body = z
          .looseObject({
            suppressed: z.boolean(),
            buckets: z.array(
              z.looseObject({
                from: z.number(),
                to: z.number().nullable(),
                count: z.number().optional(),
                share: z.number().optional(),
              }),
            ),
          })
          .parse(
            await get(
              `/api/teams/${encodeURIComponent(team)}/distribution?week=${week}&metric=${metric}`,
            ),
          );
        if (!body.suppressed) distributions.push({ team, week, metric, buckets: body.buckets });
      }
    }
  }
  return { viewer, teams, rows, org, distributions };
}

// ---- the attack ------------------------------------------------------------------------------

/** Antichains of `team`'s visible descendants: every set of sub-teams a viewer could subtract. */
function antichains(team: string, children: (team: string) => string[]): string[][] {
  let result: string[][] = [[]];
  for (const child of children(team)) {
    const options = [[], [child], ...antichains(child, children).filter((set) => set.length > 0)];
    result = result.flatMap((chosen) => options.map((option) => [...chosen, ...option]));
  }
  return result;
}

let dir: string;
let api: TestServer;
let reader: Warehouse;
let truth: Truth;
const views = new Map<string, View>();

beforeAll(async () => {
  const built = await organisation().build();
  built.db.close();
  dir = mkdtempSync(join(tmpdir(), 'syncbalance-attack-'));
  const path = join(dir, 'attack.duckdb');
  copyFileSync(built.db.path, path);
  // The server reads the published snapshot, as in production.
  const writer = await Warehouse.open(path);
  await publishSnapshot(writer, { keep: 1 });
  writer.close();
  api = await startTestServer({
    dbPath: path,
    config: {
      admins: [ADMIN],
      server: {
        auth: { mode: 'proxy', header: 'X-Forwarded-Email', trustedProxies: ['127.0.0.1'] },
      },
    },
  });
  reader = await Warehouse.open(path, { readOnly: true });
  truth = await readTruth(reader);
  for (const viewer of VIEWERS) views.set(viewer, await readView(api, viewer));
}, 120_000);

afterAll(async () => {
  await api.server.close();
  reader.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the crafted organisation', () => {
  it('has every case of the attack: own members, a one-person team, exactly K, a leave, a joiner', () => {
    const [w0, w1, w2] = WEEKS;
    expect(
      sizeOf(truth.members, 'Alpha', w0) -
        sizeOf(truth.members, 'Alpha/Core', w0) -
        sizeOf(truth.members, 'Alpha/Edge', w0) -
        sizeOf(truth.members, 'Alpha/Solo', w0),
    ).toBe(2);
    expect(sizeOf(truth.members, 'Alpha/Solo', w0)).toBe(1);
    expect(sizeOf(truth.members, 'Alpha/Core/Deep', w0)).toBe(K);
    expect(sizeOf(truth.active, 'Alpha/Core/Deep', w1)).toBe(K - 1);
    expect(sizeOf(truth.members, 'Alpha/Edge', w2) - sizeOf(truth.members, 'Alpha/Edge', w1)).toBe(
      1,
    );
    expect(truth.active.get('Alpha')?.get(WEEKS[3])?.has(keys.person(ceo))).toBe(false);
    // Every manager sees something, and the CEO (a manager, not an admin) sees Alpha itself.
    for (const manager of MANAGERS)
      expect(views.get(manager)?.teams.size, manager).toBeGreaterThan(0);
    expect(views.get(ceo)?.teams.has('Alpha')).toBe(true);
  });

  it('still shows what a manager needs: medians everywhere, bands, percentiles and distributions where safe', () => {
    const admin = views.get(ADMIN);
    const rows = admin?.rows.filter((row) => row.source === 'api') ?? [];
    const row = (team: string, week: string): Row | undefined =>
      rows.find((entry) => entry.team === team && entry.week === week);
    for (const team of ['Alpha', 'Alpha/Core', 'Alpha/Edge', 'Beta'])
      for (const week of WEEKS)
        expect(row(team, week)?.values['focus_hours_median'], `${team} ${week}`).not.toBeNull();
    expect(row('Alpha/Edge', WEEKS[0])?.active).toEqual({ lo: 5, hi: 6 });
    expect(row('Beta', WEEKS[0])?.values['meeting_hours_p75']).not.toBeNull();
    expect(row('Alpha', WEEKS[0])?.values['focus_hours_p25']).not.toBeNull();
    expect(
      admin?.distributions.some(
        (shown) => shown.team === 'Beta' && shown.metric === 'meeting_hours',
      ),
    ).toBe(true);
  });
});

describe.each(VIEWERS)('what %s can read', (viewer) => {
  const view = (): View => {
    const found = views.get(viewer);
    if (found === undefined) throw new Error(`no view for ${viewer}`);
    return found;
  };

  it('no suppressed row carries a count of active people (case 2)', () => {
    const leaks = view()
      .rows.filter(
        (row) =>
          row.suppressed &&
          Object.values(row.countFields).some(
            (value) => typeof value === 'number' || (typeof value === 'object' && value !== null),
          ),
      )
      .map((row) => `${row.source} ${row.team} ${row.week}: ${JSON.stringify(row.countFields)}`);
    expect(leaks).toEqual([]);
  });

  it('no parent − sub-teams difference determines how many of fewer than K people were active (case 1)', () => {
    const { rows, teams } = view();
    const children = (team: string): string[] =>
      [...teams.entries()].filter(([, info]) => info.parent === team).map(([path]) => path);
    const leaks: string[] = [];
    for (const source of ['api', 'csv'] as const) {
      for (const week of WEEKS) {
        const byTeam = new Map(
          rows
            .filter((row) => row.source === source && row.week === week)
            .map((row) => [row.team, row]),
        );
        for (const parent of byTeam.values()) {
          for (const subtract of antichains(parent.team, children)) {
            if (subtract.length === 0) continue;
            const parts = subtract.map((team) => byTeam.get(team));
            if (parts.some((part) => part === undefined)) continue;
            const known = parts as Row[];
            const rest = parent.members - known.reduce((sum, part) => sum + part.members, 0);
            if (rest < 1 || rest >= K) continue;
            const lo = Math.max(
              0,
              parent.active.lo - known.reduce((sum, part) => sum + part.active.hi, 0),
            );
            const hi = Math.min(
              rest,
              parent.active.hi - known.reduce((sum, part) => sum + part.active.lo, 0),
            );
            if (lo === hi)
              leaks.push(
                `${source} ${week}: ${parent.team} − ${subtract.join(' − ')} = ${lo} of ${rest} people active`,
              );
          }
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('no week − previous week difference determines how many of the people who joined or left were active', () => {
    const leaks: string[] = [];
    for (const source of ['api', 'csv'] as const) {
      const rows = view().rows.filter((row) => row.source === source);
      for (const row of rows) {
        const before = rows.find(
          (other) => other.team === row.team && other.week === addDays(row.week, -7),
        );
        if (before === undefined) continue;
        const changed = Math.abs(row.members - before.members);
        if (changed < 1 || changed >= K) continue;
        const lo = row.active.lo - before.active.hi;
        const hi = row.active.hi - before.active.lo;
        if (lo === hi)
          leaks.push(`${source} ${row.team} ${before.week} → ${row.week}: change ${lo}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('no pooled share lets the organisation or a parent minus visible teams isolate fewer than K people', () => {
    // A pooled share is a ratio of sums: with the weights (working hours, from the roster) the
    // difference of two pooled shares is the pooled share of the difference. Medians are not sums
    // and cannot be subtracted (docs/privacy.md).
    const { rows, teams, org } = view();
    const pooled = ['public_share', 'focus_share', 'fragmented_share', 'meeting_share'];
    const children = (team: string): string[] =>
      team === ''
        ? [...teams.entries()].filter(([, info]) => info.parent === null).map(([path]) => path)
        : [...teams.entries()].filter(([, info]) => info.parent === team).map(([path]) => path);
    const leaks: string[] = [];
    for (const week of WEEKS) {
      const api = new Map(
        rows
          .filter((row) => row.source === 'api' && row.week === week)
          .map((row) => [row.team, row]),
      );
      const parents: [string, Record<string, number | null>][] = [
        ['', org.get(week) ?? {}],
        ...[...api.values()].map((row): [string, Record<string, number | null>] => [
          row.team,
          row.values,
        ]),
      ];
      for (const [parent, values] of parents) {
        for (const metric of pooled) {
          if (values[metric] === null || values[metric] === undefined) continue;
          for (const subtract of antichains(parent, children)) {
            if (subtract.length === 0) continue;
            if (
              subtract.some(
                (team) => api.get(team)?.values[metric] === null || api.get(team) === undefined,
              )
            )
              continue;
            const rest =
              sizeOf(truth.active, parent, week) -
              subtract.reduce((sum, team) => sum + sizeOf(truth.active, team, week), 0);
            if (rest >= 1 && rest < K)
              leaks.push(
                `${week} ${metric}: ${parent || 'organisation'} − ${subtract.join(' − ')} isolates ${rest} active people`,
              );
          }
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('p25 and p75 only where at least 2 × K people contribute (case 3)', () => {
    const contributors = (team: string, week: string, metric: string): number => {
      const people = truth.active.get(team)?.get(week) ?? new Set<string>();
      const base = metric.startsWith('response')
        ? 'response_median_working_minutes'
        : metric.replace(/_p(25|75)$/, '');
      return [...people].filter((person) => {
        const value = truth.values.get(person)?.get(week)?.[base];
        const enough = base.startsWith('response')
          ? (truth.responses.get(person)?.get(week) ?? 0) >= 3
          : true;
        return value !== null && value !== undefined && enough;
      }).length;
    };
    const leaks = view().rows.flatMap((row) =>
      Object.entries(row.values)
        .filter(([metric, value]) => /_p(25|75)$/.test(metric) && value !== null)
        .filter(([metric]) => contributors(row.team, row.week, metric) < 2 * K)
        .map(
          ([metric, value]) =>
            `${row.source} ${row.team} ${row.week} ${metric} = ${value} over ${contributors(row.team, row.week, metric)} people`,
        ),
    );
    expect(leaks).toEqual([]);
  });

  it('every distribution shown has two or more non-empty buckets of at least K people (case 4)', () => {
    const leaks: string[] = [];
    for (const shown of view().distributions) {
      const people = truth.active.get(shown.team)?.get(shown.week) ?? new Set<string>();
      const values = [...people]
        .filter((person) =>
          shown.metric.startsWith('response')
            ? (truth.responses.get(person)?.get(shown.week) ?? 0) >= 3
            : true,
        )
        .map((person) => truth.values.get(person)?.get(shown.week)?.[shown.metric])
        .filter((value): value is number => typeof value === 'number');
      const edges = DISTRIBUTION_BUCKETS[shown.metric];
      const counts = shown.buckets.map(
        (bucket, index) =>
          values.filter(
            (value) =>
              (index === 0 || value >= bucket.from) && (bucket.to === null || value < bucket.to),
          ).length,
      );
      for (const [index, bucket] of shown.buckets.entries())
        if (bucket.count !== undefined) expect(bucket.count).toBe(counts[index]);
      const nonEmpty = counts.filter((count) => count > 0);
      if (nonEmpty.length < 2 || nonEmpty.some((count) => count < K))
        leaks.push(
          `${shown.team} ${shown.week} ${shown.metric}: ${counts.join('/')} (edges ${edges.join(',')})`,
        );
    }
    expect(leaks).toEqual([]);
  });
});
