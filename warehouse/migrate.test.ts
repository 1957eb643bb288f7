import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/helpers/warehouse.ts';
import { Warehouse } from './db.ts';
import { latestSchemaVersion, listMigrations, schemaVersion } from './migrate.ts';

describe('schema versions', () => {
  it('numbers migrations without gaps', () => {
    expect(listMigrations().map((migration) => migration.version)).toEqual(
      Array.from({ length: latestSchemaVersion() }, (_, index) => index + 1),
    );
  });

  it('upgrades a warehouse written by the previous version in place, keeping its rows', async () => {
    const file = join(tempDir(), 'old.duckdb');
    const previous = latestSchemaVersion() - 1;
    const old = await Warehouse.open(file, { schemaVersion: previous });
    expect(await schemaVersion(old)).toBe(previous);
    // As every import does, the rows' run is recorded (rows of unrecorded runs are removed on open).
    await old.run(
      `INSERT INTO meta.import_runs VALUES (1, 'roster', now(), now(), '{}'), (2, 'slack_export', now(), now(), '{}')`,
    );
    await old.run(`INSERT INTO raw.roster_snapshots VALUES (DATE '2026-01-05', 1, 1)`);
    // By name, with the columns every version has, so the test holds whichever version is previous.
    await old.run(
      // Columns by name: the statement must hold for whichever version is the previous one.
      `INSERT INTO raw.roster_people (as_of, person_id, email, team_path, manager_email, timezone, work_days, work_start, work_end, slack_user_key)
       VALUES (DATE '2026-01-05', 'p_1', 'ada@example.com', 'Eng', NULL, 'Europe/Berlin', [1, 2]::TINYINT[], TIME '09:00', TIME '17:00', NULL)`,
    );
    await old.run(
      `INSERT INTO raw.slack_messages VALUES ('sc_1', TIMESTAMPTZ '2026-01-05 10:00:00+00', 'su_1', NULL, NULL, NULL, NULL, NULL, NULL, 'slack_export', 2),
                                             ('sc_1', TIMESTAMPTZ '2026-01-09 23:00:00+00', 'su_1', NULL, NULL, NULL, NULL, NULL, NULL, 'slack_export', 2)`,
    );
    old.close();

    const upgraded = await Warehouse.open(file);
    expect(await schemaVersion(upgraded)).toBe(latestSchemaVersion());
    expect(await upgraded.all(`SELECT email, team_path, timezone FROM raw.roster_people`)).toEqual([
      { email: 'ada@example.com', team_path: 'Eng', timezone: 'Europe/Berlin' },
    ]);
    expect(
      await upgraded.all(`SELECT version FROM meta.schema_migrations ORDER BY version`),
    ).toEqual(listMigrations().map((migration) => ({ version: migration.version })));
    upgraded.close();
  });

  it('refuses a warehouse written by a newer syncbalance, and leaves it alone', async () => {
    const file = join(tempDir(), 'new.duckdb');
    const warehouse = await Warehouse.open(file);
    await warehouse.run(
      `INSERT INTO meta.schema_migrations VALUES (999, 'from_the_future', now())`,
    );
    warehouse.close();
    await expect(Warehouse.open(file)).rejects.toThrow(
      /written by a newer syncbalance \(schema version 999; this version knows up to \d+\): upgrade syncbalance/,
    );
    await expect(Warehouse.open(file, { readOnly: true })).rejects.toThrow(/newer syncbalance/);
  });

  it('asks for an upgrade instead of changing a file opened read-only', async () => {
    const file = join(tempDir(), 'old.duckdb');
    (await Warehouse.open(file, { schemaVersion: 1 })).close();
    await expect(Warehouse.open(file, { readOnly: true })).rejects.toThrow(
      /schema version 1 and needs an upgrade .*run 'syncbalance build' once/,
    );
  });
});
