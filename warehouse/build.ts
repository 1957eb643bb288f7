/**
 * Builds the SQL models: every selected model is recreated as a table, in dependency order, inside
 * one transaction together with the invariant checks. Readers keep seeing the previous complete
 * set until the commit, and a failing model or check leaves that set untouched.
 */
import { performance } from 'node:perf_hooks';
import type { Config } from './config.ts';
import { sqlString, type Warehouse } from './db.ts';
import { RuntimeFailure } from './errors.ts';
import { runChecks } from './checks.ts';
import { loadModels, orderModels, selectWithDependents, type Model } from './models.ts';
import type { Reporter } from './reporter.ts';
import { silentReporter } from './reporter.ts';

export interface ModelTiming {
  readonly model: string;
  readonly layer: string;
  readonly milliseconds: number;
  readonly rows: number;
}

export interface BuildResult {
  readonly models: readonly ModelTiming[];
  readonly checksMilliseconds: number;
  readonly totalMilliseconds: number;
}

export interface BuildOptions {
  /** Build only these models and everything downstream of them. */
  readonly select?: readonly string[];
  readonly reporter?: Reporter;
  /** Skip the invariant checks (benchmarks measure them separately). */
  readonly skipChecks?: boolean;
  /** Another models folder, for tests of the runner itself. */
  readonly modelsDirectory?: string;
}

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Every threshold a model uses, as one row in `meta.build_params`, so the SQL holds no magic
 * numbers and a notebook can see exactly which settings produced the marts.
 */
async function writeBuildParams(db: Warehouse, config: Config): Promise<void> {
  const [startHour, startMinute] = config.workingHours.start.split(':').map(Number);
  const [endHour, endMinute] = config.workingHours.end.split(':').map(Number);
  await db.run(
    `CREATE OR REPLACE TABLE meta.build_params AS SELECT
       ${sqlString(config.timezone)} AS default_timezone,
       [${config.workingHours.days.join(', ')}]::TINYINT[] AS default_work_days,
       TIME ${sqlString(clock((startHour ?? 0) * 60 + (startMinute ?? 0)))} AS default_work_start,
       TIME ${sqlString(clock((endHour ?? 0) * 60 + (endMinute ?? 0)))} AS default_work_end,
       ${config.minGroupSize}::INTEGER AS min_group_size,
       ${config.focusBlockMinutes}::INTEGER AS focus_block_minutes,
       ${config.minutesPerMessage}::DOUBLE AS minutes_per_message,
       ${config.meetingMaxHours}::DOUBLE AS meeting_max_hours,
       ${config.latencyCapDays}::INTEGER AS latency_cap_days,
       now() AS built_at`,
  );
}

export async function buildModels(
  db: Warehouse,
  config: Config,
  options: BuildOptions = {},
): Promise<BuildResult> {
  const reporter = options.reporter ?? silentReporter;
  const all = loadModels(options.modelsDirectory);
  const models: Model[] = options.select?.length
    ? selectWithDependents(all, options.select)
    : orderModels(all);
  const started = performance.now();
  const timings: ModelTiming[] = [];
  let checksMilliseconds = 0;
  await db.transaction(async () => {
    await writeBuildParams(db, config);
    for (const layer of new Set(models.map((model) => model.layer))) {
      await db.run(`CREATE SCHEMA IF NOT EXISTS ${layer}`);
    }
    const progress = reporter.progress('Building models', 'models', models.length);
    for (const model of models) {
      const begin = performance.now();
      try {
        await db.run(`CREATE OR REPLACE TABLE ${model.layer}.${model.name} AS (\n${model.sql}\n)`);
      } catch (error) {
        throw new RuntimeFailure(
          `model ${model.layer}.${model.name} failed (${model.file}): ${(error as Error).message}`,
          [],
          { cause: error },
        );
      }
      const milliseconds = performance.now() - begin;
      const count = await db.one(`SELECT count(*)::BIGINT AS n FROM ${model.layer}.${model.name}`);
      const rows = Number(count?.['n'] ?? 0);
      timings.push({ model: model.name, layer: model.layer, milliseconds, rows });
      await db.run(`INSERT OR REPLACE INTO meta.model_builds VALUES ($1, $2, now(), $3, $4)`, [
        model.name,
        model.layer,
        milliseconds,
        rows,
      ]);
      progress.advance();
    }
    progress.done();
    if (!options.skipChecks) {
      const checksStarted = performance.now();
      const failures = await runChecks(db, models);
      checksMilliseconds = performance.now() - checksStarted;
      if (failures.length > 0) {
        const lines = failures.map(
          (failure) => `${failure.model}: ${failure.name} (${failure.failingRows} rows)`,
        );
        throw new RuntimeFailure(
          `${failures.length} data invariant${failures.length === 1 ? '' : 's'} failed, the previous build is kept; first: ${lines[0] ?? ''}`,
          lines,
        );
      }
    }
  });
  return { models: timings, checksMilliseconds, totalMilliseconds: performance.now() - started };
}
