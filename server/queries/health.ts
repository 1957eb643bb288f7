/**
 * What `/api/health` reports: from the request's snapshot, the import log and the last model
 * build; from the job state files beside the snapshots, the latest run of each job, the next
 * scheduled refresh, and whether the data shown is older than intended (a later refresh, build or
 * publish failed).
 */
import { z } from 'zod';
import type { Warehouse } from '../../warehouse/db.ts';
import { readLastRuns, readScheduleState, type JobRun } from '../../warehouse/job-log.ts';
import { schemaVersion } from '../../warehouse/migrate.ts';

export interface HealthFacts {
  readonly schemaVersion: number;
  readonly sources: { source: string; last_import_at: string }[];
  readonly build: { built_at: string | null; models: number; duration_ms: number };
}

const ISO_INSTANT = `'%Y-%m-%dT%H:%M:%S.%gZ'`;

export async function readHealthFacts(db: Warehouse): Promise<HealthFacts> {
  const sources = await db.parse(
    z.object({ source: z.string(), last_import_at: z.string() }),
    `SELECT source, strftime(max(finished_at) AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS last_import_at
     FROM meta.import_runs GROUP BY source ORDER BY source`,
  );
  const [build] = await db.parse(
    z.object({
      built_at: z.string().nullable(),
      models: z.number().int(),
      duration_ms: z.number(),
    }),
    `SELECT strftime(max(built_at) AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS built_at,
            count(*)::INTEGER AS models, coalesce(sum(duration_ms), 0)::DOUBLE AS duration_ms
     FROM meta.model_builds`,
  );
  return {
    schemaVersion: await schemaVersion(db),
    sources,
    build: build ?? { built_at: null, models: 0, duration_ms: 0 },
  };
}

/** Jobs whose failure means the published data is older than intended. */
const FRESHNESS_JOBS = new Set(['refresh', 'build', 'publish']);

export interface JobState {
  readonly jobs: (JobRun & { next_run_at: string | null })[];
  readonly nextRefreshAt: string | null;
  readonly stale: { job: string; failed_at: string; reason: string } | null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The job state beside the snapshots of `dbPath`, judged against the served build's publish time.
 * A scheduler that has died says nothing about the next run.
 */
export function readJobState(dbPath: string, publishedAt: string | null): JobState {
  const runs = readLastRuns(dbPath);
  const schedule = readScheduleState(dbPath);
  const next = schedule !== null && isAlive(schedule.pid) ? schedule.next : {};
  const jobs = runs.map((run) => ({ ...run, next_run_at: next[run.job] ?? null }));
  const failures = runs
    .filter((run) => FRESHNESS_JOBS.has(run.job) && run.status === 'failed')
    .filter((run) => publishedAt === null || run.finished_at > publishedAt)
    .sort((a, b) => b.finished_at.localeCompare(a.finished_at));
  const failure = failures[0];
  return {
    jobs,
    nextRefreshAt: next['refresh'] ?? null,
    stale:
      failure === undefined
        ? null
        : {
            job: failure.job,
            failed_at: failure.finished_at,
            reason: `${failure.job} failed at ${failure.finished_at}${publishedAt === null ? '' : ', after the shown build was published'}: ${failure.error ?? 'no reason recorded'}`,
          },
  };
}
