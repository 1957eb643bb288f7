import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Warehouse } from './db.ts';
import { redactSecrets } from './job-log.ts';
import { publishSnapshot } from './publish.ts';
import { listSnapshots, openCurrentSnapshot, readCurrent, snapshotDirectory } from './snapshot.ts';
import { buildModels } from './build.ts';
import { defaultConfig } from './config.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function builtWarehouse(): Promise<Warehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'syncbalance-publish-'));
  dirs.push(dir);
  const db = await Warehouse.open(join(dir, 'w.duckdb'));
  await buildModels(db, defaultConfig());
  return db;
}

describe('publishSnapshot', () => {
  it('copies every table of the marts schema, a mart added by anyone included, and the meta tables readers need', async () => {
    const db = await builtWarehouse();
    try {
      await db.run('CREATE TABLE marts.added_by_someone_else AS SELECT 42 AS answer');
      const result = await publishSnapshot(db, { keep: 2 });
      const opened = await openCurrentSnapshot(db.path);
      expect(opened?.pointer.build_id).toBe(result.buildId);
      try {
        expect(await opened?.db.one('SELECT answer FROM marts.added_by_someone_else')).toEqual({
          answer: 42,
        });
        const tables = await opened?.db.all(
          `SELECT schema_name || '.' || table_name AS name FROM duckdb_tables() ORDER BY name`,
        );
        expect(tables?.map((row) => row['name'])).toEqual(
          expect.arrayContaining([
            'marts.team_weeks',
            'marts.teams',
            'meta.build_params',
            'meta.job_runs',
            'meta.snapshot',
            'meta.source_coverage',
          ]),
        );
        // Raw rows never leave the working warehouse.
        expect(tables?.some((row) => (row['name'] as string).startsWith('raw.'))).toBe(false);
        expect(await opened?.db.one('SELECT build_id FROM meta.snapshot')).toEqual({
          build_id: result.buildId,
        });
      } finally {
        opened?.db.close();
      }
    } finally {
      db.close();
    }
  });

  it('keeps the newest snapshots only, never the current one less, and clears what a killed publish left', async () => {
    const db = await builtWarehouse();
    try {
      const ids: string[] = [];
      for (let publish = 0; publish < 4; publish++)
        ids.push((await publishSnapshot(db, { keep: 2 })).buildId);
      expect(listSnapshots(db.path)).toEqual(ids.slice(-2));
      writeFileSync(
        join(snapshotDirectory(db.path), '20260101T000000000Z-abcdef.duckdb.partial'),
        'x',
      );
      const last = await publishSnapshot(db, { keep: 2 });
      expect(readCurrent(db.path)?.build_id).toBe(last.buildId);
      expect(
        readdirSync(snapshotDirectory(db.path)).filter((name) => name.includes('partial')),
      ).toEqual([]);
      // Build ids sort by time as text.
      expect([...ids, last.buildId].sort()).toEqual([...ids, last.buildId]);
    } finally {
      db.close();
    }
  });

  it('refuses to publish a warehouse that was never built, and leaves the pointer alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syncbalance-publish-'));
    dirs.push(dir);
    const db = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      await expect(publishSnapshot(db, { keep: 2 })).rejects.toThrow(
        /nothing to publish.*syncbalance build/,
      );
      expect(readCurrent(db.path)).toBeNull();
    } finally {
      db.close();
    }
  });
});

describe('redactSecrets', () => {
  it('removes known secret values and anything shaped like a token or a password pair', () => {
    const text =
      'failed for xoxb-123-456-abc with Bearer ya29.a0AfH6 and refresh 1//0gAbCdEfGhIjKl, password=hunter2 token: "abc123" via https://user:pa55@smtp.example.com and my-known-secret-value';
    const clean = redactSecrets(text, ['my-known-secret-value']);
    for (const secret of [
      'xoxb-123',
      'ya29.',
      '1//0g',
      'hunter2',
      'abc123',
      'pa55',
      'my-known-secret-value',
    ])
      expect(clean).not.toContain(secret);
    expect(clean).toContain('password=[redacted]');
    expect(clean).toMatch(/^failed for \[redacted\]/);
  });
});
