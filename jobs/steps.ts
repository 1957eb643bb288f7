/**
 * Build and publish as job steps: each run, successful or not, is written to the job log (the
 * warehouse's `meta.job_runs` and the last-run file the servers read). A failed build or publish
 * leaves the published snapshot as it was.
 */
import { buildModels, type BuildResult } from '../warehouse/build.ts';
import type { Config } from '../warehouse/config.ts';
import type { Warehouse } from '../warehouse/db.ts';
import {
  errorText,
  recordJobRun,
  writeLastRun,
  type JobCounts,
  type JobRunEntry,
  type JobStatus,
} from '../warehouse/job-log.ts';
import { publishSnapshot, type PublishPoint, type PublishResult } from '../warehouse/publish.ts';
import type { Reporter } from '../warehouse/reporter.ts';

/** Named moments where tests pause a writer to kill it. */
export type PausePoint = 'build:before-commit' | PublishPoint;

export interface StepContext {
  readonly db: Warehouse;
  readonly config: Config;
  readonly reporter: Reporter;
  readonly now: () => Date;
  /** Secret values to strip from error text. */
  readonly secrets: readonly string[];
  readonly pause?: (point: PausePoint) => Promise<void>;
  readonly select?: readonly string[];
  /** Rebuild every week, not only those whose raw data changed. */
  readonly full?: boolean;
}

/** Records one run in the warehouse's log and the last-run file beside the snapshots. */
export async function logRun(
  context: Pick<StepContext, 'db' | 'secrets'>,
  entry: JobRunEntry,
): Promise<void> {
  writeLastRun(context.db.path, entry, context.secrets);
  await recordJobRun(context.db, entry, context.secrets);
}

async function step<T>(
  context: StepContext,
  job: string,
  work: () => Promise<T>,
  counts: (result: T) => JobCounts,
): Promise<T> {
  const startedAt = context.now();
  try {
    const result = await work();
    await logRun(context, {
      job,
      startedAt,
      finishedAt: context.now(),
      status: 'ok',
      counts: counts(result),
      error: null,
    });
    return result;
  } catch (error) {
    await logRun(context, {
      job,
      startedAt,
      finishedAt: context.now(),
      status: 'failed',
      counts: {},
      error: errorText(error, context.secrets),
    });
    throw error;
  }
}

export function buildStep(context: StepContext): Promise<BuildResult> {
  return step(
    context,
    'build',
    () =>
      buildModels(context.db, context.config, {
        reporter: context.reporter,
        ...(context.select === undefined ? {} : { select: context.select }),
        ...(context.full === undefined ? {} : { full: context.full }),
        ...(context.pause === undefined
          ? {}
          : { beforeCommit: () => context.pause?.('build:before-commit') ?? Promise.resolve() }),
      }),
    (result) => ({
      models: result.models.length,
      milliseconds: Math.round(result.totalMilliseconds),
      ...(result.mode === undefined
        ? {}
        : {
            mode: result.mode.kind,
            ...(result.mode.kind === 'incremental' ? { weeks: result.mode.weeks.length } : {}),
          }),
    }),
  );
}

export function publishStep(context: StepContext): Promise<PublishResult> {
  return step(
    context,
    'publish',
    () =>
      publishSnapshot(context.db, {
        keep: context.config.snapshots.keep,
        now: context.now,
        ...(context.pause === undefined ? {} : { checkpoint: context.pause }),
      }),
    (result) => ({
      build_id: result.buildId,
      bytes: result.bytes,
      tables: result.tables,
      milliseconds: Math.round(result.milliseconds),
    }),
  );
}

export type { JobStatus };
