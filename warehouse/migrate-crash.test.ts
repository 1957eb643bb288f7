/** A process killed right after creating a warehouse (before DuckDB checkpoints on close). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse } from './db.ts';
import { latestSchemaVersion, schemaVersion } from './migrate.ts';

describe('migrations and crashes', () => {
  it('a warehouse whose creator was killed right after the upgrade still opens, at the newest version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syncbalance-migrate-'));
    try {
      const file = join(dir, 'w.duckdb');
      const script = `const { Warehouse } = await import(${JSON.stringify(join(import.meta.dirname, 'db.ts'))});
        await Warehouse.open(${JSON.stringify(file)}); process.kill(process.pid, 'SIGKILL');`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script]);
      expect(child.signal).toBe('SIGKILL');
      const db = await Warehouse.open(file);
      try {
        expect(await schemaVersion(db)).toBe(latestSchemaVersion());
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
