/**
 * The job log. Every finished run of a job (a refresh, each of its sources, a build, a publish, the
 * report; also a run skipped because the previous one was still going) is one row of
 * `meta.job_runs` in the working warehouse, and the latest run of each job is also written to a
 * small file beside the snapshots (`<db>.snapshots/last-<job>.json`). The server never opens the
 * working warehouse, so those files are how it learns that a build failed after the snapshot it
 * serves was published. Error text is stripped of secrets before it is stored anywhere.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Warehouse } from './db.ts';
import { snapshotDirectory, writeFileAtomically } from './snapshot.ts';

export const JOB_STATUSES = ['ok', 'failed', 'skipped', 'aborted'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobCounts = Record<string, number | string | boolean | null>;

export interface JobRunEntry {
  readonly job: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly status: JobStatus;
  readonly counts: JobCounts;
  readonly error: string | null;
}

/** Shapes of credentials that must never reach a log, whatever library put them in a message. */
const SECRET_PATTERNS: readonly RegExp[] = [
  /xox[a-z]-[A-Za-z0-9-]+/g, // Slack tokens
  /xapp-[A-Za-z0-9-]+/g,
  /ya29\.[A-Za-z0-9._-]+/g, // Google access tokens
  /1\/\/[A-Za-z0-9._-]{10,}/g, // Google refresh tokens
  /GOCSPX-[A-Za-z0-9_-]+/g, // Google client secrets
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  /\b(password|passwd|pass|secret|token|refresh_token|access_token|client_secret|api[_-]?key)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi,
  /\/\/[^/\s:@]+:[^/\s@]+@/g, // user:password@ in URLs
];

const MAX_ERROR_LENGTH = 2_000;

/**
 * Error text fit for the job log: every known secret value and anything shaped like a credential
 * replaced by `[redacted]`, one paragraph, bounded in length.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let clean = text;
  for (const secret of secrets) {
    if (secret.length >= 6) clean = clean.split(secret).join('[redacted]');
  }
  for (const pattern of SECRET_PATTERNS) {
    clean = clean.replace(pattern, (match, ...groups: unknown[]) => {
      const [name, separator] = groups;
      return typeof name === 'string' && typeof separator === 'string' && /[:=]/.test(separator)
        ? `${name}${separator}[redacted]`
        : '[redacted]';
    });
  }
  clean = clean.replace(/\s+/g, ' ').trim();
  return clean.length > MAX_ERROR_LENGTH ? `${clean.slice(0, MAX_ERROR_LENGTH)}…` : clean;
}

/** The text of anything thrown, for the job log. */
export function errorText(error: unknown, secrets: readonly string[] = []): string {
  const message = error instanceof Error ? error.message : String(error);
  return redactSecrets(message, secrets);
}

export async function recordJobRun(
  db: Warehouse,
  entry: JobRunEntry,
  secrets: readonly string[] = [],
): Promise<void> {
  await db.run(
    `INSERT INTO meta.job_runs VALUES (nextval('meta.job_run_ids'), $job, $started::TIMESTAMPTZ,
       $finished::TIMESTAMPTZ, $status, $counts::JSON, $error)`,
    {
      job: entry.job,
      started: entry.startedAt.toISOString(),
      finished: entry.finishedAt.toISOString(),
      status: entry.status,
      counts: JSON.stringify(entry.counts),
      error: entry.error === null ? null : redactSecrets(entry.error, secrets),
    },
  );
}

const ISO_INSTANT = `'%Y-%m-%dT%H:%M:%S.%gZ'`;

export const jobRunSchema = z.object({
  job: z.string(),
  started_at: z.string(),
  finished_at: z.string(),
  status: z.enum(JOB_STATUSES),
  counts: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  error: z.string().nullable(),
});
export type JobRun = z.infer<typeof jobRunSchema>;

export function parseJobRunRow(row: Record<string, unknown>): JobRun {
  const counts = row['counts'];
  return jobRunSchema.parse({
    ...row,
    counts: typeof counts === 'string' ? (JSON.parse(counts) as unknown) : counts,
  });
}

/** The latest run of each job in the log, by job name. */
export async function latestJobRuns(db: Warehouse): Promise<JobRun[]> {
  const rows = await db.all(
    `SELECT job, strftime(started_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS started_at,
            strftime(finished_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS finished_at,
            status, counts::VARCHAR AS counts, error
     FROM meta.job_runs QUALIFY row_number() OVER (PARTITION BY job ORDER BY finished_at DESC, run_id DESC) = 1
     ORDER BY job`,
  );
  return rows.map(parseJobRunRow);
}

/** Every run of one job, oldest first (tests and `status --json`). */
export async function jobRunsOf(db: Warehouse, job: string): Promise<JobRun[]> {
  const rows = await db.all(
    `SELECT job, strftime(started_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS started_at,
            strftime(finished_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS finished_at,
            status, counts::VARCHAR AS counts, error
     FROM meta.job_runs WHERE job = $1 ORDER BY started_at, run_id`,
    [job],
  );
  return rows.map(parseJobRunRow);
}

function lastRunFile(dbPath: string, job: string): string {
  return join(snapshotDirectory(dbPath), `last-${job.replace(/[^a-z0-9_-]/gi, '_')}.json`);
}

/** Writes the job's latest run beside the snapshots, where servers read it. */
export function writeLastRun(
  dbPath: string,
  entry: JobRunEntry,
  secrets: readonly string[] = [],
): void {
  mkdirSync(snapshotDirectory(dbPath), { recursive: true });
  const run: JobRun = {
    job: entry.job,
    started_at: entry.startedAt.toISOString(),
    finished_at: entry.finishedAt.toISOString(),
    status: entry.status,
    counts: entry.counts,
    error: entry.error === null ? null : redactSecrets(entry.error, secrets),
  };
  writeFileAtomically(lastRunFile(dbPath, entry.job), `${JSON.stringify(run)}\n`);
}

/** The latest run of every job that wrote one, by job name. Unreadable files are skipped. */
export function readLastRuns(dbPath: string): JobRun[] {
  let names: string[];
  try {
    names = readdirSync(snapshotDirectory(dbPath));
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith('last-') && name.endsWith('.json'))
    .flatMap((name) => {
      try {
        const text = readFileSync(join(snapshotDirectory(dbPath), name), 'utf8');
        return [jobRunSchema.parse(JSON.parse(text))];
      } catch {
        return [];
      }
    })
    .sort((a, b) => a.job.localeCompare(b.job));
}

export const scheduleStateSchema = z.object({
  pid: z.number().int(),
  updated_at: z.string(),
  /** Next run of each scheduled job (ISO instant), null when it will not run again. */
  next: z.record(z.string(), z.string().nullable()),
});
export type ScheduleState = z.infer<typeof scheduleStateSchema>;

function scheduleFile(dbPath: string): string {
  return join(snapshotDirectory(dbPath), 'schedule.json');
}

/** Written by a running scheduler whenever its next runs change; servers show the next refresh. */
export function writeScheduleState(dbPath: string, state: ScheduleState): void {
  mkdirSync(snapshotDirectory(dbPath), { recursive: true });
  writeFileAtomically(scheduleFile(dbPath), `${JSON.stringify(state)}\n`);
}

export function readScheduleState(dbPath: string): ScheduleState | null {
  try {
    return scheduleStateSchema.parse(JSON.parse(readFileSync(scheduleFile(dbPath), 'utf8')));
  } catch {
    return null;
  }
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
