import type { Command } from 'commander';
import { z } from 'zod';
import { nextRuns } from '../../../jobs/scheduler.ts';
import {
  dataHealthResponseSchema,
  type DataHealthResponse,
} from '../../../server/contract/data-health.ts';
import { readDataHealth, staleWarning } from '../../../warehouse/data-health.ts';
import { weekStart } from '../../../warehouse/dates.ts';
import type { Warehouse } from '../../../warehouse/db.ts';
import { errorText } from '../../../warehouse/job-log.ts';
import {
  latestJobRuns,
  readJobState,
  readLastRuns,
  readScheduleState,
  type JobRun,
} from '../../../warehouse/job-log.ts';
import { SOURCE_COVERAGE_SQL } from '../../../warehouse/publish.ts';
import { openCurrentSnapshot, snapshotFile } from '../../../warehouse/snapshot.ts';
import { existsSync, statSync } from 'node:fs';
import { integerOption, isoDateOption } from '../args.ts';
import type { CliContext } from '../context.ts';
import type { Io } from '../io.ts';
import { secretsOf } from './publish.ts';
import { contextOf, plural } from './shared.ts';

const ISO = `'%Y-%m-%dT%H:%M:%S.%gZ'`;

const coverageSchema = z.object({
  source: z.string(),
  covered_from: z.string().nullable(),
  covered_to: z.string().nullable(),
  windows: z.coerce.number(),
});

const importSchema = z.object({ source: z.string(), last_import_at: z.string() });

interface Status {
  warehouse: { path: string; busy: boolean };
  snapshot: {
    build_id: string;
    built_at: string | null;
    published_at: string;
    age_seconds: number;
    bytes: number;
  } | null;
  stale: { job: string; failed_at: string; reason: string } | null;
  scheduler: { running: boolean; pid: number | null };
  jobs: { job: string; last: JobRun | null; next_run_at: string | null }[];
  sources: {
    source: string;
    last_import_at: string | null;
    covered_from: string | null;
    covered_to: string | null;
    windows: number;
  }[];
  /**
   * What the numbers rest on, read from the published snapshot by the Data page's own read
   * (warehouse/data-health.ts), for the whole organisation as an admin sees it: the shape of
   * `GET /api/data-health` (server/contract/data-health.ts). Null with `data_health_note` when
   * there is no snapshot or it was built before these marts existed.
   */
  data_health: DataHealthResponse | null;
  data_health_note: string | null;
}

export interface StatusOptions {
  readonly from?: string;
  readonly to?: string;
  /** Weeks shown when `from` is not given, ending at `to` (default: the latest built week). */
  readonly weeks: number;
}

/** Monday-based week starts as ISO dates, `weeks - 1` weeks before `to`. */
function weeksBefore(to: string, weeks: number): string {
  return new Date(Date.parse(to) - (weeks - 1) * 7 * 86_400_000).toISOString().slice(0, 10);
}

async function dataHealthOf(
  context: CliContext,
  db: Warehouse,
  options: StatusOptions,
): Promise<Pick<Status, 'data_health' | 'data_health_note'>> {
  try {
    const [latest] = await db.parse(
      z.object({ week: z.string().nullable() }),
      `SELECT strftime(max(week_start), '%Y-%m-%d') AS week FROM marts.team_week_marks`,
    );
    // Whole weeks, as the API reads them: a date stands for the week (Monday) it falls in.
    const to = weekStart(options.to ?? latest?.week ?? context.io.now().toISOString().slice(0, 10));
    const from = weekStart(options.from ?? weeksBefore(to, options.weeks));
    // The person at the terminal can open the warehouse itself: they see what an admin sees.
    const facts = await readDataHealth(db, {
      dbPath: context.dbPath,
      from,
      to,
      teams: null,
      admin: true,
    });
    // Checked against the API's contract, so `status --json` and the page cannot drift apart.
    return {
      data_health: dataHealthResponseSchema.parse({ scope: 'organisation', ...facts }),
      data_health_note: null,
    };
  } catch (error) {
    return {
      data_health: null,
      data_health_note: `cannot read what the numbers rest on from the published build (one made before these facts existed needs syncbalance build): ${errorText(error, secretsOf(context))}`,
    };
  }
}

async function sourcesOf(db: Warehouse, raw: boolean): Promise<Status['sources']> {
  const coverage = await db.parse(
    coverageSchema,
    `SELECT source, strftime(covered_from AT TIME ZONE 'UTC', ${ISO}) AS covered_from,
            strftime(covered_to AT TIME ZONE 'UTC', ${ISO}) AS covered_to, windows
     FROM (${raw ? SOURCE_COVERAGE_SQL : 'SELECT * FROM meta.source_coverage'})`,
  );
  const imports = await db.parse(
    importSchema,
    `SELECT source, strftime(max(finished_at) AT TIME ZONE 'UTC', ${ISO}) AS last_import_at
     FROM meta.import_runs GROUP BY source ORDER BY source`,
  );
  const names = [
    ...new Set([...imports.map((row) => row.source), ...coverage.map((row) => row.source)]),
  ].sort();
  return names.map((source) => {
    const covered = coverage.find((row) => row.source === source);
    return {
      source,
      last_import_at: imports.find((row) => row.source === source)?.last_import_at ?? null,
      covered_from: covered?.covered_from ?? null,
      covered_to: covered?.covered_to ?? null,
      windows: covered?.windows ?? 0,
    };
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function readStatus(
  context: CliContext,
  options: StatusOptions = { weeks: 4 },
): Promise<Status> {
  const now = context.io.now();
  let runs: JobRun[] = [];
  let sources: Status['sources'] = [];
  let busy = false;
  try {
    if (!existsSync(context.dbPath)) throw new Error('no warehouse yet');
    const db = await context.openWarehouse({ readOnly: true });
    try {
      runs = await latestJobRuns(db);
      sources = await sourcesOf(db, true);
    } finally {
      db.close();
    }
  } catch {
    // A writer (a refresh, an import) holds the warehouse, or there is none: the snapshot's copies
    // are the next best.
    busy = existsSync(context.dbPath);
  }
  const opened = await openCurrentSnapshot(context.dbPath);
  let snapshot: Status['snapshot'] = null;
  let health: Pick<Status, 'data_health' | 'data_health_note'> = {
    data_health: null,
    data_health_note: 'nothing is published yet (run syncbalance build)',
  };
  if (opened !== null) {
    try {
      const [meta] = await opened.db.parse(
        z.object({ built_at: z.string().nullable() }),
        `SELECT strftime(built_at AT TIME ZONE 'UTC', ${ISO}) AS built_at FROM meta.snapshot`,
      );
      if (busy) {
        runs = await latestJobRuns(opened.db);
        sources = await sourcesOf(opened.db, false);
      }
      snapshot = {
        build_id: opened.pointer.build_id,
        built_at: meta?.built_at ?? null,
        published_at: opened.pointer.published_at,
        age_seconds: Math.round((now.getTime() - Date.parse(opened.pointer.published_at)) / 1000),
        bytes: statSync(snapshotFile(context.dbPath, opened.pointer.build_id)).size,
      };
      health = await dataHealthOf(context, opened.db, options);
    } finally {
      opened.db.close();
    }
  }
  // The last-run files are written even when the warehouse was busy: newer where they differ.
  for (const run of readLastRuns(context.dbPath)) {
    const known = runs.findIndex((other) => other.job === run.job);
    if (known === -1) runs.push(run);
    else if ((runs[known]?.finished_at ?? '') < run.finished_at) runs[known] = run;
  }
  const schedule = readScheduleState(context.dbPath);
  const running =
    schedule !== null && isAlive(schedule.pid) && Object.keys(schedule.next).length > 0;
  const schedulerPid = running ? schedule.pid : null;
  const { refresh, report } = context.config.schedule;
  const configured = [
    ...(refresh === undefined ? [] : [{ job: 'refresh', entry: refresh }]),
    ...(report === undefined ? [] : [{ job: 'report', entry: report }]),
  ];
  const names = [
    ...new Set([...configured.map((item) => item.job), ...runs.map((run) => run.job)]),
  ].sort();
  return {
    warehouse: { path: context.dbPath, busy },
    snapshot,
    stale: readJobState(context.dbPath, snapshot?.published_at ?? null).stale,
    scheduler: { running, pid: schedulerPid },
    jobs: names.map((job) => {
      const entry = configured.find((item) => item.job === job)?.entry;
      const next = entry === undefined ? [] : nextRuns(entry.cron, entry.timezone, now, 1);
      return {
        job,
        last: runs.find((run) => run.job === job) ?? null,
        next_run_at: next[0]?.toISOString() ?? null,
      };
    }),
    sources,
    ...health,
  };
}

function age(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3_600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

function printStatus(context: CliContext, status: Status): void {
  const out = (line: string): void => {
    context.reporter.result(line);
  };
  out(
    status.snapshot === null
      ? 'published: nothing yet (run syncbalance build)'
      : `published: build ${status.snapshot.build_id}, ${age(status.snapshot.age_seconds)} old (built ${status.snapshot.built_at ?? '?'}, published ${status.snapshot.published_at}, ${(status.snapshot.bytes / 1_048_576).toFixed(1)} MB)`,
  );
  if (status.stale !== null) out(`STALE: ${status.stale.reason}`);
  if (status.warehouse.busy)
    out('warehouse: in use by a writer; job log and coverage as of the last publish');
  out(
    status.scheduler.running
      ? `scheduler: running (PID ${status.scheduler.pid ?? '?'})`
      : 'scheduler: not running',
  );
  out('jobs:');
  for (const job of status.jobs) {
    const last =
      job.last === null
        ? 'never ran'
        : `last ${job.last.status} ${job.last.finished_at}${job.last.error === null ? '' : ` (${job.last.error})`}`;
    out(`  ${job.job.padEnd(24)} ${last}; next ${job.next_run_at ?? 'not scheduled'}`);
  }
  out('sources:');
  const health = status.data_health;
  // A live source whose every run failed has imported nothing, yet the Data page lists it.
  const sources = [
    ...status.sources,
    ...(health?.sources ?? [])
      .filter((item) => !status.sources.some((source) => source.source === item.source))
      .map((item) => ({
        source: item.source,
        last_import_at: null,
        covered_from: null,
        covered_to: null,
        windows: 0,
      })),
  ];
  if (sources.length === 0) out('  none imported yet');
  for (const source of sources) {
    const known = health?.sources.find((item) => item.source === source.source);
    const failed =
      known?.last_error == null
        ? ''
        : `; last run failed ${known.last_error.at}: ${known.last_error.message}`;
    const next = known?.next_run_at == null ? '' : `; next sync ${known.next_run_at}`;
    out(
      `  ${source.source.padEnd(24)} last import ${source.last_import_at ?? 'never'}; covers ${source.covered_from ?? '—'} to ${source.covered_to ?? '—'}${failed}${next}`,
    );
  }
  if (health === null) {
    out(`data health: ${status.data_health_note ?? 'not available'}`);
    return;
  }
  // Staleness is the first line already, not repeated among the warnings at the end.
  const stale = status.stale === null ? null : staleWarning(status.stale.reason);
  printDataHealth(out, {
    ...health,
    warnings: health.warnings.filter((warning) => warning !== stale),
  });
}

function percent(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)}%`;
}

function weekFacts(week: DataHealthResponse['teams'][number]['weeks'][number]): string {
  const coverage = week.marks.coverage;
  if (coverage === null) {
    const reason = week.marks.coverage_reason ?? week.reason ?? 'withheld';
    return reason.startsWith('not shown') ? reason : `not shown: ${reason}`;
  }
  return `calendar ${coverage.calendar} of ${coverage.members}, Slack ${coverage.slack} of ${coverage.members}, both ${coverage.both}, neither ${coverage.neither}`;
}

/** The Data page's facts, in the order the page shows them; counts only, never a person. */
function printDataHealth(out: (line: string) => void, health: DataHealthResponse): void {
  out(
    `coverage by team (weeks ${health.from} to ${health.to}; members with calendar and Slack data, shown only where the team-week is shown):`,
  );
  if (health.teams.length === 0) out('  no teams built yet');
  for (const team of health.teams) {
    const gaps =
      team.without_calendar === null || team.without_slack === null
        ? `gaps ${team.gaps_reason?.startsWith('not shown') === true ? team.gaps_reason : `not shown: ${team.gaps_reason ?? 'withheld'}`}`
        : `without a calendar ${team.without_calendar}, without Slack ${team.without_slack}`;
    out(`  ${team.team.padEnd(28)} ${plural(team.members_now, 'member')} now; ${gaps}`);
    // Consecutive weeks that read the same are one line: a year of a steady team stays short.
    const lines: { from: string; to: string; text: string }[] = [];
    for (const week of team.weeks) {
      const text = `${weekFacts(week)}${week.marks.probable_holiday ? '; probable holiday' : ''}`;
      const last = lines.at(-1);
      if (last?.text === text) last.to = week.week_start;
      else lines.push({ from: week.week_start, to: week.week_start, text });
    }
    for (const line of lines)
      out(`    ${line.from === line.to ? line.from : `${line.from} to ${line.to}`}  ${line.text}`);
  }
  const unmatched = health.unmatched;
  if (unmatched !== null)
    out(
      `match rates: ${percent(unmatched.roster_with_slack_share)} of roster people have a matched Slack account, ${percent(unmatched.roster_with_calendar_share)} an imported calendar; unmatched: ${plural(unmatched.slack_accounts, 'Slack account')}, ${plural(unmatched.calendar_owners, 'calendar owner')}`,
    );
  out(`next refresh: ${health.next_refresh_at ?? 'not scheduled'}`);
  out(health.warnings.length === 0 ? 'warnings: none' : 'warnings:');
  for (const warning of health.warnings) out(`  ${warning}`);
}

export function registerStatus(program: Command, io: Io): void {
  program
    .command('status')
    .description(
      'the published build and its age, the last and next run of each job, what each source covers, coverage per team, match rates and warnings (the Data page in the terminal)',
    )
    .option('--json', 'print one JSON object')
    .option(
      '--from <date>',
      'first week of the coverage (a date in it, YYYY-MM-DD)',
      isoDateOption('--from'),
    )
    .option(
      '--to <date>',
      'last week of the coverage (a date in it, YYYY-MM-DD; default: the latest built week)',
      isoDateOption('--to'),
    )
    .option(
      '--weeks <n>',
      'weeks of coverage up to --to when --from is not given',
      integerOption('--weeks', 1, 52),
      4,
    )
    .action(async (options: { json?: boolean } & StatusOptions, command: Command) => {
      const context = contextOf(command, io);
      const status = await readStatus(context, options);
      if (options.json === true) io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      else printStatus(context, status);
    });
}
