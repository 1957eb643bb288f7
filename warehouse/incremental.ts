/**
 * Incremental builds: which weeks the raw data changed in since the last build, and how a model
 * that opted in (`incremental:` in its .yml) recomputes only those weeks' rows.
 *
 * Changes are found by content, not by run ids: every raw table gets a fingerprint (row count and
 * an order-independent hash of its rows without `run_id`), per UTC day of the rows' instants for
 * the tables that have instants (messages, calendar events with their attendees, coverage windows
 * clipped to each day) and once per table for the others. A day whose fingerprint differs from
 * the last build's changed, whether rows were added, edited or deleted (a re-import replacing a
 * period shows as changed days, a deleted week as days whose rows are gone). A change to any
 * other raw table (roster, accounts, conversations, calendar zones, or a raw table added later)
 * means a full build, as do changed models, changed build settings and `--full`.
 *
 * The contract a partial model (`partial: true`, the default) promises: its rows of local week w
 * depend only on the rows of week-keyed inputs in weeks w − 7 … w + 7 and on the rows of
 * instant-keyed inputs overlapping [w − 1 day, w + 8 days) (a local week lies within a day of its
 * UTC dates), or, with `margin_hours`, that many hours either side. So a change on UTC day d
 * reaches the local weeks whose instants, so widened, overlap it (one week for a change from
 * Tuesday to Saturday without margins, two for a Sunday or Monday), and a change in week v of a
 * week-keyed input reaches weeks v − 7, v and v + 7. A model of merged stretches (`merged`)
 * replaces the stretches touching the affected period and reads its inputs over their hull
 * instead. A model that numbers or accumulates over all time (`partial: false`, or no
 * `incremental:` at all) is rebuilt in full; if a partial model reads it, its rows are
 * fingerprinted per week (or per UTC day) before and after, and the weeks they changed in (or that
 * the days they changed on reach) join the affected weeks (an undeclared model that changed at
 * all makes the rest of the build full). That is how a change to a person's running total of
 * working time, which reaches every later week, is caught exactly, without guessing a reach. A
 * model rebuilt in full that is `causal` (its rows ending before an instant depend only on its
 * inputs' rows before it) recomputes only its rows ending after the earliest change of its
 * inputs, and compares those.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { sqlString, type Warehouse } from './db.ts';
import { InputError } from './errors.ts';
import { EARLIEST_PLAUSIBLE_DATE, FUTURE_PLAUSIBLE_DAYS } from './bounds.ts';
import type { CheckedPeriod } from './checks.ts';
import { isView, type Model } from './models.ts';
import type { Reference } from './sources.ts';

export type BuildMode =
  | { readonly kind: 'full'; readonly reason: string }
  | { readonly kind: 'incremental'; readonly weeks: readonly string[] };

/**
 * The raw table fingerprinted with its parent's rows instead of on its own, joined to them by a
 * hash of the reference's key.
 */
const FOLDED: Reference = {
  table: 'raw.calendar_attendees',
  columns: ['owner_id', 'event_key', 'recurrence_key'],
  to: 'raw.calendar_events',
};

/** The raw tables of windows, fingerprinted clipped to each day they cover. */
const COVERAGE_TABLES: readonly string[] = ['raw.calendar_coverage', 'raw.slack_coverage'];

/** The raw tables fingerprinted per UTC day; a change to any other means a full build. */
const FINGERPRINTED_BY_DAY: ReadonlySet<string> = new Set([
  'raw.slack_messages',
  FOLDED.to,
  FOLDED.table,
  ...COVERAGE_TABLES,
]);

/**
 * Whether an incremental build leaves a view's rows as they were: it reads raw tables only, none
 * of them fingerprinted per day (conversations, accounts, the roster), and a change to any of
 * those means a full build.
 */
export function unchangedView(model: Model): boolean {
  return (
    isView(model) &&
    model.dependencies.length === 0 &&
    model.sources.length > 0 &&
    model.sources.every((source) => source.startsWith('raw.') && !FINGERPRINTED_BY_DAY.has(source))
  );
}

/** Where the current build's raw fingerprints wait until the commit records them. */
const CURRENT = 'incremental_fingerprints';
/** The affected local weeks (Mondays) of an incremental build. */
export const WEEKS_TABLE = 'incremental_weeks';
/** The runs of consecutive UTC days whose raw rows changed, for the models' `reach` queries. */
const RAW_CHANGES = 'incremental_raw_changes';
/** How far the partial models read beyond their weeks: the longest lookback, the widest margin. */
const REACH = 'incremental_reach';
/** Views of declared models restricted to the affected period, read by partial models. */
export const SCOPE_SCHEMA = 'incremental_scope';
/**
 * The DuckDB variable holding the first instant a partial rebuild's scope holds, for a model
 * that reads what lies before it (`getvariable('incremental_scope_start')`); unset, so NULL, in a
 * full build. A variable, not a subquery, because DuckDB folds it into a filter on the scan.
 */
export const SCOPE_START_VARIABLE = 'incremental_scope_start';

const DAY_US = 86_400_000_000;

/**
 * The number of the UTC day (days since 1970-01-01) holding an instant given in epoch
 * microseconds, by integer arithmetic, flooring before 1970 too: `timezone('UTC', …)::DATE` spends
 * a second of every build on 13 M messages converting time zones.
 */
export function utcDayNumber(epochUs: string): string {
  return `(${epochUs} // ${DAY_US} - CASE WHEN ${epochUs} % ${DAY_US} < 0 THEN 1 ELSE 0 END)`;
}

/** The number of the last UTC day an interval [from, to) touches (the first, when empty). */
function lastDayNumber(from: string, to: string): string {
  return utcDayNumber(`greatest(${to} - 1, ${from})`);
}

/** The date a UTC day number stands for. */
export function dayNumberDate(day: string): string {
  return `(DATE '1970-01-01' + (${day})::INTEGER)`;
}

/**
 * The span (epoch microseconds) the fingerprints clamp intervals to, so one absurd event cannot
 * explode into millions of weeks.
 */
function clampedSpan(from: string, to: string): { from: string; to: string } {
  return {
    from: `least(greatest(${from}, ${CLAMP_LOWER_US}), ${CLAMP_UPPER_US})`,
    to: `least(greatest(${to}, ${CLAMP_LOWER_US}), ${CLAMP_UPPER_US})`,
  };
}

const CLAMP_LOWER_US = `epoch_us(TIMESTAMP '${EARLIEST_PLAUSIBLE_DATE}')`;
const CLAMP_UPPER_US = `(epoch_us(now()) + ${FUTURE_PLAUSIBLE_DAYS + 14} * ${DAY_US})`;

type Columns = ReadonlyMap<string, readonly string[]>;

/**
 * The columns of every table and view in `schema`, in order. One catalog query for all of them:
 * inside a build's transaction each costs about 10 ms, and a build asks for some twenty tables.
 */
async function columnsIn(db: Warehouse, schema: string): Promise<Columns> {
  const rows = await db.parse(
    z.object({ table_name: z.string(), columns: z.array(z.string()) }),
    `SELECT table_name, list(column_name ORDER BY column_index) AS columns FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = $1 GROUP BY table_name`,
    [schema],
  );
  return new Map(rows.map((row) => [row.table_name, row.columns]));
}

/** The row as one value to hash, without the columns that say only who wrote it. */
function rowWithout(columns: readonly string[], omit: readonly string[], alias: string): string {
  const kept = columns.filter((column) => !omit.includes(column));
  return `struct_pack(${kept.map((column) => `"${column}" := ${alias}."${column}"`).join(', ')})`;
}

/**
 * For the source checks of an incremental build: a condition on the rows (alias `t`) of a raw
 * table selecting those that may have changed since the last build checked them. For the
 * messages, the 13 M rows of which cost a tenth of a second to check, those on the UTC days whose
 * fingerprints changed: the others are as the last build saw them, their conversations are a
 * raw table without days (unchanged, or the build would be full), and runs are only ever added to
 * meta.import_runs (the rows of a run a crash left unrecorded are removed on open, which changes
 * their days). Every row of the other tables, a few million at most, cheaper to check than to
 * select by their days.
 */
export async function changedRawRows(db: Warehouse): Promise<(table: string) => string> {
  const runs = await db.parse(
    z.object({ from: z.string(), to: z.string() }),
    `SELECT epoch_us(start_at)::VARCHAR AS "from", epoch_us(end_at)::VARCHAR AS "to"
     FROM ${RAW_CHANGES} ORDER BY first_day`,
  );
  // On the instants themselves, not their day numbers, so that the scan skips row groups.
  const changedMessages =
    runs
      .map((run) => `(t.ts >= ${instantAt(run.from)} AND t.ts < ${instantAt(run.to)})`)
      .join(' OR ') || 'false';
  return (table) => (table === 'raw.slack_messages' ? changedMessages : 'true');
}

/** SELECT part, week_start, row_count, fingerprint for one raw table. */
function rawFingerprintSql(raw: Columns, table: string): string {
  const part = sqlString(table);
  const columnsOf = (name: string): readonly string[] => raw.get(name.replace(/^raw\./, '')) ?? [];
  if (table === 'raw.slack_messages') {
    const row = rowWithout(columnsOf(table), ['run_id'], 'm');
    return `SELECT ${part}, ${dayNumberDate('day')}, n, fingerprint FROM (
              SELECT ${utcDayNumber('epoch_us(m.ts)')} AS day, count(*) AS n, bit_xor(hash(${row})) AS fingerprint
              FROM raw.slack_messages AS m GROUP BY day)`;
  }
  if (table === FOLDED.to) {
    // An event copy and its attendee rows change together: an attendee's response is part of it.
    const row = rowWithout(columnsOf(table), ['run_id'], 'e');
    const attendee = rowWithout(columnsOf(FOLDED.table), ['run_id'], 'a');
    const span = clampedSpan(
      `coalesce(epoch_us(e.start_at), epoch_us(e.start_date::TIMESTAMP))`,
      `coalesce(epoch_us(e.end_at), epoch_us(e.end_date::TIMESTAMP))`,
    );
    const copyOf = (alias: string) =>
      `hash(${FOLDED.columns.map((column) => `${alias}.${column}`).join(', ')})`;
    // Each attendee row is placed on the days of its event copy, found by a hash of the copy's
    // key (not its three strings), and summed per span of days like the copies: a row per copy
    // and day would cost more than the rest of this query, and grouping 12 M attendee rows by
    // their copies, to join them to the copies after, cost a fifth more than placing each. The
    // row counts are the copies'. Attendees without an event form one row of their own table,
    // without a day, that counts them: any change to them means a full build, and the build's
    // check that attendees reference events reads its count. A collision of two copies' hashes
    // places both copies' attendees on the days of each, so a change to either still changes
    // the days of both.
    return `WITH copies AS (
              SELECT ${copyOf('e')} AS copy, ${utcDayNumber(span.from)} AS first_day,
                     ${lastDayNumber(span.from, span.to)} AS last_day, hash(${row}) AS h
              FROM ${table} AS e
            ),
            spans AS (
              SELECT true AS present, first_day, last_day, count(*) AS n, bit_xor(h) AS h
              FROM copies GROUP BY ALL
              UNION ALL
              SELECT copies.copy IS NOT NULL, copies.first_day, copies.last_day,
                     count(*) FILTER (WHERE copies.copy IS NULL), bit_xor(hash(${attendee}))
              FROM ${FOLDED.table} AS a LEFT JOIN copies ON copies.copy = ${copyOf('a')}
              GROUP BY ALL
            )
            SELECT CASE WHEN present THEN ${part} ELSE ${sqlString(FOLDED.table)} END,
                   ${dayNumberDate('day')}, sum(n), bit_xor(h)
            FROM (
              SELECT present, n, h,
                     unnest(CASE WHEN present THEN generate_series(first_day, last_day) ELSE [NULL] END) AS day
              FROM spans
            )
            GROUP BY ALL`;
  }
  if (COVERAGE_TABLES.includes(table)) {
    // Clipped to each day, so a window extended by a day changes only the day it gained.
    const row = rowWithout(columnsOf(table), ['run_id', 'window_start', 'window_end'], 'c');
    return `SELECT ${part}, utc_day, n, h FROM (${clippedDaysFingerprint(table, 'c', row, 'window_start', 'window_end')})`;
  }
  const row = rowWithout(columnsOf(table), ['run_id'], 't');
  return `SELECT ${part}, NULL::DATE, count(*), coalesce(bit_xor(hash(${row})), 0) FROM ${table} AS t`;
}

/**
 * The count of a reference's rows without a parent, read from this build's raw fingerprints, for
 * the reference they answer (attendees to events); undefined for the others. Exact but for a
 * collision of 64-bit hashes of the key, which would pass an attendee as its colliding copy's.
 */
export function orphansFromFingerprints(reference: Reference): string | undefined {
  const folded =
    reference.table === FOLDED.table &&
    reference.to === FOLDED.to &&
    reference.columns.join() === FOLDED.columns.join();
  return folded
    ? `SELECT coalesce(sum(row_count), 0) FROM ${CURRENT} WHERE part = ${sqlString(FOLDED.table)}`
    : undefined;
}

/** Computes the raw fingerprints of the data this build reads into a temporary table. */
export async function computeRawFingerprints(db: Warehouse): Promise<void> {
  const tables = await db.parse(
    z.object({ name: z.string() }),
    `SELECT 'raw.' || table_name AS name FROM duckdb_tables()
     WHERE schema_name = 'raw' AND database_name = current_database() ORDER BY ALL`,
  );
  const raw = await columnsIn(db, 'raw');
  const selects = tables
    .filter((table) => table.name !== FOLDED.table)
    .map((table) => rawFingerprintSql(raw, table.name));
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${CURRENT} (part VARCHAR, utc_day DATE, row_count BIGINT, fingerprint UBIGINT)`,
  );
  for (const select of selects) await db.run(`INSERT INTO ${CURRENT} ${select}`);
}

/**
 * The way raw rows are fingerprinted: fingerprints recorded another way compare unequal on every
 * day, so a change of it means a full build, as a change to a model does.
 */
const FINGERPRINTS_VERSION = 2;

/** A hash of every model's SQL and spec: any change to a model means a full build. */
export function modelsHash(models: readonly Model[]): string {
  const hash = createHash('sha256');
  hash.update(`fingerprints ${FINGERPRINTS_VERSION}\n`);
  for (const model of [...models].sort((a, b) => a.name.localeCompare(b.name))) {
    hash.update(`${model.layer}.${model.name}\n${model.sql}\n${JSON.stringify(model.spec)}\n`);
  }
  return hash.digest('hex');
}

/**
 * Decides between a full and an incremental build from the recorded state of the last build, and
 * for an incremental one fills the affected weeks. Call after computeRawFingerprints and before
 * meta.build_params is rewritten; `staleSettings` are the config changes since the last build.
 */
export async function planBuild(
  db: Warehouse,
  models: readonly Model[],
  staleSettings: readonly string[],
  full: boolean,
): Promise<BuildMode> {
  await db.run(`CREATE OR REPLACE TEMP TABLE ${WEEKS_TABLE} (week_start DATE PRIMARY KEY)`);
  if (full) return { kind: 'full', reason: '--full' };
  const state = await db.one(`SELECT models_hash FROM meta.build_state`);
  if (state === undefined)
    return { kind: 'full', reason: 'no record of a previous complete build' };
  if (state['models_hash'] !== modelsHash(models))
    return { kind: 'full', reason: "the models or the build's change detection changed" };
  if (staleSettings.length > 0)
    return { kind: 'full', reason: `the build settings changed (${staleSettings.join('; ')})` };
  const changed = await db.parse(
    z.object({ part: z.string(), utc_day: z.string().nullable() }),
    `SELECT coalesce(now.part, before.part) AS part, coalesce(now.utc_day, before.utc_day)::VARCHAR AS utc_day
     FROM ${CURRENT} AS now
     FULL JOIN meta.build_fingerprints AS before
       ON before.part = now.part AND before.utc_day IS NOT DISTINCT FROM now.utc_day
     WHERE now.row_count IS DISTINCT FROM before.row_count
        OR now.fingerprint IS DISTINCT FROM before.fingerprint
     ORDER BY ALL`,
  );
  const global = [...new Set(changed.filter((row) => row.utc_day === null).map((r) => r.part))];
  if (global.length > 0) return { kind: 'full', reason: `${global.join(', ')} changed` };
  // Runs of consecutive changed days, so that a model's `reach` looks past each run once.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${RAW_CHANGES} AS
     WITH days AS (
       SELECT DISTINCT utc_day::DATE AS utc_day FROM (VALUES ${
         changed.length === 0
           ? `(NULL)`
           : changed.map((row) => `(${sqlString(row.utc_day ?? '')})`).join(', ')
       }) AS v(utc_day) WHERE utc_day IS NOT NULL
     ),
     runs AS (SELECT utc_day, utc_day - (row_number() OVER (ORDER BY utc_day))::INTEGER AS run FROM days)
     SELECT min(utc_day) AS first_day, max(utc_day) AS last_day,
            min(utc_day)::TIMESTAMP AT TIME ZONE 'UTC' AS start_at,
            (max(utc_day) + 1)::TIMESTAMP AT TIME ZONE 'UTC' AS end_at
     FROM runs GROUP BY run`,
  );
  await createReach(db, await lookbackWeeks(db, models), marginHours(models));
  await addDayReach(
    db,
    `SELECT unnest(generate_series(first_day, last_day, INTERVAL 1 DAY))::DATE AS day FROM ${RAW_CHANGES}`,
  );
  for (const model of models) {
    const reach = model.spec.incremental?.reach;
    if (reach === undefined || !isPartial(model)) continue;
    await addDayReach(
      db,
      `SELECT DISTINCT ${dayNumberDate(utcDayNumber('epoch_us(changed_at)'))} AS day
       FROM (${reach}) AS reached WHERE changed_at IS NOT NULL`,
    );
  }
  return { kind: 'incremental', weeks: await affectedWeeks(db) };
}

/** The longest lookback of the partial models, in whole weeks. */
async function lookbackWeeks(db: Warehouse, models: readonly Model[]): Promise<number> {
  const days = await Promise.all(models.filter(isPartial).map((model) => lookbackDays(db, model)));
  return wholeWeeks(Math.max(0, ...days));
}

/**
 * Records how far the partial models read beyond their weeks: `extraWeeks` further back (their
 * longest lookback), `marginHours` either side (their widest margin).
 */
export async function createReach(
  db: Warehouse,
  extraWeeks: number,
  marginHours: number,
): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${REACH} AS SELECT $1::INTEGER AS extra_weeks, $2::INTEGER AS margin_hours`,
    [extraWeeks, marginHours],
  );
}

/** The widest margin of the partial models, in hours. */
function marginHours(models: readonly Model[]): number {
  return Math.max(
    0,
    ...models.filter(isPartial).map((model) => model.spec.incremental?.margin_hours ?? 0),
  );
}

/** A lookback in days as the whole weeks that cover it. */
function wholeWeeks(days: number): number {
  return Math.ceil(days / 7);
}

/** How many days before its weeks a partial model reads (its `lookback` setting). */
async function lookbackDays(db: Warehouse, model: Model): Promise<number> {
  const setting = model.spec.incremental?.lookback;
  if (setting === undefined) return 0;
  const row = await db.one(`SELECT ${quote(setting)}::INTEGER AS days FROM meta.build_params`);
  return z.number().int().min(0).parse(row?.['days']);
}

/**
 * Adds the weeks a change in the given weeks (Mondays) reaches: the week either side, and as many
 * weeks further forward as the longest lookback (a week reads that far back).
 */
async function addReach(db: Warehouse, weeksSql: string): Promise<void> {
  await db.run(
    `INSERT OR IGNORE INTO ${WEEKS_TABLE}
     SELECT DISTINCT (changed.week_start + shift.days::INTEGER)::DATE
     FROM (${weeksSql}) AS changed
     CROSS JOIN (SELECT unnest(generate_series(-7, 7 + 7 * (SELECT extra_weeks FROM ${REACH}), 7)) AS days) AS shift`,
  );
}

/**
 * Adds the weeks a change on the given UTC days (dates) reaches: the Mondays w whose instants a
 * partial model reads, [w − 1 day − margin − lookback, w + 8 days + margin), overlap the day. A
 * change late on a Sunday reaches two weeks, not the three its UTC week would.
 */
export async function addDayReach(db: Warehouse, daysSql: string): Promise<void> {
  await db.run(
    `INSERT OR IGNORE INTO ${WEEKS_TABLE}
     SELECT DISTINCT monday FROM (
       SELECT changed.day, (date_trunc('week', changed.day)::DATE + (7 * shift.weeks)::INTEGER) AS monday,
              reach.extra_weeks, reach.margin_hours
       FROM (${daysSql}) AS changed
       CROSS JOIN ${REACH} AS reach
       -- Candidates from two weeks before the day's to two after plus the lookback: wide enough
       -- for the widest margin a model may declare (a day).
       CROSS JOIN (SELECT unnest(generate_series(-2, 2 + (SELECT extra_weeks FROM ${REACH}))) AS weeks) AS shift
     )
     WHERE (monday - day) * 24 < 48 + margin_hours + 168 * extra_weeks
       AND (monday - day) * 24 > -192 - margin_hours`,
  );
}

export async function affectedWeeks(db: Warehouse): Promise<string[]> {
  const rows = await db.parse(
    z.object({ week_start: z.string() }),
    `SELECT week_start::VARCHAR AS week_start FROM ${WEEKS_TABLE} ORDER BY week_start`,
  );
  return rows.map((row) => row.week_start);
}

/** Records what this build was made from; a --select build clears it (the next is full). */
export async function recordBuildState(
  db: Warehouse,
  models: readonly Model[],
  mode: BuildMode | undefined,
): Promise<void> {
  await db.run(`DELETE FROM meta.build_state`);
  await db.run(`DELETE FROM meta.build_fingerprints`);
  if (mode === undefined) return;
  await db.run(`INSERT INTO meta.build_fingerprints SELECT * FROM ${CURRENT}`);
  await db.run(`INSERT INTO meta.build_state VALUES ($1, now(), $2, $3, $4)`, [
    modelsHash(models),
    mode.kind,
    mode.kind === 'incremental' ? mode.weeks.length : null,
    mode.kind === 'full' ? mode.reason : null,
  ]);
}

export async function dropScratch(db: Warehouse): Promise<void> {
  await db.run(`DROP TABLE IF EXISTS ${CURRENT}`);
  await db.run(`DROP TABLE IF EXISTS ${WEEKS_TABLE}`);
  await db.run(`DROP TABLE IF EXISTS ${RAW_CHANGES}`);
  await db.run(`DROP TABLE IF EXISTS ${REACH}`);
  await db.run(`DROP SCHEMA IF EXISTS ${SCOPE_SCHEMA} CASCADE`);
}

function quote(column: string): string {
  return `"${column}"`;
}

/** The span of the affected weeks, or undefined when no week is affected. */
async function hull(db: Warehouse): Promise<{ first: string; last: string } | undefined> {
  const row = await db.one(
    `SELECT min(week_start)::VARCHAR AS first, max(week_start)::VARCHAR AS last FROM ${WEEKS_TABLE}`,
  );
  const first = row?.['first'];
  const last = row?.['last'];
  return typeof first === 'string' && typeof last === 'string' ? { first, last } : undefined;
}

/**
 * The UTC days from the first to the last whose raw rows changed, or undefined when none did. A
 * change on a day the fingerprints clamp to may lie any time before or after it: the period then
 * reaches without end that way, so that the rows it may be are checked.
 */
async function rawChangesPeriod(db: Warehouse): Promise<Period | undefined> {
  const row = await db.one(
    `SELECT min(first_day)::VARCHAR AS first, max(last_day)::VARCHAR AS last,
            min(first_day) <= ${dayNumberDate(utcDayNumber(CLAMP_LOWER_US))} AS before_clamp,
            -- A day early: the fingerprints' now() was another transaction's.
            max(last_day) >= ${dayNumberDate(utcDayNumber(CLAMP_UPPER_US))} - 1 AS after_clamp
     FROM ${RAW_CHANGES}`,
  );
  const first = row?.['first'];
  const last = row?.['last'];
  if (typeof first !== 'string' || typeof last !== 'string') return undefined;
  return {
    firstWeek: `date_trunc('week', DATE ${sqlString(first)})::DATE`,
    lastWeek: `date_trunc('week', DATE ${sqlString(last)})::DATE`,
    from:
      row?.['before_clamp'] === true
        ? `'-infinity'::TIMESTAMPTZ`
        : `(DATE ${sqlString(first)})::TIMESTAMP AT TIME ZONE 'UTC'`,
    to:
      row?.['after_clamp'] === true
        ? `'infinity'::TIMESTAMPTZ`
        : `(DATE ${sqlString(last)} + INTERVAL 1 DAY)::TIMESTAMP AT TIME ZONE 'UTC'`,
  };
}

/** Weeks (SQL dates of Mondays, first and last) and instants [from, to) read or replaced. */
interface Period {
  readonly firstWeek: string;
  readonly lastWeek: string;
  readonly from: string;
  readonly to: string;
}

/**
 * The instants of the affected weeks: [first − 1 day, last + 8 days) (a local week lies within a
 * day of its UTC dates), reaching `lookbackDays` further back and `marginHours` further either
 * way for a model that reads that far around its rows.
 */
function periodOf(
  span: { first: string; last: string },
  lookbackDays = 0,
  marginHours = 0,
): Period {
  const margin = `INTERVAL ${marginHours} HOUR`;
  return {
    firstWeek: `(DATE ${sqlString(span.first)} - ${7 * wholeWeeks(lookbackDays)})`,
    lastWeek: `DATE ${sqlString(span.last)}`,
    from: `((DATE ${sqlString(span.first)} - INTERVAL ${1 + lookbackDays} DAY)::TIMESTAMP AT TIME ZONE 'UTC' - ${margin})`,
    to: `((DATE ${sqlString(span.last)} + INTERVAL 8 DAY)::TIMESTAMP AT TIME ZONE 'UTC' + ${margin})`,
  };
}

/**
 * Which rows of a week- or instant-keyed `model` a partial model may read for `period`: the
 * intervals overlapping its instants, or its weeks and the week either side.
 */
function periodFilter(model: Model, period: Period, alias: string): string {
  const spec = model.spec.incremental;
  if (spec?.week_column !== undefined) {
    return `${alias}.${quote(spec.week_column)} BETWEEN ${period.firstWeek} - 7 AND ${period.lastWeek} + 7`;
  }
  if (spec?.start_column !== undefined) {
    const start = `${alias}.${quote(spec.start_column)}`;
    return spec.end_column === undefined
      ? `${start} >= ${period.from} AND ${start} < ${period.to}`
      : `${start} < ${period.to} AND ${alias}.${quote(spec.end_column)} > ${period.from}`;
  }
  throw new Error(`${model.name}: no week_column or start_column`);
}

/**
 * The rows of `table` that share their `columns` with a row of `parents`. An explicit semi-join:
 * DuckDB plans the equivalent correlated EXISTS as a join over the distinct keys of all 12 M
 * attendee rows, ten times slower.
 */
function semiJoined(table: string, parents: string, columns: readonly string[]): string {
  return `SELECT period_rows.* FROM ${table} AS period_rows SEMI JOIN ${parents} AS period_parents
    ON ${columns.map((column) => `period_parents.${quote(column)} = period_rows.${quote(column)}`).join(' AND ')}`;
}

/** The rows of `model` a partial model may read (its scope view). */
function scopeRows(model: Model, period: Period): string {
  const table = `${model.layer}.${model.name}`;
  const within = model.spec.incremental?.within;
  if (within !== undefined)
    return semiJoined(table, `${SCOPE_SCHEMA}.${within.model}`, within.columns);
  return `SELECT * FROM ${table} AS scoped_rows WHERE ${periodFilter(model, period, 'scoped_rows')}`;
}

/**
 * The rows of a declared view that this incremental build may have changed: those near the
 * affected weeks, or for a view whose inputs changed only where raw rows did (raw tables, views
 * such as it, models rebuilt in full that did not change) on the days whose raw rows changed (a
 * change to a raw table without days means a full build), and those without an instant, such as
 * all-day events, which no instant range selects; a `within` view's rows belong to such rows of its
 * parent. A view is recomputed on every read, and its raw rows elsewhere have the fingerprints of
 * the last build, whose checks they passed, so only these rows need checking again.
 */
export async function viewPeriod(
  db: Warehouse,
  model: Model,
  byName: ReadonlyMap<string, Model>,
  unchanged: ReadonlySet<string>,
): Promise<CheckedPeriod> {
  // The affected weeks reach a week either side of the raw changes and further: three times the
  // rows of a week of new data.
  let period: Period | undefined;
  if (changesWithRawOnly(model, byName, unchanged)) period = await rawChangesPeriod(db);
  else {
    const span = await hull(db);
    period = span === undefined ? undefined : periodOf(span);
  }
  const spec = model.spec.incremental;
  const closedOver =
    spec?.within?.columns ??
    [spec?.week_column, spec?.start_column, spec?.end_column].flatMap((column) => column ?? []);
  if (period === undefined) return { rows: noRows(model), closedOver };
  return { rows: viewRows(model, period, byName), closedOver };
}

/**
 * Whether a view's rows can have changed only where raw rows did: every model it reads is a view
 * with the same property or a model rebuilt in full whose rows did not change.
 */
function changesWithRawOnly(
  model: Model,
  byName: ReadonlyMap<string, Model>,
  unchanged: ReadonlySet<string>,
): boolean {
  return model.dependencies.every((name) => {
    const input = byName.get(name);
    if (input === undefined || unchanged.has(name)) return input !== undefined;
    return isView(input) && changesWithRawOnly(input, byName, unchanged);
  });
}

function viewRows(model: Model, period: Period, byName: ReadonlyMap<string, Model>): string {
  const table = `${model.layer}.${model.name}`;
  const spec = model.spec.incremental;
  const within = spec?.within;
  if (within !== undefined) {
    const parent = byName.get(within.model);
    if (parent === undefined) throw new Error(`${model.name}: no model ${within.model}`);
    return semiJoined(table, `(${viewRows(parent, period, byName)})`, within.columns);
  }
  const column = spec?.week_column ?? spec?.start_column;
  if (column === undefined) throw new Error(`${model.name}: incremental spec without a key`);
  let undated = `checked_rows.${quote(column)} IS NULL`;
  if (spec?.date_columns !== undefined) {
    // The dates as the raw fingerprints place them, at midnight UTC.
    const [first, after] = spec.date_columns.map(
      (date) => `checked_rows.${quote(date)}::TIMESTAMP AT TIME ZONE 'UTC'`,
    );
    undated += ` AND (${first} IS NULL OR ${after} IS NULL OR (${first} < ${period.to} AND ${after} > ${period.from}))`;
  }
  return `SELECT * FROM ${table} AS checked_rows
    WHERE (${periodFilter(model, period, 'checked_rows')}) OR (${undated})`;
}

function noRows(model: Model): string {
  return `SELECT * FROM ${model.layer}.${model.name} WHERE false`;
}

/** The rows of a partial model this build replaces: by week, or by instant within `period`. */
function replaceFilter(model: Model, period: Period): string {
  const spec = model.spec.incremental;
  if (spec?.week_column !== undefined) {
    return `${quote(spec.week_column)} IN (SELECT week_start FROM ${WEEKS_TABLE})`;
  }
  if (spec?.start_column !== undefined) {
    const start = quote(spec.start_column);
    // A merged stretch is replaced whole where it touches the period (see mergedPeriod).
    if (spec.merged && spec.end_column !== undefined)
      return `${start} <= ${period.to} AND ${quote(spec.end_column)} >= ${period.from}`;
    return `${start} >= ${period.from} AND ${start} < ${period.to}`;
  }
  throw new Error(`${model.name} cannot be rebuilt partially`);
}

/**
 * The period a model of merged stretches (`merged: true`) is rebuilt over: the affected instants
 * widened to the stretches it holds that touch them, however long. Its inputs changed only where
 * they touch the affected instants, so every stretch elsewhere is as it was, and no stretch
 * outside this hull touches it (stretches are maximal: one touching another would have merged
 * with it). The inputs it reads over the hull therefore give exactly the stretches that lie in it.
 */
async function mergedPeriod(db: Warehouse, model: Model, affected: Period): Promise<Period> {
  const spec = model.spec.incremental;
  if (spec?.start_column === undefined || spec.end_column === undefined)
    throw new Error(`${model.name}: merged needs start_column and end_column`);
  const start = quote(spec.start_column);
  const end = quote(spec.end_column);
  const row = await db.one(
    `WITH hull AS (
       SELECT least(${affected.from}, min(${start})) AS from_at, greatest(${affected.to}, max(${end})) AS to_at
       FROM ${model.layer}.${model.name} WHERE ${start} <= ${affected.to} AND ${end} >= ${affected.from}
     )
     SELECT epoch_us(from_at)::VARCHAR AS from_us, epoch_us(to_at)::VARCHAR AS to_us,
            date_trunc('week', timezone('UTC', from_at))::DATE::VARCHAR AS first_week,
            date_trunc('week', timezone('UTC', to_at))::DATE::VARCHAR AS last_week
     FROM hull`,
  );
  return {
    firstWeek: `DATE ${sqlString(z.string().parse(row?.['first_week']))}`,
    lastWeek: `DATE ${sqlString(z.string().parse(row?.['last_week']))}`,
    from: instantAt(row?.['from_us']),
    to: instantAt(row?.['to_us']),
  };
}

/** The SQL instant of epoch microseconds read back from DuckDB as text. */
function instantAt(us: unknown): string {
  return `(make_timestamp(${z
    .string()
    .regex(/^-?\d+$/)
    .parse(us)}::BIGINT) AT TIME ZONE 'UTC')`;
}

/** An instant expression evaluated once, as a literal instant for the queries that name it. */
async function evaluatedInstant(db: Warehouse, expression: string): Promise<string> {
  const row = await db.one(`SELECT epoch_us(${expression})::VARCHAR AS us`);
  return instantAt(row?.['us']);
}

/** Checks the incremental declarations against the graph once, when the models are loaded. */
export function checkDeclarations(models: readonly Model[]): void {
  const byName = new Map(models.map((model) => [model.name, model]));
  for (const model of models) {
    const spec = model.spec.incremental;
    if (spec === undefined) continue;
    const keyColumn = spec.week_column ?? spec.start_column;
    if (spec.within !== undefined) {
      if (byName.get(spec.within.model)?.spec.incremental === undefined)
        throw InputError.at(
          { file: model.file },
          `incremental.within: ${spec.within.model} is not a model with incremental keys`,
        );
    }
    const partial = isPartial(model);
    if (
      !partial &&
      (spec.lookback !== undefined || spec.reach !== undefined || spec.margin_hours !== undefined)
    )
      throw InputError.at(
        { file: model.file },
        'incremental: lookback, margin_hours and reach belong to partial models',
      );
    if (spec.merged && (!partial || spec.end_column === undefined))
      throw InputError.at(
        { file: model.file },
        'incremental: merged belongs to partial models with start_column and end_column',
      );
    if (
      spec.merged &&
      (spec.lookback !== undefined || spec.margin_hours !== undefined || spec.reach !== undefined)
    )
      throw InputError.at(
        { file: model.file },
        'incremental: a merged model reads the hull of its stretches, not a lookback, margin or reach',
      );
    if (spec.causal && (partial || spec.end_column === undefined))
      throw InputError.at(
        { file: model.file },
        'incremental: causal belongs to models rebuilt in full (partial: false) with start_column and end_column',
      );
    if (partial && keyColumn === undefined)
      throw InputError.at(
        { file: model.file },
        'a partial model needs week_column or start_column',
      );
    // A row with a null key would belong to no period, so no partial build would ever replace it.
    if (
      partial &&
      keyColumn !== undefined &&
      !model.spec.unique_key.includes(keyColumn) &&
      !model.spec.not_null.includes(keyColumn)
    )
      throw InputError.at(
        { file: model.file },
        `incremental: ${keyColumn} must be in unique_key or not_null`,
      );
  }
}

export function isPartial(model: Model): boolean {
  return !isView(model) && model.spec.incremental?.partial === true;
}

export function isCausal(model: Model): boolean {
  return !isView(model) && model.spec.incremental?.causal === true;
}

/**
 * Rebuilds the affected period of a partial model: its SQL runs with every declared input it reads
 * replaced by a view of that input's rows near the period, and its rows of the period are deleted
 * and inserted again. Returns which rows it replaced (none when no week is affected), for the
 * checks, and the first instant of the period they lie in (null when none).
 */
export async function rebuildPartially(
  db: Warehouse,
  model: Model,
  byName: ReadonlyMap<string, Model>,
): Promise<{ readonly checked: CheckedPeriod; readonly earliest: string | null }> {
  const span = await hull(db);
  if (span === undefined)
    return { checked: { rows: noRows(model), closedOver: [keyColumnOf(model)] }, earliest: null };
  await db.run(`CREATE SCHEMA IF NOT EXISTS ${SCOPE_SCHEMA}`);
  const spec = model.spec.incremental;
  const affected = periodOf(span);
  const replaced = spec?.merged ? await mergedPeriod(db, model, affected) : affected;
  const read = spec?.merged
    ? replaced
    : periodOf(span, await lookbackDays(db, model), spec?.margin_hours);
  const scoped = new Set<string>();
  const addScope = async (name: string): Promise<void> => {
    const input = byName.get(name);
    if (input?.spec.incremental === undefined || scoped.has(name)) return;
    const within = input.spec.incremental.within?.model;
    if (within !== undefined) await addScope(within);
    scoped.add(name);
    await db.run(`CREATE OR REPLACE VIEW ${SCOPE_SCHEMA}.${name} AS ${scopeRows(input, read)}`);
  };
  for (const dependency of model.dependencies) await addScope(dependency);
  // A reference aliased `whole_…` reads the whole input even here (a model that looks up what
  // lies before its period, such as the message before a stream's first one in it).
  const sql = model.sql.replace(
    /\b(staging|intermediate|marts)\.([a-z_][a-z0-9_]*)\b(?!\s+AS\s+whole_)/gi,
    (whole: string, _schema: string, table: string) =>
      scoped.has(table.toLowerCase()) ? `${SCOPE_SCHEMA}.${table.toLowerCase()}` : whole,
  );
  const replace = replaceFilter(model, replaced);
  await replaceRows(db, model, sql, replace, read.from);
  return {
    checked: {
      rows: `SELECT * FROM ${model.layer}.${model.name} WHERE ${replace}`,
      closedOver: [keyColumnOf(model)],
    },
    // Every row replaced lies in the replaced period: from its first instant, as far as a causal
    // model reading this one is concerned, anything may have changed.
    earliest: replaced.from,
  };
}

/**
 * Deletes the model's rows matching `replace` and inserts those of `sql` matching it, with
 * `incremental_scope_start` set to `scopeStart` while `sql` runs.
 */
async function replaceRows(
  db: Warehouse,
  model: Model,
  sql: string,
  replace: string,
  scopeStart: string,
): Promise<void> {
  const target = `${model.layer}.${model.name}`;
  await db.run(`DELETE FROM ${target} WHERE ${replace}`);
  await db.run(`SET VARIABLE ${SCOPE_START_VARIABLE} = ${scopeStart}`);
  try {
    await db.run(
      `INSERT INTO ${target} BY NAME SELECT * FROM (\n${sql}\n) AS incremental_rows WHERE ${replace}`,
    );
  } finally {
    await db.run(`RESET VARIABLE ${SCOPE_START_VARIABLE}`);
  }
}

function keyColumnOf(model: Model): string {
  const column = model.spec.incremental?.week_column ?? model.spec.incremental?.start_column;
  if (column === undefined) throw new Error(`${model.name} has no period column`);
  return column;
}

/**
 * Per UTC day (utc_day, n, h), the rows of `table` (aliased `alias`, `row` their hashed columns
 * without the bounds) that touch it, clipped to it: a row's pieces of its first and last days are
 * hashed with their clipped bounds, its pieces of the days between (which it covers whole)
 * without, so a row extended by a day changes only the day it ended on and the day it gained.
 * Rows are summed per span of days before the spans are spread over their days: a row per row and
 * day cost most of the query (a year's coverage window per person is 365 pieces).
 */
function clippedDaysFingerprint(
  table: string,
  alias: string,
  row: string,
  startColumn: string,
  endColumn: string,
): string {
  const start = `epoch_us(${alias}.${quote(startColumn)})`;
  const end = `epoch_us(${alias}.${quote(endColumn)})`;
  const span = clampedSpan(start, end);
  return `WITH spans AS (
            SELECT first_day, last_day, count(*) AS n,
                   bit_xor(hash(${row}, ${start}, least(${end}, (first_day + 1) * ${DAY_US}))) AS first_h,
                   bit_xor(hash(${row}, last_day * ${DAY_US}, ${end})) AS last_h,
                   bit_xor(hash(${row})) AS whole_h
            FROM (
              SELECT ${alias}.*, ${utcDayNumber(span.from)} AS first_day, ${lastDayNumber(span.from, span.to)} AS last_day
              FROM ${table} AS ${alias}
            ) AS ${alias}
            GROUP BY first_day, last_day
          )
          SELECT ${dayNumberDate('day')} AS utc_day, sum(n) AS n,
                 bit_xor(CASE WHEN day = first_day THEN first_h WHEN day = last_day THEN last_h ELSE whole_h END) AS h
          FROM (SELECT *, unnest(generate_series(first_day, last_day)) AS day FROM spans)
          GROUP BY day`;
}

/**
 * Per-period fingerprints of a model rebuilt in full, to compare before and after: per week for
 * week-keyed models, per UTC day touched (rows clipped to it) for instant-keyed ones, and one for
 * the whole table otherwise. Columns period_start (the Monday, the day or null), n and h.
 */
export function modelFingerprintSql(
  model: Model,
  columns: readonly string[],
  where = 'true',
): string {
  const table = `(SELECT * FROM ${model.layer}.${model.name} WHERE ${where})`;
  const spec = model.spec.incremental;
  if (spec?.week_column !== undefined) {
    const row = rowWithout(columns, [], 't');
    return `SELECT ${quote(spec.week_column)}::DATE AS period_start, count(*) AS n, bit_xor(hash(${row})) AS h
            FROM ${table} AS t GROUP BY ALL`;
  }
  if (spec?.start_column !== undefined) {
    const endColumn = spec.end_column ?? spec.start_column;
    const row = rowWithout(columns, [spec.start_column, endColumn], 't');
    return `SELECT utc_day AS period_start, n, h FROM (${clippedDaysFingerprint(table, 't', row, spec.start_column, endColumn)})`;
  }
  const row = rowWithout(columns, [], 't');
  return `SELECT NULL::DATE AS period_start, count(*) AS n, coalesce(bit_xor(hash(${row})), 0) AS h FROM ${table} AS t`;
}

/** The model's table's columns, or undefined before its first build. */
async function modelColumns(db: Warehouse, model: Model): Promise<readonly string[] | undefined> {
  return (await columnsIn(db, model.layer)).get(model.name);
}

/** Fingerprints the model's rows (those matching `where`) before it is rebuilt. */
export async function snapshotModel(db: Warehouse, model: Model, where = 'true'): Promise<void> {
  const columns = await modelColumns(db, model);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE incremental_before (period_start DATE, n BIGINT, h UBIGINT)`,
  );
  if (columns !== undefined)
    await db.run(`INSERT INTO incremental_before ${modelFingerprintSql(model, columns, where)}`);
}

/** What rebuilding a model changed: the rows to check, and the earliest instant that changed. */
export interface ModelChanges {
  readonly changed: CheckedPeriod;
  readonly unchanged: boolean;
  /**
   * An instant (SQL) at or before every instant of every changed row (old or new), null when
   * nothing changed: where a causal model reading this one must start recomputing.
   */
  readonly earliest: string | null;
}

/** A model rebuilt in full whose rows are as they were. */
export function unchangedModel(model: Model): ModelChanges {
  return { changed: changedRows(model, []), unchanged: true, earliest: null };
}

/**
 * Where a causal model's rebuild starts: the earliest change among its inputs (null when none
 * changed), or undefined when some input's changes are not known (it was not compared), and the
 * model must be rebuilt in full.
 */
export function causalStart(
  model: Model,
  earliestChanges: ReadonlyMap<string, string | null>,
): string | null | undefined {
  const changed: string[] = [];
  for (const input of model.dependencies) {
    const earliest = earliestChanges.get(input);
    if (earliest === undefined) return undefined;
    if (earliest !== null) changed.push(earliest);
  }
  return changed.length === 0 ? null : `least(${changed.join(', ')})`;
}

/**
 * Rebuilds a causal model (`causal: true`) from `start` (an instant at or before the earliest
 * change of its inputs): the rows ending after it are fingerprinted, deleted and computed again
 * with `incremental_scope_start` set to it, then compared like a model rebuilt in full (the rows
 * ending before it are as they were, by the model's promise).
 */
export async function rebuildFrom(
  db: Warehouse,
  model: Model,
  start: string,
): Promise<{ readonly full: string } | ModelChanges> {
  const end = model.spec.incremental?.end_column;
  if (!isCausal(model) || end === undefined) throw new Error(`${model.name} is not causal`);
  // Evaluated once: the filters below name it four times.
  const from = await evaluatedInstant(db, start);
  const replaced = `${quote(end)} > ${from}`;
  await snapshotModel(db, model, replaced);
  await replaceRows(db, model, model.sql, replaced, from);
  return widenByChanges(db, model, replaced);
}

/**
 * After a model was rebuilt in full: adds the weeks its rows changed in to the affected weeks and
 * returns those rows (the only ones its checks need to see: the others are the last build's,
 * which passed), or returns why the build must become full (an undeclared model changed, or rows
 * without a period).
 */
export async function widenByChanges(
  db: Warehouse,
  model: Model,
  where = 'true',
): Promise<{ readonly full: string } | ModelChanges> {
  const columns = await modelColumns(db, model);
  if (columns === undefined) throw new Error(`${model.layer}.${model.name} was not built`);
  const changed = `WITH after AS (${modelFingerprintSql(model, columns, where)})
     SELECT coalesce(after.period_start, before.period_start) AS period_start
     FROM after FULL JOIN incremental_before AS before
       ON before.period_start IS NOT DISTINCT FROM after.period_start
     WHERE after.n IS DISTINCT FROM before.n OR after.h IS DISTINCT FROM before.h`;
  await db.run(`CREATE OR REPLACE TEMP TABLE incremental_changed AS ${changed}`);
  const periods = await db.parse(
    z.object({ period_start: z.string().nullable() }),
    `SELECT period_start::VARCHAR AS period_start FROM incremental_changed ORDER BY ALL`,
  );
  await db.run(`DROP TABLE incremental_before`);
  if (periods.some((period) => period.period_start === null)) {
    await db.run(`DROP TABLE incremental_changed`);
    return { full: `${model.layer}.${model.name} changed outside the affected weeks` };
  }
  // A week-keyed model's weeks are local already: a change in week v reaches the partial models'
  // weeks v − 7 … v + 7. An instant-keyed model's changes were bucketed by UTC day.
  if (model.spec.incremental?.week_column !== undefined)
    await addReach(db, `SELECT period_start AS week_start FROM incremental_changed`);
  else await addDayReach(db, `SELECT period_start AS day FROM incremental_changed`);
  await db.run(`DROP TABLE incremental_changed`);
  const days = periods.flatMap((period) => period.period_start ?? []);
  return {
    changed: changedRows(model, days),
    unchanged: days.length === 0,
    earliest: days[0] === undefined ? null : await earliestChange(db, model, days[0]),
  };
}

/**
 * An instant at or before every instant of the rows that changed, given the first period
 * they changed in. A week-keyed row's instants lie in its local week, so from a day before its
 * Monday. An instant-keyed row that changed shows on the first day it touches, or (when only its
 * end moved) on a day it still touches: from that day, or from the start of the earliest row
 * touching it.
 */
async function earliestChange(db: Warehouse, model: Model, first: string): Promise<string> {
  const spec = model.spec.incremental;
  const day = `DATE ${sqlString(first)}`;
  let earliest = `(${day} - 1)::TIMESTAMP AT TIME ZONE 'UTC'`;
  if (spec?.start_column !== undefined) {
    const start = quote(spec.start_column);
    const touching =
      spec.end_column === undefined
        ? 'NULL'
        : `(SELECT min(${start}) FROM ${model.layer}.${model.name}
            WHERE ${start} < (${day} + 1)::TIMESTAMP AT TIME ZONE 'UTC'
              AND ${quote(spec.end_column)} > ${day}::TIMESTAMP AT TIME ZONE 'UTC')`;
    earliest = `least(${day}::TIMESTAMP AT TIME ZONE 'UTC', coalesce(${touching}, 'infinity'::TIMESTAMPTZ))`;
  }
  return evaluatedInstant(db, earliest);
}

/**
 * The rows of a declared model in the given periods: its weeks (Mondays), or the rows touching the
 * given UTC days.
 */
function changedRows(model: Model, periods: readonly string[]): CheckedPeriod {
  const spec = model.spec.incremental;
  const first = periods[0];
  const last = periods.at(-1);
  const table = `${model.layer}.${model.name}`;
  if (spec?.week_column !== undefined) {
    return {
      rows:
        periods.length === 0
          ? noRows(model)
          : `SELECT * FROM ${table} WHERE ${quote(spec.week_column)} IN (${periods.map((week) => `DATE ${sqlString(week)}`).join(', ')})`,
      closedOver: [spec.week_column],
    };
  }
  if (spec?.start_column === undefined || first === undefined || last === undefined)
    return { rows: noRows(model), closedOver: [] };
  const start = quote(spec.start_column);
  const end = spec.end_column === undefined ? start : quote(spec.end_column);
  const from = `TIMESTAMPTZ ${sqlString(`${first} 00:00:00+00`)}`;
  const to = `TIMESTAMPTZ ${sqlString(`${last} 00:00:00+00`)} + INTERVAL 1 DAY`;
  return {
    rows: `SELECT * FROM ${table} WHERE ${start} < ${to} AND ${end} >= ${from}`,
    closedOver: [spec.start_column, ...(spec.end_column === undefined ? [] : [spec.end_column])],
  };
}
