/**
 * Data invariants declared in each model's spec, compiled to SQL that counts violating rows.
 * The build runs them before committing, so a model set that breaks an invariant never replaces
 * the last good one; the test suite runs them on the demo warehouse too.
 */
import type { Warehouse } from './db.ts';
import type { Model } from './models.ts';

export interface Check {
  readonly model: string;
  readonly name: string;
  /** Counts the rows that break the invariant. */
  readonly sql: string;
  /**
   * For an invariant of each row alone, the rows it holds for and the condition that breaks it
   * (`sql` counts the same): runCheckList counts every such check of the same rows in one pass.
   */
  readonly perRow?: { readonly rows: string; readonly violation: string };
}

/** A check of each row of `rows` alone, broken where `violation` holds. */
function rowCheck(model: Model, name: string, rows: string, violation: string): Check {
  return {
    model: model.name,
    name,
    sql: `SELECT count(*) FROM ${rows} WHERE ${violation}`,
    perRow: { rows, violation },
  };
}

export interface CheckFailure {
  readonly model: string;
  readonly name: string;
  readonly failingRows: number;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function literal(value: string | number | boolean): string {
  return typeof value === 'string' ? `'${value.replaceAll("'", "''")}'` : String(value);
}

/** The rows of one model that an incremental build may have changed. */
export interface CheckedPeriod {
  /** A query of those rows. */
  readonly rows: string;
  /**
   * The columns the filter decides by: every row sharing their values with a row it selects is
   * selected too. A unique key including them all can collide only within the period.
   */
  readonly closedOver: readonly string[];
  /**
   * The least and greatest values the period's rows hold in the key's ordered columns (dates,
   * instants, integers), as SQL literals: a row outside the period can share a key with them only
   * within those bounds. runChecks finds them.
   */
  readonly keyRanges?: readonly KeyRange[];
}

export interface KeyRange {
  readonly column: string;
  readonly least: string;
  readonly greatest: string;
}

/** Whether a period's unique key must be checked against the rows of the whole table. */
function keyReachesOutside(model: Model, period: CheckedPeriod): boolean {
  return !(
    period.closedOver.length > 0 &&
    period.closedOver.every((column) => model.spec.unique_key.includes(column))
  );
}

/** The keys repeated among `whole`'s rows, or those that repeat a key of the period's (`table`). */
function duplicateKeys(
  model: Model,
  whole: string,
  table: string,
  period: CheckedPeriod | undefined,
): string {
  const key = model.spec.unique_key.map(quoteIdentifier).join(', ');
  // Rows are compared by a hash of their key first, far cheaper than grouping strings; equal keys
  // have equal hashes, so only the rows of hashes seen twice are grouped by key (when there are
  // none, DuckDB skips that second read). A hash seen twice is found by sorting the hashes, not
  // by grouping them: 13 M messages in 0.9-1.3 s instead of 2.1-3.0, a hash table of 13 M groups
  // costing more than a sort of 13 M integers.
  const repeatedKeys = (rows: string): string => `WITH repeated_hashes AS (
        SELECT key_hash FROM (
          SELECT key_hash, lag(key_hash) OVER (ORDER BY key_hash) AS previous_hash
          FROM (SELECT hash(${key}) AS key_hash FROM ${rows})
        )
        WHERE key_hash = previous_hash
      )
      SELECT ${key} FROM ${rows}
      WHERE hash(${key}) IN (SELECT key_hash FROM repeated_hashes)
      GROUP BY ${key} HAVING count(*) > 1`;
  if (period === undefined) return repeatedKeys(whole);
  if (!keyReachesOutside(model, period)) return repeatedKeys(table);
  if (period.keyRanges !== undefined && period.keyRanges.length > 0) {
    // Rows sharing a key share the values of its ordered columns, so every repeat of a key of the
    // period lies within their ranges, a filter DuckDB applies as it scans (4% of the responses
    // after a week's refresh). Repeats among the other rows there, which the builds that wrote
    // them found none of, would fail the check as well.
    const bounds = period.keyRanges.map(
      (range) => `${quoteIdentifier(range.column)} BETWEEN ${range.least} AND ${range.greatest}`,
    );
    return repeatedKeys(
      `(SELECT ${key} FROM ${whole} WHERE ${bounds.join(' AND ')}) AS candidates`,
    );
  }
  // Joined by a hash of the key, not its strings; a row whose hash only collides with a key of the
  // period is grouped apart.
  return `SELECT ${key} FROM (
        SELECT ${key} FROM ${whole} AS candidates
        SEMI JOIN (SELECT DISTINCT hash(${key}) AS key_hash FROM ${table}) AS period_keys
          ON period_keys.key_hash = hash(${key})
      ) AS keyed
      GROUP BY ${key} HAVING count(*) > 1`;
}

/**
 * The checks of one model. With `period` (the rows an incremental build replaced or may have
 * changed), only those rows are checked, the others being those of earlier builds that passed. A
 * new row can collide with an old one only on the same key, so when the unique key does not
 * include the columns the period is decided by, the key is checked on the rows of the whole table
 * within the ranges of the period's values of its ordered columns (`keyRanges`), or, for a key of
 * strings only, on those whose key occurs in the period (a semi-join): far cheaper, both, than
 * grouping the whole table.
 */
export function checksFor(model: Model, period?: CheckedPeriod): Check[] {
  const whole = `${model.layer}.${model.name}`;
  const table = period === undefined ? whole : `(${period.rows}) AS checked`;
  const checks: Check[] = [];
  if (model.spec.unique_key_of === undefined) {
    checks.push({
      model: model.name,
      name: `unique key (${model.spec.unique_key.join(', ')})`,
      sql: `SELECT count(*) FROM (${duplicateKeys(model, whole, table, period)})`,
    });
  }
  checks.push(
    rowCheck(
      model,
      `key not null (${model.spec.unique_key.join(', ')})`,
      table,
      model.spec.unique_key.map((column) => `${quoteIdentifier(column)} IS NULL`).join(' OR '),
    ),
  );
  for (const column of model.spec.not_null) {
    checks.push(rowCheck(model, `${column} not null`, table, `${quoteIdentifier(column)} IS NULL`));
  }
  for (const [column, values] of Object.entries(model.spec.accepted_values)) {
    checks.push(
      rowCheck(
        model,
        `${column} in (${values.join(', ')})`,
        table,
        `${quoteIdentifier(column)} NOT IN (${values.map(literal).join(', ')})`,
      ),
    );
  }
  for (const [column, range] of Object.entries(model.spec.ranges)) {
    const bounds = [
      ...(range.min === undefined ? [] : [`${quoteIdentifier(column)} < ${range.min}`]),
      ...(range.max === undefined ? [] : [`${quoteIdentifier(column)} > ${range.max}`]),
    ];
    if (bounds.length > 0) {
      checks.push(
        rowCheck(
          model,
          `${column} within [${range.min ?? '-inf'}, ${range.max ?? 'inf'}]`,
          table,
          bounds.join(' OR '),
        ),
      );
    }
  }
  for (const expression of model.spec.expressions) {
    checks.push(rowCheck(model, expression, table, `(${expression}) IS FALSE`));
  }
  return checks;
}

export async function runChecks(
  db: Warehouse,
  models: readonly Model[],
  periods: ReadonlyMap<string, CheckedPeriod> = new Map(),
): Promise<CheckFailure[]> {
  // A model's rows of the period are found once for all its checks, not by each: a view computes
  // them on every read (attendees through a semi-join with the events), and a table's are a
  // filter over all its rows (6.8 M responses, for each of a dozen checks).
  const checked = new Map<string, CheckedPeriod>();
  const skipped = new Set<string>();
  const copies: string[] = [];
  try {
    for (const model of models) {
      const period = periods.get(model.name);
      if (period === undefined) continue;
      const copy = `checked_${model.layer}_${model.name}`;
      const created = await db.one(`CREATE OR REPLACE TEMP TABLE ${copy} AS ${period.rows}`);
      copies.push(copy);
      // Every check of no rows passes: those of models that did not change are not run at all.
      if (Number(Object.values(created ?? {})[0]) === 0) {
        skipped.add(model.name);
        continue;
      }
      const keyRanges = keyReachesOutside(model, period)
        ? await keyRangesOf(db, copy, model.spec.unique_key)
        : [];
      checked.set(model.name, { ...period, rows: `SELECT * FROM ${copy}`, keyRanges });
    }
    return await runCheckList(
      db,
      models
        .filter((model) => !skipped.has(model.name))
        .flatMap((model) => checksFor(model, checked.get(model.name))),
    );
  } finally {
    for (const copy of copies) await db.run(`DROP TABLE IF EXISTS ${copy}`);
  }
}

/** The types whose values a range can bound: compared as they sort, written exactly as text. */
const ORDERED_TYPES = new Set([
  'DATE',
  'TIMESTAMP',
  'TIMESTAMP WITH TIME ZONE',
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
]);

/**
 * The ranges of a checked copy's values in the key's ordered columns (none when it is empty). The
 * types come with the values: a catalog query costs 10 ms inside a build's transaction.
 */
export async function keyRangesOf(
  db: Warehouse,
  copy: string,
  key: readonly string[],
): Promise<KeyRange[]> {
  const row = await db.one(
    `SELECT ${key
      .map((column, index) => {
        const quoted = quoteIdentifier(column);
        return `typeof(any_value(${quoted})) AS "type_${index}", min(${quoted})::VARCHAR AS "least_${index}", max(${quoted})::VARCHAR AS "greatest_${index}"`;
      })
      .join(', ')} FROM ${copy}`,
  );
  const ranges: KeyRange[] = [];
  key.forEach((column, index) => {
    const type = row?.[`type_${index}`];
    const least = row?.[`least_${index}`];
    const greatest = row?.[`greatest_${index}`];
    if (
      typeof type === 'string' &&
      ORDERED_TYPES.has(type) &&
      typeof least === 'string' &&
      typeof greatest === 'string'
    )
      ranges.push({
        column,
        least: `CAST(${literal(least)} AS ${type})`,
        greatest: `CAST(${literal(greatest)} AS ${type})`,
      });
  });
  return ranges;
}

/**
 * How many checks run as one statement. An incremental build runs some 340 checks of a few rows
 * each, and a statement's own cost (parsing, planning, the round trip) outweighed most of them;
 * each check stays a subquery of its own, planned and pruned as if it ran alone, except that the
 * checks of each row alone count the rows they share in one pass: a view such as int_messages
 * joins its 13 M rows on every read, and its seven row checks took 4 s of a full build's 15.
 */
const CHECKS_PER_STATEMENT = 40;

/** A statement's part: a check of its own, or the row checks of the same rows, in one pass. */
type CheckPart =
  | { readonly check: Check }
  | { readonly rows: string; readonly counted: { check: Check; violation: string }[] };

export async function runCheckList(
  db: Warehouse,
  checks: readonly Check[],
): Promise<CheckFailure[]> {
  const parts: CheckPart[] = [];
  const passOf = new Map<string, Extract<CheckPart, { rows: string }>>();
  for (const check of checks) {
    if (check.perRow === undefined) {
      parts.push({ check });
      continue;
    }
    const { rows, violation } = check.perRow;
    const pass = passOf.get(rows) ?? { rows, counted: [] };
    if (!passOf.has(rows)) {
      passOf.set(rows, pass);
      parts.push(pass);
    }
    pass.counted.push({ check, violation });
  }
  const failures: CheckFailure[] = [];
  for (let first = 0; first < parts.length; first += CHECKS_PER_STATEMENT) {
    const batch = parts.slice(first, first + CHECKS_PER_STATEMENT);
    const columns: Check[] = [];
    const scalars = ['true AS ran'];
    const passes: string[] = [];
    for (const part of batch) {
      if ('check' in part) {
        scalars.push(`(${part.check.sql})::BIGINT AS "${columns.push(part.check) - 1}"`);
        continue;
      }
      const counts = part.counted.map(
        ({ check, violation }) =>
          `count(*) FILTER (WHERE ${violation})::BIGINT AS "${columns.push(check) - 1}"`,
      );
      passes.push(`(SELECT ${counts.join(', ')} FROM ${part.rows}) AS pass_${passes.length}`);
    }
    const row = await db.one(
      `SELECT * FROM (SELECT ${scalars.join(',\n       ')}) AS own_checks${passes.map((pass) => `,\n     ${pass}`).join('')}`,
    );
    columns.forEach((check, index) => {
      const failing = Number(row?.[String(index)] ?? 0);
      if (failing > 0)
        failures.push({ model: check.model, name: check.name, failingRows: failing });
    });
  }
  return failures;
}
