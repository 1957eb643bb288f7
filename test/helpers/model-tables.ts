/**
 * Compares every model table (intermediate and marts) of a warehouse with a copy taken earlier:
 * used by the incremental-build test and bench to show an incremental build equals a full one.
 */
import { z } from 'zod';
import type { Warehouse } from '../../warehouse/db.ts';
import { loadModels } from '../../warehouse/models.ts';

const FACT_TABLES = ['slack_messages', 'calendar_events', 'calendar_attendees'] as const;

/**
 * Takes the raw messages and calendar events (with their attendees) of [from, to) out of the raw
 * tables into the `stash` schema (or another), and cuts the coverage windows at `from`, as if that
 * period had never been imported; restorePeriod puts everything back (a week arriving). Periods
 * withheld latest first, each in a schema of its own, come back earliest first.
 */
export async function withholdPeriod(
  db: Warehouse,
  from: string,
  to: string,
  stash = 'stash',
): Promise<void> {
  const inPeriod = {
    slack_messages: `ts >= TIMESTAMPTZ '${from}' AND ts < TIMESTAMPTZ '${to}'`,
    calendar_events: `coalesce(start_at, start_date::TIMESTAMPTZ) >= TIMESTAMPTZ '${from}' AND coalesce(start_at, start_date::TIMESTAMPTZ) < TIMESTAMPTZ '${to}'`,
    calendar_attendees: `(owner_id, event_key, recurrence_key) IN (SELECT (owner_id, event_key, recurrence_key) FROM ${stash}.calendar_events)`,
  };
  await db.run(`CREATE SCHEMA ${stash}`);
  for (const table of FACT_TABLES) {
    await db.run(
      `CREATE TABLE ${stash}.${table} AS SELECT * FROM raw.${table} WHERE ${inPeriod[table]}`,
    );
    await db.run(`DELETE FROM raw.${table} WHERE ${inPeriod[table]}`);
  }
  // The period was never imported: coverage ends where it starts (a week at the end) or is absent.
  for (const table of ['calendar_coverage', 'slack_coverage']) {
    await db.run(`CREATE TABLE ${stash}.${table} AS SELECT * FROM raw.${table}`);
    await db.run(
      `UPDATE raw.${table} SET window_end = least(window_end, TIMESTAMPTZ '${from}')
       WHERE window_start < TIMESTAMPTZ '${from}'`,
    );
  }
}

export async function restorePeriod(db: Warehouse, stash = 'stash'): Promise<void> {
  for (const table of [...FACT_TABLES, 'calendar_coverage', 'slack_coverage']) {
    if (table.endsWith('coverage')) await db.run(`DELETE FROM raw.${table}`);
    await db.run(`INSERT INTO raw.${table} SELECT * FROM ${stash}.${table}`);
  }
  await db.run(`DROP SCHEMA ${stash} CASCADE`);
}

const MODEL_SCHEMAS = ['intermediate', 'marts'] as const;

export async function tablesOf(db: Warehouse, schema: string): Promise<string[]> {
  const rows = await db.parse(
    z.object({ name: z.string() }),
    `SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = $1 ORDER BY ALL`,
    [schema],
  );
  return rows.map((row) => row.name);
}

/** Copies every model table into `copy_<schema>`, to compare with a later build. */
export async function copyModelTables(db: Warehouse): Promise<void> {
  for (const schema of MODEL_SCHEMAS) {
    await db.run(`DROP SCHEMA IF EXISTS copy_${schema} CASCADE`);
    await db.run(`CREATE SCHEMA copy_${schema}`);
    for (const name of await tablesOf(db, schema)) {
      await db.run(`CREATE TABLE copy_${schema}.${name} AS SELECT * FROM ${schema}.${name}`);
    }
  }
}

export async function dropModelCopies(db: Warehouse): Promise<void> {
  for (const schema of MODEL_SCHEMAS) await db.run(`DROP SCHEMA IF EXISTS copy_${schema} CASCADE`);
}

/**
 * The tables whose rows differ between the copy and the current build, with how many rows differ
 * (a table missing on one side counts as a difference). Rows are matched on the model's unique key
 * (checked unique by the build); every other column must be equal (IS NOT DISTINCT FROM), doubles
 * within 1e-9 relative to their size (1e-9 absolute below 1): two full builds of the same data
 * already differ in the last bits of some parallel sums.
 */
export async function modelTableDifferences(db: Warehouse): Promise<Record<string, number>> {
  const keys = new Map(loadModels().map((model) => [model.name, model.spec.unique_key]));
  const result: Record<string, number> = {};
  for (const schema of MODEL_SCHEMAS) {
    const tables = await tablesOf(db, schema);
    const copies = new Set(await tablesOf(db, `copy_${schema}`));
    for (const name of new Set([...tables, ...copies])) {
      const key = keys.get(name);
      if (!tables.includes(name) || !copies.has(name) || key === undefined) {
        result[`${schema}.${name}`] = -1;
        continue;
      }
      const columns = await db.parse(
        z.object({ column_name: z.string(), data_type: z.string() }),
        `SELECT column_name, data_type FROM information_schema.columns
         WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [schema, name],
      );
      const on = key.map((column) => `a."${column}" IS NOT DISTINCT FROM b."${column}"`);
      const differs = columns.map(({ column_name: column, data_type: type }) =>
        type === 'DOUBLE' || type === 'FLOAT'
          ? `NOT ((a."${column}" IS NULL AND b."${column}" IS NULL) OR abs(a."${column}" - b."${column}") <= 1e-9 * greatest(1, abs(a."${column}")))`
          : `a."${column}" IS DISTINCT FROM b."${column}"`,
      );
      const row = await db.one(
        `SELECT
           (SELECT count(*) FROM ${schema}.${name} AS a
            FULL JOIN copy_${schema}.${name} AS b ON ${on.join(' AND ')}
            WHERE ${differs.map((expression) => `coalesce(${expression}, true)`).join(' OR ')})::INTEGER AS differing,
           abs((SELECT count(*) FROM ${schema}.${name}) - (SELECT count(*) FROM copy_${schema}.${name}))::INTEGER AS count_gap`,
      );
      const n = Number(row?.['differing']) + Number(row?.['count_gap']);
      if (n > 0) result[`${schema}.${name}`] = n;
    }
  }
  return result;
}
