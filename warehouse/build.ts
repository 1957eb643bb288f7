/**
 * Builds the SQL models: every selected model is recreated as a table, in dependency order, inside
 * one transaction together with the invariant checks. Readers keep seeing the previous complete
 * set until the commit, and a failing model or check leaves that set untouched.
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { Config } from './config.ts';
import { sqlString, type Warehouse } from './db.ts';
import { RuntimeFailure } from './errors.ts';
import { EARLIEST_PLAUSIBLE_DATE, FUTURE_PLAUSIBLE_DAYS, MAX_REPORT_WEEKS } from './bounds.ts';
import { runCheckList, runChecks, type CheckedPeriod } from './checks.ts';
import { sourceChecks } from './sources.ts';
import { isView, loadModels, orderModels, selectWithDependents, type Model } from './models.ts';
import {
  affectedWeeks,
  causalStart,
  changedRawRows,
  checkDeclarations,
  computeRawFingerprints,
  dropScratch,
  isCausal,
  isPartial,
  orphansFromFingerprints,
  planBuild,
  rebuildFrom,
  rebuildPartially,
  SCOPE_START_VARIABLE,
  recordBuildState,
  snapshotModel,
  unchangedModel,
  unchangedView,
  viewPeriod,
  widenByChanges,
  type BuildMode,
  type ModelChanges,
} from './incremental.ts';
import type { Reporter } from './reporter.ts';
import { silentReporter } from './reporter.ts';

export interface ModelTiming {
  readonly model: string;
  readonly layer: string;
  readonly milliseconds: number;
  /** Null for a view, which holds no rows of its own (counting would compute it). */
  readonly rows: number | null;
  /**
   * Only some rows were recomputed: a partial model's affected weeks, or a causal model's rows
   * after the earliest change of its inputs (an incremental build).
   */
  readonly partial: boolean;
}

export interface BuildResult {
  readonly models: readonly ModelTiming[];
  readonly checksMilliseconds: number;
  readonly totalMilliseconds: number;
  /** Full (and why) or incremental (and the weeks rebuilt); absent for a --select build. */
  readonly mode?: BuildMode;
}

export interface BuildOptions {
  /** Build only these models and everything downstream of them (always in full). */
  readonly select?: readonly string[];
  /** Rebuild everything even when only some weeks' raw data changed. */
  readonly full?: boolean;
  readonly reporter?: Reporter;
  /** Skip the invariant checks (benchmarks measure them separately). */
  readonly skipChecks?: boolean;
  /** Another models folder, for tests of the runner itself. */
  readonly modelsDirectory?: string;
  /** Called inside the transaction just before it commits; tests pause there to kill the build. */
  readonly beforeCommit?: () => Promise<void>;
}

/** Where each build parameter comes from in the config, to name it in messages. */
/**
 * The holiday flag needs a usual to compare with: a team-week is judged only against at least this
 * many of the team's other weeks (docs/metrics.md, Probable holidays). Not a setting: fewer weeks
 * make a z-score meaningless, more would leave young teams unjudged for months.
 */
export const HOLIDAY_MIN_OTHER_WEEKS = 6;

const SETTING_OF_PARAM: Readonly<Record<string, string>> = {
  default_timezone: 'timezone',
  default_work_days: 'workingHours.days',
  default_work_start: 'workingHours.start',
  default_work_end: 'workingHours.end',
  min_group_size: 'minGroupSize',
  focus_block_minutes: 'focusBlockMinutes',
  minutes_per_message: 'minutesPerMessage',
  meeting_max_hours: 'meetingMaxHours',
  latency_cap_days: 'latencyCapDays',
  holiday_z_score: 'holidayZScore',
};

/**
 * Every threshold a model uses, as one row (`meta.build_params`), so the SQL holds no magic
 * numbers and a notebook can see exactly which settings produced the marts.
 */
function buildParamsSelect(config: Config): string {
  return `SELECT
       ${sqlString(config.timezone)} AS default_timezone,
       [${config.workingHours.days.join(', ')}]::TINYINT[] AS default_work_days,
       TIME ${sqlString(config.workingHours.start)} AS default_work_start,
       TIME ${sqlString(config.workingHours.end)} AS default_work_end,
       ${config.minGroupSize}::INTEGER AS min_group_size,
       ${config.focusBlockMinutes}::INTEGER AS focus_block_minutes,
       ${config.minutesPerMessage}::DOUBLE AS minutes_per_message,
       ${config.meetingMaxHours}::DOUBLE AS meeting_max_hours,
       ${config.latencyCapDays}::INTEGER AS latency_cap_days,
       ${config.holidayZScore}::DOUBLE AS holiday_z_score,
       ${HOLIDAY_MIN_OTHER_WEEKS}::INTEGER AS holiday_min_other_weeks,
       TIMESTAMPTZ ${sqlString(`${EARLIEST_PLAUSIBLE_DATE} 00:00:00+00`)} AS earliest_plausible_at,
       now() + INTERVAL ${FUTURE_PLAUSIBLE_DAYS} DAY AS latest_plausible_at,
       ${MAX_REPORT_WEEKS}::INTEGER AS max_report_weeks,
       now() AS built_at`;
}

/**
 * How the settings the marts were built with differ from the config, one line per setting (or a
 * line saying there is no build). Anything that shows the marts must refuse while this is not
 * empty: a raised minGroupSize in particular must never be undercut by an older build.
 */
export async function staleBuildSettings(db: Warehouse, config: Config): Promise<string[]> {
  const built = await db.one(
    `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE schema_name = 'meta' AND table_name = 'build_params'`,
  );
  if (built?.['n'] === 0) return ['the models have not been built yet'];
  const [then, now] = await db.all(
    // BY NAME: a build by an older version may lack parameters added since.
    `SELECT * EXCLUDE (built_at) FROM (
       SELECT 1 AS ord, * FROM meta.build_params UNION ALL BY NAME SELECT 2 AS ord, * FROM (${buildParamsSelect(config)})
     ) ORDER BY ord`,
  );
  return Object.entries(SETTING_OF_PARAM).flatMap(([param, setting]) => {
    const before = JSON.stringify(then?.[param] ?? null);
    const after = JSON.stringify(now?.[param] ?? null);
    return before === after ? [] : [`${setting}: built with ${before}, configured ${after}`];
  });
}

/**
 * Staging models only rename and cast one raw table, so they are views: copying tens of millions
 * of raw rows would double the file and the build time for nothing. Every other model is a table,
 * read many times by what comes after it, unless its spec says `materialized: view` (a filter and
 * lookup join over a raw-sized table that its few readers inline more cheaply than a copy).
 */
async function materialise(
  db: Warehouse,
  model: Model,
  existing: ReadonlyMap<string, 'table' | 'view'>,
): Promise<void> {
  const name = `${model.layer}.${model.name}`;
  const asView = isView(model);
  const before = existing.get(name);
  // A model switching between view and table (an older build) must lose its old form first.
  if (before !== undefined && (before === 'view') !== asView) {
    await db.run(`DROP ${asView ? 'TABLE' : 'VIEW'} ${name}`);
  }
  await db.run(`CREATE OR REPLACE ${asView ? 'VIEW' : 'TABLE'} ${name} AS (\n${model.sql}\n)`);
}

/**
 * What each model's name was before this build: a table or a view. Read once, not per model: a
 * catalog query inside the build's transaction costs milliseconds, and no model's own name is
 * touched before its turn.
 */
async function existingRelations(db: Warehouse): Promise<ReadonlyMap<string, 'table' | 'view'>> {
  const rows = await db.parse(
    z.object({ name: z.string(), is_view: z.boolean() }),
    `SELECT schema_name || '.' || table_name AS name, false AS is_view FROM duckdb_tables()
     WHERE database_name = current_database()
     UNION ALL
     SELECT schema_name || '.' || view_name, true FROM duckdb_views()
     WHERE database_name = current_database() AND NOT internal`,
  );
  return new Map(rows.map((row) => [row.name, row.is_view ? 'view' : 'table']));
}

/** Sets a DuckDB setting for a build; returns what sets it back to what it was. */
async function setForBuild(
  db: Warehouse,
  name: string,
  value: string,
): Promise<() => Promise<void>> {
  const kept = await db.one(`SELECT current_setting(${sqlString(name)})::VARCHAR AS value`);
  const before = z.string().parse(kept?.['value']);
  await db.run(`SET ${name} = ${sqlString(value)}`);
  return () => db.run(`SET ${name} = ${sqlString(before)}`);
}

/**
 * Drops the tables and views of the model schemas that no model defines any more (a model renamed
 * or removed by an upgrade), so a retired model's millions of rows neither linger in the file nor
 * pass for current results in a notebook.
 */
async function dropRetiredModels(db: Warehouse, models: readonly Model[]): Promise<void> {
  const layers = [...new Set(models.map((model) => model.layer))];
  const names = new Set(models.map((model) => `${model.layer}.${model.name}`));
  const existing = await db.parse(
    z.object({ table_schema: z.string(), table_name: z.string(), table_type: z.string() }),
    `SELECT table_schema, table_name, table_type FROM information_schema.tables
     WHERE table_catalog = current_database() AND table_schema IN (${layers.map(sqlString).join(', ')})`,
  );
  for (const { table_schema: schema, table_name: table, table_type: type } of existing) {
    if (names.has(`${schema}.${table}`)) continue;
    const quoted = `"${schema.replaceAll('"', '""')}"."${table.replaceAll('"', '""')}"`;
    await db.run(`DROP ${type === 'VIEW' ? 'VIEW' : 'TABLE'} ${quoted}`);
  }
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
  checkDeclarations(all);
  const byName = new Map(all.map((model) => [model.name, model]));
  // Models a partial or causal model reads: when rebuilt in full, what changed in them must be
  // known.
  const compared = new Set(
    all
      .filter((model) => isPartial(model) || isCausal(model))
      .flatMap((model) => model.dependencies),
  );
  const started = performance.now();
  const timings: ModelTiming[] = [];
  let checksMilliseconds = 0;
  // Models are sets (readers order what they show), so keeping the order rows are written in is
  // of no use: without it DuckDB inserts in parallel and streams results instead of buffering
  // them to keep their order, which lowers the build's time and its peak memory.
  const restoreSettings: (() => Promise<void>)[] = [];
  restoreSettings.push(await setForBuild(db, 'preserve_insertion_order', 'false'));
  // The tables a build creates are not committed yet when the next model reads them, and DuckDB
  // estimates them at zero rows: it built hash tables on the 13-million-row side of a lookup join
  // (a fourfold slowdown and gigabytes of memory at 1,000 people), and reordered int_responses'
  // joins so that its last 6.8 M rows were joined and written by one thread (5.4 s alone, 7.8 s
  // in the build). The models are written with the large input on the left and the lookups on the
  // right, in the order they are best joined, so that order is kept.
  restoreSettings.push(
    await setForBuild(db, 'disabled_optimizers', 'join_order,build_side_probe_side'),
  );
  await db.run(`RESET VARIABLE ${SCOPE_START_VARIABLE}`);
  let mode: BuildMode | undefined;
  // The rows each partial model replaced, each fingerprinted model changed and each declared view
  // may have changed: only those need checking.
  const periods = new Map<string, CheckedPeriod>();
  // The models rebuilt in full whose rows this build left as they were.
  const unchanged = new Set<string>();
  // The earliest instant (SQL) at which each model rebuilt so far may have changed (null:
  // unchanged), for the causal models reading it.
  const earliestChanges = new Map<string, string | null>();
  // A --select build rebuilds some models from the data as it is, without fingerprinting it.
  const fingerprinted = !options.select?.length;
  const building = db.transaction(async () => {
    if (fingerprinted) {
      await computeRawFingerprints(db);
      const stale = await staleBuildSettings(db, config);
      mode = await planBuild(db, all, stale, options.full ?? false);
    }
    await db.run(`CREATE OR REPLACE TABLE meta.build_params AS ${buildParamsSelect(config)}`);
    for (const layer of new Set(models.map((model) => model.layer))) {
      await db.run(`CREATE SCHEMA IF NOT EXISTS ${layer}`);
    }
    const existing = await existingRelations(db);
    const progress = reporter.progress('Building models', 'models', models.length);
    for (const model of models) {
      const begin = performance.now();
      let partial = false;
      try {
        if (mode?.kind === 'incremental' && isPartial(model)) {
          partial = true;
          const rebuilt = await rebuildPartially(db, model, byName);
          periods.set(model.name, rebuilt.checked);
          earliestChanges.set(model.name, rebuilt.earliest);
        } else if (
          mode?.kind === 'incremental' &&
          !isView(model) &&
          (compared.has(model.name) || isCausal(model))
        ) {
          const from = isCausal(model) ? causalStart(model, earliestChanges) : undefined;
          partial = from !== undefined;
          let changes: { readonly full: string } | ModelChanges;
          if (from === null) changes = unchangedModel(model);
          else if (from !== undefined) changes = await rebuildFrom(db, model, from);
          else {
            await snapshotModel(db, model);
            await materialise(db, model, existing);
            changes = await widenByChanges(db, model);
          }
          if ('full' in changes) mode = { kind: 'full', reason: changes.full };
          else {
            periods.set(model.name, changes.changed);
            if (changes.unchanged) unchanged.add(model.name);
            earliestChanges.set(model.name, changes.earliest);
          }
        } else {
          await materialise(db, model, existing);
        }
      } catch (error) {
        throw new RuntimeFailure(
          `model ${model.layer}.${model.name} failed (${model.file}): ${(error as Error).message}`,
          [],
          { cause: error },
        );
      }
      const milliseconds = performance.now() - begin;
      const rows = isView(model)
        ? null
        : Number(
            (await db.one(`SELECT count(*)::BIGINT AS n FROM ${model.layer}.${model.name}`))?.[
              'n'
            ] ?? 0,
          );
      timings.push({ model: model.name, layer: model.layer, milliseconds, rows, partial });
      progress.advance();
    }
    // One statement for all of them: an incremental build's models take milliseconds each.
    if (timings.length > 0)
      await db.run(
        `INSERT OR REPLACE INTO meta.model_builds VALUES ${timings
          .map(
            (timing) =>
              `(${sqlString(timing.model)}, ${sqlString(timing.layer)}, now(), ${timing.milliseconds}, ${timing.rows ?? 'NULL'})`,
          )
          .join(', ')}`,
      );
    if (!options.select?.length) await dropRetiredModels(db, all);
    if (mode?.kind === 'incremental') {
      mode = { kind: 'incremental', weeks: await affectedWeeks(db) };
      for (const model of models) {
        if (isView(model) && model.spec.incremental !== undefined)
          periods.set(model.name, await viewPeriod(db, model, byName, unchanged));
        else if (unchangedView(model)) periods.set(model.name, unchangedModel(model).changed);
      }
    }
    await recordBuildState(db, all, mode);
    progress.done();
    if (!options.skipChecks) {
      const checksStarted = performance.now();
      const failures = [
        ...(await runChecks(db, models, mode?.kind === 'incremental' ? periods : new Map())),
        ...(await runCheckList(
          db,
          await sourceChecks(
            db,
            fingerprinted ? orphansFromFingerprints : undefined,
            mode?.kind === 'incremental' ? await changedRawRows(db) : undefined,
          ),
        )),
      ];
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
    await dropScratch(db);
    await options.beforeCommit?.();
  });
  // After the commit, whose checkpoint follows the settings too.
  await building.finally(async () => {
    for (const restore of restoreSettings.reverse()) await restore();
  });
  return {
    models: timings,
    checksMilliseconds,
    totalMilliseconds: performance.now() - started,
    ...(mode === undefined ? {} : { mode }),
  };
}
