/**
 * Schema versions. Each file `migrations/NNNN_name.sql` moves the warehouse from version NNNN-1 to
 * NNNN and is applied exactly once, in its own transaction together with its entry in
 * `meta.schema_migrations`, so a crash leaves the file at the previous version, never between two.
 * Migrations only ever add or reshape; they must keep existing rows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeFailure } from './errors.ts';
import type { Warehouse } from './db.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

export function listMigrations(): Migration[] {
  const migrations = readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file, index) => {
      const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match || Number(match[1]) !== index + 1) {
        throw new Error(
          `migration files must be numbered 0001, 0002, … without gaps; found ${file}`,
        );
      }
      return {
        version: index + 1,
        name: match[2] ?? '',
        sql: readFileSync(join(MIGRATIONS_DIR, file), 'utf8'),
      };
    });
  return migrations;
}

export function latestSchemaVersion(): number {
  return listMigrations().length;
}

export async function schemaVersion(db: Warehouse): Promise<number> {
  const exists = await db.one(
    `SELECT count(*)::INTEGER AS n FROM information_schema.tables
     WHERE table_schema = 'meta' AND table_name = 'schema_migrations'`,
  );
  if (exists?.['n'] === 0) return 0;
  const row = await db.one(
    'SELECT coalesce(max(version), 0)::INTEGER AS version FROM meta.schema_migrations',
  );
  return Number(row?.['version'] ?? 0);
}

/**
 * Brings the warehouse to `target` (default: the newest version this code knows). Refuses a file
 * written by a newer syncbalance rather than guessing at tables it does not know.
 */
export async function migrate(db: Warehouse, target?: number): Promise<void> {
  const migrations = listMigrations();
  const latest = migrations.length;
  const goal = target ?? latest;
  const current = await schemaVersion(db);
  if (current > latest) {
    throw new RuntimeFailure(
      `the warehouse ${db.path} was written by a newer syncbalance (schema version ${current}; this version knows up to ${latest}): upgrade syncbalance or use another --db file`,
    );
  }
  if (current >= goal) return;
  if (db.readOnly) {
    throw new RuntimeFailure(
      `the warehouse ${db.path} has schema version ${current} and needs an upgrade to ${goal}: run 'syncbalance build' once to upgrade it`,
    );
  }
  for (const migration of migrations.slice(current, goal)) {
    await db.transaction(async () => {
      await db.run(migration.sql);
      await db.run('INSERT INTO meta.schema_migrations VALUES ($1, $2, now())', [
        migration.version,
        migration.name,
      ]);
    });
  }
  // Written into the file at once: DuckDB cannot replay a WAL holding a DROP COLUMN of a table
  // with CHECK constraints (migration 3), so a process killed before its first checkpoint would
  // leave a warehouse no one can open.
  await db.run('CHECKPOINT');
}
