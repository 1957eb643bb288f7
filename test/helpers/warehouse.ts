/** Real DuckDB warehouses for tests: on disk in a temporary folder, removed afterwards. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { z } from 'zod';
import { Warehouse } from '../../warehouse/db.ts';
import { Pseudonymizer } from '../../warehouse/identity.ts';

/** A fixed salt so tests can compute expected keys. Never use a constant salt in production. */
export const TEST_SALT = 'test-salt-0123456789abcdef';
export const testPseudonymizer = new Pseudonymizer(TEST_SALT);

const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A fresh temporary folder, deleted after the current test. */
export function tempDir(prefix = 'syncbalance-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** A new warehouse file in a temporary folder, closed and deleted after the current test. */
export async function tempWarehouse(): Promise<Warehouse> {
  const db = await Warehouse.open(join(tempDir(), 'test.duckdb'));
  cleanups.unshift(() => {
    db.close();
  });
  return db;
}

export interface TableFingerprint {
  readonly rows: number;
  readonly checksum: string;
}

/**
 * Row count and a checksum of the content of every table in the given schemas: two equal
 * fingerprints mean the same rows (in any physical order), so a failed import can be shown to have
 * left the warehouse exactly as it was.
 */
export async function fingerprint(
  db: Warehouse,
  schemas: readonly string[] = ['raw', 'meta'],
): Promise<Record<string, TableFingerprint>> {
  const tables = await db.parse(
    z.object({ name: z.string() }),
    `SELECT schema_name || '.' || table_name AS name FROM duckdb_tables()
     WHERE schema_name IN (${schemas.map((schema) => `'${schema}'`).join(', ')}) AND NOT temporary
     ORDER BY ALL`,
  );
  const result: Record<string, TableFingerprint> = {};
  for (const { name } of tables) {
    const [row] = await db.parse(
      z.object({ rows: z.number(), checksum: z.string() }),
      `SELECT count(*)::INTEGER AS rows, coalesce(md5(string_agg(t::VARCHAR, '\n' ORDER BY t::VARCHAR)), '') AS checksum
       FROM ${name} AS t`,
    );
    if (row) result[name] = row;
  }
  return result;
}
