/**
 * Raw-table invariants, declared in `models/sources.yml`: every raw row with a `run_id` belongs
 * to a run recorded in `meta.import_runs`, and rows point at rows that exist (an attendee at its
 * event, a message at its conversation, a roster row at its snapshot).
 *
 * A run is recorded in the same transaction as its rows, so neither can be false after a clean
 * commit. A commit torn by a kill can break both (DuckDB has recovered uncommitted data after a
 * kill during its WAL write), so the build checks them, and `removeTornWrites` deletes on open
 * what such a commit leaves, before anything else writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Check } from './checks.ts';
import type { Warehouse } from './db.ts';
import { MODELS_DIR } from './models.ts';

const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/);
const tableName = z.string().regex(/^raw\.[a-z_][a-z0-9_]*$/);

const sourcesSchema = z.record(
  tableName,
  z.strictObject({
    references: z
      .array(z.strictObject({ columns: z.array(identifier).min(1), to: tableName }))
      .default([]),
  }),
);

export interface Reference {
  readonly table: string;
  readonly columns: readonly string[];
  readonly to: string;
}

export const SOURCES_FILE = join(MODELS_DIR, 'sources.yml');

export function loadReferences(file = SOURCES_FILE): Reference[] {
  const sources = sourcesSchema.parse(parseYaml(readFileSync(file, 'utf8')));
  return Object.entries(sources).flatMap(([table, spec]) =>
    spec.references.map((reference) => ({ table, ...reference })),
  );
}

/** Raw tables with a `run_id` column (whoever added them). */
async function runTables(db: Warehouse): Promise<string[]> {
  const rows = await db.parse(
    z.object({ name: z.string() }),
    `SELECT 'raw.' || table_name AS name FROM duckdb_columns()
     WHERE schema_name = 'raw' AND column_name = 'run_id' AND NOT internal
     ORDER BY table_name`,
  );
  return rows.map((row) => row.name);
}

const unrecordedRun = (table: string, rows = 'true'): string =>
  `FROM ${table} AS t WHERE (${rows}) AND NOT EXISTS (SELECT 1 FROM meta.import_runs AS r WHERE r.run_id = t.run_id)`;

const missingParent = (reference: Reference, rows = 'true'): string =>
  `FROM ${reference.table} AS t WHERE (${rows}) AND NOT EXISTS (SELECT 1 FROM ${reference.to} AS p WHERE ${reference.columns
    .map((column) => `p.${column} = t.${column}`)
    .join(' AND ')})`;

/**
 * The raw-table invariants as build checks. `countedOrphans` gives, for a reference whose rows
 * without a parent another pass of the build has already counted, the SQL reading that count
 * (twelve million attendees need not be joined to their events twice). `checkedRows` gives, for
 * a raw table, a condition on its rows (alias `t`) restricting the checks to those that may have
 * changed since the last build checked them (an incremental build); all rows without it.
 */
export async function sourceChecks(
  db: Warehouse,
  countedOrphans: (reference: Reference) => string | undefined = () => undefined,
  checkedRows: (table: string) => string = () => 'true',
): Promise<Check[]> {
  return [
    ...(await runTables(db)).map((table) => ({
      model: table,
      name: 'every row belongs to a recorded run (meta.import_runs)',
      sql: `SELECT count(*) ${unrecordedRun(table, checkedRows(table))}`,
    })),
    ...loadReferences().map((reference) => ({
      model: reference.table,
      name: `(${reference.columns.join(', ')}) references ${reference.to}`,
      sql:
        countedOrphans(reference) ??
        `SELECT count(*) ${missingParent(reference, checkedRows(reference.table))}`,
    })),
  ];
}

export interface RemovedRows {
  readonly table: string;
  readonly rows: number;
  readonly reason: 'unrecorded run' | 'missing parent';
}

/**
 * Deletes, in one transaction, the rows of raw tables whose run is not recorded, then the rows of
 * tables without a `run_id` whose parent is gone (attendees of a torn calendar import). A row with
 * a recorded run is never deleted for a missing parent: that would be a bug to see, not a tear to
 * hide, so the build's checks report it instead. Returns what was removed (empty when nothing).
 */
export async function removeTornWrites(db: Warehouse): Promise<RemovedRows[]> {
  const hasRunLog = await db.one(
    `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE schema_name = 'meta' AND table_name = 'import_runs'`,
  );
  if (hasRunLog?.['n'] === 0) return [];
  const withRuns = await runTables(db);
  const removed: RemovedRows[] = [];
  const removeWhere = async (
    table: string,
    condition: string,
    reason: RemovedRows['reason'],
  ): Promise<void> => {
    const row = await db.one(`SELECT count(*)::INTEGER AS n ${condition}`);
    const rows = Number(row?.['n'] ?? 0);
    if (rows === 0) return;
    await db.run(`DELETE ${condition}`);
    removed.push({ table, rows, reason });
  };
  await db.transaction(async () => {
    for (const table of withRuns) await removeWhere(table, unrecordedRun(table), 'unrecorded run');
    for (const reference of loadReferences()) {
      if (withRuns.includes(reference.table)) continue;
      await removeWhere(reference.table, missingParent(reference), 'missing parent');
    }
  });
  return removed;
}

/** One line for the person running the command. */
export function describeRemoved(removed: readonly RemovedRows[]): string {
  const parts = removed.map(
    (entry) =>
      `${entry.rows.toLocaleString('en-US')} from ${entry.table} (${entry.reason === 'unrecorded run' ? 'their import run was never recorded' : 'the rows they belong to are gone'})`,
  );
  return `Removed rows an interrupted import left behind: ${parts.join('; ')}. Run that import again to bring its data in.`;
}
