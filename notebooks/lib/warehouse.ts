/**
 * The one place notebooks open the warehouse: read-only, so a notebook runs next to a serving
 * dashboard. Each notebook's first cell passes `warehousePath()` (or a path of its own) here.
 * Notebooks that read only marts open the published snapshot (`openPublished`), which no import or
 * build ever locks; those that need raw or intermediate tables open the working warehouse, which a
 * running import, sync or build holds for writing (run them between refreshes).
 */
import { resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../../warehouse/config.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { openCurrentSnapshot } from '../../warehouse/snapshot.ts';

/** The repository root, whatever folder the kernel was started in. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `SYNCBALANCE_DB` when set (relative to the repository root), else the demo's default file. */
export function warehousePath(): string {
  return resolve(ROOT, process.env['SYNCBALANCE_DB'] ?? 'data/syncbalance.duckdb');
}

export function openWarehouse(path: string = warehousePath()): Promise<Warehouse> {
  return Warehouse.open(path, { readOnly: true });
}

/** The current published snapshot of the warehouse at `path`, else (never published) the warehouse. */
export async function openPublished(path: string = warehousePath()): Promise<Warehouse> {
  const current = await openCurrentSnapshot(path);
  return current?.db ?? openWarehouse(path);
}

/** The configuration the CLI uses when run from the repository root (for `minGroupSize`). */
export function projectConfig(): Config {
  return loadConfig(undefined, ROOT).config;
}

export type { Warehouse };

/**
 * The demo's no-meeting Wednesday: the first Wednesday of its change week (the week of its second
 * roster snapshot; week 9 of the default 16). Null for a warehouse holding anything but the demo.
 */
export async function demoPolicyStart(db: Warehouse): Promise<string | null> {
  const row = await db.one(
    `SELECT bool_and(runs.source = 'demo') AS demo_only,
            (SELECT strftime(max(as_of) + 2, '%Y-%m-%d') FROM raw.roster_snapshots) AS wednesday
     FROM meta.import_runs AS runs`,
  );
  return row?.['demo_only'] === true && typeof row['wednesday'] === 'string'
    ? row['wednesday']
    : null;
}
