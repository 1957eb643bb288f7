/**
 * `syncbalance refresh`: every configured source one after the other, then a build, then a
 * publish, in one process holding the working warehouse. Each source writes in its own
 * transactions; a failed source is logged and the build still runs on what is known (that
 * source's weeks stay as they were: unknown where it never covered them, never zero). A failed
 * build or publish keeps the published snapshot. Asked to stop (`signal`), the refresh finishes
 * the step it is in and starts no other.
 */
import type { BuildResult } from '../warehouse/build.ts';
import { Warehouse } from '../warehouse/db.ts';
import { warehouseOpenSettings } from '../warehouse/config.ts';
import { errorText, type JobCounts, type JobStatus } from '../warehouse/job-log.ts';
import type { PublishResult } from '../warehouse/publish.ts';
import { buildStep, logRun, publishStep, type PausePoint } from './steps.ts';
import type { JobEnvironment, Source } from './types.ts';

export interface RefreshOptions extends JobEnvironment {
  readonly sources: readonly Source[];
  /** Secret values to strip from error text (the environment's secrets). */
  readonly secrets: readonly string[];
  readonly pause?: (point: PausePoint) => Promise<void>;
}

export interface SourceOutcome {
  readonly name: string;
  readonly status: JobStatus;
  readonly counts: JobCounts;
  readonly error: string | null;
}

export interface RefreshResult {
  readonly status: JobStatus;
  readonly sources: readonly SourceOutcome[];
  readonly build: BuildResult | null;
  readonly publish: PublishResult | null;
  readonly error: string | null;
}

export async function refresh(options: RefreshOptions): Promise<RefreshResult> {
  const startedAt = options.now();
  // A function, not a property read, so each check sees the signal as it is now.
  const stopping = (): boolean => options.signal.aborted;
  const db = await Warehouse.open(
    options.dbPath,
    warehouseOpenSettings(options.config, options.dbPath),
  );
  try {
    const outcomes: SourceOutcome[] = [];
    const configured = options.sources.filter((source) =>
      source.isConfigured(options.config, options.env, options.dbPath),
    );
    for (const source of configured) {
      if (stopping()) break;
      const secrets = [...options.secrets, ...(source.secrets?.(options.env) ?? [])];
      const sourceStarted = options.now();
      let outcome: SourceOutcome;
      try {
        const result = await source.run({ ...options, db });
        outcome = { name: source.name, status: 'ok', counts: result.counts, error: null };
      } catch (error) {
        outcome = {
          name: source.name,
          status: 'failed',
          counts: {},
          error: errorText(error, secrets),
        };
        options.reporter.warn(
          `source ${source.name} failed, building on what is known: ${outcome.error ?? ''}`,
        );
      }
      outcomes.push(outcome);
      await logRun(
        { db, secrets },
        {
          job: `source:${source.name}`,
          startedAt: sourceStarted,
          finishedAt: options.now(),
          status: outcome.status,
          counts: outcome.counts,
          error: outcome.error,
        },
      );
    }
    const failed = outcomes.filter((outcome) => outcome.status === 'failed');
    const counts: JobCounts = {
      sources_ok: outcomes.length - failed.length,
      sources_failed: failed.length,
    };
    const finish = async (
      status: JobStatus,
      error: string | null,
      build: BuildResult | null,
      publish: PublishResult | null,
    ): Promise<RefreshResult> => {
      await logRun(
        { db, secrets: options.secrets },
        {
          job: 'refresh',
          startedAt,
          finishedAt: options.now(),
          status,
          counts: { ...counts, build_id: publish?.buildId ?? null },
          error,
        },
      );
      return { status, sources: outcomes, build, publish, error };
    };
    const stopped = 'stopped by a signal before finishing';
    if (stopping()) return await finish('aborted', stopped, null, null);
    const context = {
      db,
      config: options.config,
      reporter: options.reporter,
      now: options.now,
      secrets: options.secrets,
      ...(options.pause === undefined ? {} : { pause: options.pause }),
    };
    let build: BuildResult;
    try {
      build = await buildStep(context);
    } catch (error) {
      return await finish(
        'failed',
        `build failed, the published data is kept: ${errorText(error, options.secrets)}`,
        null,
        null,
      );
    }
    if (stopping()) return await finish('aborted', stopped, build, null);
    let publish: PublishResult;
    try {
      publish = await publishStep(context);
    } catch (error) {
      return await finish(
        'failed',
        `publish failed, the published data is kept: ${errorText(error, options.secrets)}`,
        build,
        null,
      );
    }
    const sourceError =
      failed.length === 0
        ? null
        : `${failed.map((outcome) => `source ${outcome.name} failed: ${outcome.error ?? ''}`).join('; ')}; built and published on what is known`;
    return await finish(failed.length === 0 ? 'ok' : 'failed', sourceError, build, publish);
  } finally {
    db.close();
  }
}
