/**
 * What the numbers rest on (issue 15, docs/metrics.md "Data coverage", "Match rates", "Probable
 * holidays"): one read of a published snapshot shared by `GET /api/data-health` and
 * `syncbalance status`, so the page and the terminal say the same thing. It reads the marts
 * `team_week_marks`, `data_health_teams`, `data_health_organisation`, `data_health_sources` and
 * `teams`, the meta tables every snapshot carries (`build_params`, `import_runs`, `job_runs`,
 * `snapshot`), and the job state files beside the snapshots (a failure after the snapshot was
 * published, the next scheduled run).
 *
 * Every disclosure decision is the build's (the marts hold nulls where counts would point at
 * people); this module only words the reasons. The shapes mirror server/contract/data-health.ts,
 * which warehouse/ may not import; the API test parses the response with that schema.
 */
import { listValue } from '@duckdb/node-api';
import { z } from 'zod';
import type { Warehouse } from './db.ts';
import { parseJobRunRow, readJobState, readLastRuns, type JobRun } from './job-log.ts';

export const DATA_SOURCE_KINDS = ['roster', 'calendar', 'slack', 'demo'] as const;
export type DataSourceKind = (typeof DATA_SOURCE_KINDS)[number];

/** Every source the product knows, in the order the page and `status` list them. */
const KNOWN_SOURCES: readonly { source: string; kind: DataSourceKind; label: string }[] = [
  { source: 'roster', kind: 'roster', label: 'Roster snapshots' },
  { source: 'google_calendar', kind: 'calendar', label: 'Google Calendar' },
  { source: 'ics', kind: 'calendar', label: 'Calendar files (.ics)' },
  { source: 'slack_api', kind: 'slack', label: 'Slack (API sync)' },
  { source: 'slack_export', kind: 'slack', label: 'Slack export' },
  { source: 'demo', kind: 'demo', label: 'Demo data' },
];

/** Sources the scheduled `refresh` runs: their next run is the next refresh. */
const REFRESHED_SOURCES = new Set(['google_calendar', 'slack_api']);

export interface SourceHealth {
  readonly kind: DataSourceKind;
  readonly source: string;
  readonly label: string;
  readonly last_success_at: string | null;
  readonly covers_from: string | null;
  readonly covers_to: string | null;
  /** The latest failure after the last success; null when the last run succeeded. */
  readonly last_error: { readonly at: string; readonly message: string } | null;
  readonly next_run_at: string | null;
}

export interface WeekCoverage {
  readonly members: number;
  readonly calendar: number;
  readonly slack: number;
  readonly both: number;
  readonly neither: number;
}

/** The marks on one team-week (the contract's `teamWeekMarksSchema`). */
export interface WeekMarks {
  readonly coverage: WeekCoverage | null;
  readonly coverage_reason: string | null;
  readonly probable_holiday: boolean;
  readonly activity_z: number | null;
}

export interface TeamDataWeek {
  readonly week_start: string;
  readonly suppressed: boolean;
  readonly reason: string | null;
  readonly marks: WeekMarks;
}

export interface TeamDataHealth {
  readonly team: string;
  readonly name: string;
  readonly members_now: number;
  readonly without_slack: number | null;
  readonly without_calendar: number | null;
  readonly gaps_reason: string | null;
  readonly weeks: readonly TeamDataWeek[];
}

export interface UnmatchedFacts {
  readonly slack_accounts: number;
  readonly calendar_owners: number;
  readonly roster_with_slack_share: number | null;
  readonly roster_with_calendar_share: number | null;
}

export interface DataHealthFacts {
  /** The settings of the build read (meta.build_params). */
  readonly min_group_size: number;
  readonly holiday_z_threshold: number;
  readonly from: string;
  readonly to: string;
  readonly sources: readonly SourceHealth[];
  readonly teams: readonly TeamDataHealth[];
  /** Organisation-wide; null unless asked for (admins only). */
  readonly unmatched: UnmatchedFacts | null;
  /** Null when the database read is not a published snapshot (no meta.snapshot). */
  readonly build: {
    readonly build_id: string;
    readonly built_at: string | null;
    readonly published_at: string;
  } | null;
  readonly next_refresh_at: string | null;
  /** One line each, in the order of importance: staleness, source errors, gaps. */
  readonly warnings: readonly string[];
}

export interface DataHealthOptions {
  /** The working warehouse's path: locates the job state files beside its snapshots. */
  readonly dbPath: string;
  /** Mondays: the weeks whose week_start lies in [from, to]. */
  readonly from: string;
  readonly to: string;
  /** The teams to report, or null for every team (the organisation). */
  readonly teams: readonly string[] | null;
  /**
   * Admins: the organisation-wide unmatched counts and the text of source errors (which may name
   * a calendar or a channel). Others get the counts per team only and "failed" without details.
   */
  readonly admin: boolean;
}

/** Same words as the team-week cells (server/present/team-week.ts re-exports them). */
export function suppressedReason(minGroupSize: number): string {
  return `fewer than ${minGroupSize} active people`;
}

/**
 * Why a shown row has no count band, no pooled shares and no coverage counts: sums, unlike
 * medians, can be subtracted, and this team minus its sub-teams would leave a handful of people.
 */
export function withheldSumReason(minGroupSize: number): string {
  return `not shown for a team that contains a team with fewer than ${minGroupSize} own members: subtracting sub-teams would reveal them`;
}

const ISO_INSTANT = `'%Y-%m-%dT%H:%M:%S.%gZ'`;

/** The columns of marts.team_week_marks a caller selects (alias `m`) for `weekMarksOf`. */
export const WEEK_MARKS_SELECT = `m.coverage_shown AS marks_coverage_shown,
  m.suppressed AS marks_suppressed, m.members AS marks_members,
  m.calendar_members AS marks_calendar, m.slack_members AS marks_slack,
  m.both_members AS marks_both, m.neither_members AS marks_neither,
  m.probable_holiday AS marks_probable_holiday, m.activity_z AS marks_activity_z`;

const count = z.number().int().nullable();

export const weekMarksRowSchema = z.object({
  /** Null only when the build has no marks row for the week (never, for a team-week). */
  marks_coverage_shown: z.boolean().nullable(),
  marks_suppressed: z.boolean().nullable(),
  marks_members: count,
  marks_calendar: count,
  marks_slack: count,
  marks_both: count,
  marks_neither: count,
  marks_probable_holiday: z.boolean().nullable(),
  marks_activity_z: z.number().nullable(),
});
export type WeekMarksRow = z.infer<typeof weekMarksRowSchema>;

export function weekMarksOf(row: WeekMarksRow, minGroupSize: number): WeekMarks {
  const shown =
    row.marks_coverage_shown === true &&
    row.marks_members !== null &&
    row.marks_calendar !== null &&
    row.marks_slack !== null &&
    row.marks_both !== null &&
    row.marks_neither !== null;
  return {
    coverage: shown
      ? {
          members: row.marks_members ?? 0,
          calendar: row.marks_calendar ?? 0,
          slack: row.marks_slack ?? 0,
          both: row.marks_both ?? 0,
          neither: row.marks_neither ?? 0,
        }
      : null,
    coverage_reason: shown
      ? null
      : row.marks_suppressed !== false
        ? suppressedReason(minGroupSize)
        : withheldSumReason(minGroupSize),
    probable_holiday: row.marks_probable_holiday === true,
    activity_z: row.marks_activity_z,
  };
}

async function hasTable(db: Warehouse, schema: string, table: string): Promise<boolean> {
  const row = await db.one(
    `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE schema_name = $1 AND table_name = $2`,
    [schema, table],
  );
  return row?.['n'] !== 0;
}

async function readSources(
  db: Warehouse,
  options: DataHealthOptions,
  nextRefreshAt: string | null,
): Promise<SourceHealth[]> {
  // An import run still marked `complete: false` is a live sync that did not finish (runs.ts).
  const successes = await db.parse(
    z.object({ source: z.string(), last_success_at: z.string() }),
    `SELECT source, strftime(max(finished_at) AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS last_success_at
     FROM meta.import_runs
     WHERE coalesce(json_extract(summary, '$.complete')::VARCHAR, 'true') <> 'false'
     GROUP BY source`,
  );
  const coverage = await db.parse(
    z.object({ source: z.string(), covers_from: z.string(), covers_to: z.string() }),
    `SELECT source, strftime(min(covers_from), '%Y-%m-%d') AS covers_from,
            strftime(max(covers_to), '%Y-%m-%d') AS covers_to
     FROM marts.data_health_sources GROUP BY source`,
  );
  // Failures of a source's job: those of the snapshot's log, and the latest run recorded beside
  // the snapshots (a failure after this snapshot was published is only there).
  const logged = await db.all(
    `SELECT job, strftime(started_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS started_at,
            strftime(finished_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS finished_at,
            status, counts::VARCHAR AS counts, error
     FROM meta.job_runs WHERE starts_with(job, 'source:')`,
  );
  const runs: JobRun[] = [
    ...logged.map(parseJobRunRow),
    ...readLastRuns(options.dbPath).filter((run) => run.job.startsWith('source:')),
  ];
  // The roster's snapshots may come from the demo as well as from roster imports: its last
  // success is the run that wrote the latest snapshot, whichever source that was.
  const rosterRun = await db.one(
    `SELECT strftime(runs.finished_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS finished_at
     FROM marts.data_health_sources AS sources
     JOIN meta.import_runs AS runs ON runs.run_id = sources.latest_run_id
     WHERE sources.source = 'roster'`,
  );
  const success = new Map(successes.map((row) => [row.source, row.last_success_at]));
  const rosterFinished = rosterRun?.['finished_at'];
  if (typeof rosterFinished === 'string' && !success.has('roster'))
    success.set('roster', rosterFinished);
  const covered = new Map(coverage.map((row) => [row.source, row]));
  const present = new Set([
    'roster',
    ...success.keys(),
    ...covered.keys(),
    ...runs.map((run) => run.job.slice('source:'.length)),
  ]);
  return KNOWN_SOURCES.filter((known) => present.has(known.source)).map((known) => {
    const lastSuccess = success.get(known.source) ?? null;
    const failure = runs
      .filter((run) => run.job === `source:${known.source}` && run.status === 'failed')
      .filter((run) => lastSuccess === null || run.finished_at > lastSuccess)
      .sort((a, b) => b.finished_at.localeCompare(a.finished_at))[0];
    const span = covered.get(known.source);
    return {
      kind: known.kind,
      source: known.source,
      label: known.label,
      last_success_at: lastSuccess,
      covers_from: span?.covers_from ?? null,
      covers_to: span?.covers_to ?? null,
      last_error:
        failure === undefined
          ? null
          : {
              at: failure.finished_at,
              message: options.admin
                ? (failure.error ?? 'no reason recorded')
                : 'the last run failed (an admin can see why on this page or with `syncbalance status`)',
            },
      next_run_at: REFRESHED_SOURCES.has(known.source) ? nextRefreshAt : null,
    };
  });
}

const teamRowSchema = z.object({
  team_path: z.string(),
  team_name: z.string(),
  members_now: z.number().int(),
  gaps_hidden: z.enum(['small_team', 'small_sub_team']).nullable(),
  without_slack: count,
  without_calendar: count,
});

const weekRowSchema = z
  .object({ team_path: z.string(), week_start: z.string() })
  .extend(weekMarksRowSchema.shape);

function gapsReason(hidden: 'small_team' | 'small_sub_team' | null, min: number): string | null {
  if (hidden === 'small_team') return `fewer than ${min} people on the team now`;
  if (hidden === 'small_sub_team')
    return `not shown for a team that contains a team with fewer than ${min} own members now: subtracting sub-teams would reveal them`;
  return null;
}

async function readTeams(
  db: Warehouse,
  options: DataHealthOptions,
  min: number,
): Promise<TeamDataHealth[]> {
  // Nobody's teams (a viewer who sees none): nothing to read, and DuckDB cannot type an empty list.
  if (options.teams !== null && options.teams.length === 0) return [];
  const filter = options.teams === null ? 'true' : 'list_contains($teams, t.team_path)';
  const params = {
    from: options.from,
    to: options.to,
    ...(options.teams === null ? {} : { teams: listValue([...options.teams]) }),
  };
  const teams = await db.parse(
    teamRowSchema,
    `SELECT t.team_path, t.team_name, g.members_now, g.gaps_hidden, g.without_slack, g.without_calendar
     FROM marts.teams AS t JOIN marts.data_health_teams AS g USING (team_path)
     WHERE ${filter} ORDER BY t.team_path`,
    options.teams === null ? {} : { teams: listValue([...options.teams]) },
  );
  const weeks = await db.parse(
    weekRowSchema,
    `SELECT m.team_path, strftime(m.week_start, '%Y-%m-%d') AS week_start, ${WEEK_MARKS_SELECT}
     FROM marts.team_week_marks AS m
     WHERE ${filter.replace('t.team_path', 'm.team_path')}
       AND m.week_start BETWEEN $from::DATE AND $to::DATE
     ORDER BY m.team_path, m.week_start`,
    params,
  );
  const byTeam = new Map<string, TeamDataWeek[]>();
  for (const week of weeks) {
    const list = byTeam.get(week.team_path) ?? [];
    const suppressed = week.marks_suppressed === true;
    list.push({
      week_start: week.week_start,
      suppressed,
      reason: suppressed ? suppressedReason(min) : null,
      marks: weekMarksOf(week, min),
    });
    byTeam.set(week.team_path, list);
  }
  return teams.map((team) => ({
    team: team.team_path,
    name: team.team_name,
    members_now: team.members_now,
    without_slack: team.without_slack,
    without_calendar: team.without_calendar,
    gaps_reason: gapsReason(team.gaps_hidden, min),
    weeks: byTeam.get(team.team_path) ?? [],
  }));
}

async function readUnmatched(db: Warehouse): Promise<UnmatchedFacts> {
  const [row] = await db.parse(
    z.object({
      roster_people_now: z.number().int(),
      roster_with_slack: z.number().int(),
      roster_with_calendar: z.number().int(),
      unmatched_slack_accounts: z.number().int(),
      unmatched_calendar_owners: z.number().int(),
    }),
    `SELECT * FROM marts.data_health_organisation`,
  );
  const people = row?.roster_people_now ?? 0;
  return {
    slack_accounts: row?.unmatched_slack_accounts ?? 0,
    calendar_owners: row?.unmatched_calendar_owners ?? 0,
    roster_with_slack_share: people === 0 ? null : (row?.roster_with_slack ?? 0) / people,
    roster_with_calendar_share: people === 0 ? null : (row?.roster_with_calendar ?? 0) / people,
  };
}

async function readBuild(db: Warehouse): Promise<DataHealthFacts['build']> {
  if (!(await hasTable(db, 'meta', 'snapshot'))) return null;
  const [row] = await db.parse(
    z.object({ build_id: z.string(), built_at: z.string().nullable(), published_at: z.string() }),
    `SELECT build_id, strftime(built_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS built_at,
            strftime(published_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS published_at
     FROM meta.snapshot`,
  );
  return row ?? null;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The warning that the shown build is older than intended (`syncbalance status` prints it first). */
export function staleWarning(reason: string): string {
  return `The data shown is older than intended: ${reason}`;
}

function warningsOf(
  stale: string | null,
  sources: readonly SourceHealth[],
  teams: readonly TeamDataHealth[],
  unmatched: UnmatchedFacts | null,
): string[] {
  const warnings: string[] = [];
  if (stale !== null) warnings.push(staleWarning(stale));
  if (!sources.some((source) => source.source === 'roster' && source.covers_from !== null))
    warnings.push('No roster has been imported: run `syncbalance import roster <file.csv>`.');
  for (const source of sources) {
    if (source.last_error !== null)
      warnings.push(
        `${source.label}: the last run failed at ${source.last_error.at}: ${source.last_error.message}`,
      );
  }
  for (const team of teams) {
    const gaps = [
      team.without_calendar === null || team.without_calendar === 0
        ? null
        : `${plural(team.without_calendar, 'person has', 'people have')} no imported calendar`,
      team.without_slack === null || team.without_slack === 0
        ? null
        : `${plural(team.without_slack, 'person has', 'people have')} no matched Slack account`,
    ].filter((gap) => gap !== null);
    if (gaps.length > 0)
      warnings.push(`${team.team} (${team.members_now} people now): ${gaps.join('; ')}.`);
  }
  if (unmatched !== null) {
    if (unmatched.slack_accounts > 0)
      warnings.push(
        `${plural(unmatched.slack_accounts, 'Slack account matches', 'Slack accounts match')} no roster person: fix the roster's email or add its slack_user_id.`,
      );
    if (unmatched.calendar_owners > 0)
      warnings.push(
        `${plural(unmatched.calendar_owners, 'imported calendar belongs', 'imported calendars belong')} to no roster person: add them to the roster or stop importing them.`,
      );
  }
  return warnings;
}

/**
 * The Data page and `syncbalance status` in one read of the snapshot `db`: sources, the teams
 * asked for with their weekly marks in [from, to] and their gaps now, the organisation's
 * unmatched counts (admins), the build, the next refresh and the warnings.
 */
export async function readDataHealth(
  db: Warehouse,
  options: DataHealthOptions,
): Promise<DataHealthFacts> {
  const [params] = await db.parse(
    z.object({ min_group_size: z.number().int(), holiday_z_score: z.number() }),
    `SELECT min_group_size, holiday_z_score FROM meta.build_params`,
  );
  if (params === undefined)
    throw new Error('the snapshot has no build settings (meta.build_params)');
  const min = params.min_group_size;
  const build = await readBuild(db);
  const state = readJobState(options.dbPath, build?.published_at ?? null);
  const sources = await readSources(db, options, state.nextRefreshAt);
  const teams = await readTeams(db, options, min);
  const unmatched = options.admin ? await readUnmatched(db) : null;
  return {
    min_group_size: min,
    holiday_z_threshold: params.holiday_z_score,
    from: options.from,
    to: options.to,
    sources,
    teams,
    unmatched,
    build,
    next_refresh_at: state.nextRefreshAt,
    warnings: warningsOf(state.stale?.reason ?? null, sources, teams, unmatched),
  };
}
