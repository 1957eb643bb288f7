import type { Command } from 'commander';
import { z } from 'zod';
import { nextRuns } from '../../../jobs/scheduler.ts';
import { readJobState } from '../../../server/queries/health.ts';
import type { Warehouse } from '../../../warehouse/db.ts';
import {
  latestJobRuns,
  readLastRuns,
  readScheduleState,
  type JobRun,
} from '../../../warehouse/job-log.ts';
import { SOURCE_COVERAGE_SQL } from '../../../warehouse/publish.ts';
import { openCurrentSnapshot, snapshotFile } from '../../../warehouse/snapshot.ts';
import { existsSync, statSync } from 'node:fs';
import type { CliContext } from '../context.ts';
import type { Io } from '../io.ts';
import { contextOf } from './shared.ts';

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

export async function readStatus(context: CliContext): Promise<Status> {
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
  if (status.sources.length === 0) out('  none imported yet');
  for (const source of status.sources)
    out(
      `  ${source.source.padEnd(24)} last import ${source.last_import_at ?? 'never'}; covers ${source.covered_from ?? '—'} to ${source.covered_to ?? '—'}`,
    );
}

export function registerStatus(program: Command, io: Io): void {
  program
    .command('status')
    .description(
      'the published build and its age, the last and next run of each job, and what each source covers',
    )
    .option('--json', 'print one JSON object')
    .action(async (options: { json?: boolean }, command: Command) => {
      const context = contextOf(command, io);
      const status = await readStatus(context);
      if (options.json === true) io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      else printStatus(context, status);
    });
}
