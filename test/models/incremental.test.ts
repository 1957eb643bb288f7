/**
 * Incremental builds equal full builds: after a week of raw data is added, deleted or re-added,
 * every table of the intermediate and marts schemas after an incremental build is compared with a
 * full build of the same data, row for row (doubles within 1e-9 relative: two full builds already
 * differ in the last bits of some parallel sums).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateOrganisation } from '../../ingest/demo/generate.ts';
import { buildModels, type BuildResult } from '../../warehouse/build.ts';
import { defaultConfig, type Config } from '../../warehouse/config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { loadModels } from '../../warehouse/models.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { tempWarehouse, testPseudonymizer } from '../helpers/warehouse.ts';

const LAST_WEEK = '2026-11-09';
const FACT_TABLES = ['slack_messages', 'calendar_events', 'calendar_attendees'] as const;

/** Moves the raw rows of [from, to) into the `stash` schema (and trims coverage to match). */
async function removePeriod(db: Warehouse, from: string, to: string): Promise<void> {
  const inPeriod = {
    slack_messages: `ts >= TIMESTAMPTZ '${from}' AND ts < TIMESTAMPTZ '${to}'`,
    calendar_events: `coalesce(start_at, start_date::TIMESTAMPTZ) >= TIMESTAMPTZ '${from}' AND coalesce(start_at, start_date::TIMESTAMPTZ) < TIMESTAMPTZ '${to}'`,
    calendar_attendees: `(owner_id, event_key, recurrence_key) IN (SELECT (owner_id, event_key, recurrence_key) FROM stash.calendar_events)`,
  };
  await db.run(`CREATE SCHEMA stash`);
  for (const table of FACT_TABLES) {
    await db.run(
      `CREATE TABLE stash.${table} AS SELECT * FROM raw.${table} WHERE ${inPeriod[table]}`,
    );
    await db.run(`DELETE FROM raw.${table} WHERE ${inPeriod[table]}`);
  }
  // The period was never imported: coverage ends where it starts (a week at the end) or is absent.
  for (const table of ['calendar_coverage', 'slack_coverage']) {
    await db.run(`CREATE TABLE stash.${table} AS SELECT * FROM raw.${table}`);
    await db.run(
      `UPDATE raw.${table} SET window_end = least(window_end, TIMESTAMPTZ '${from}')
       WHERE window_start < TIMESTAMPTZ '${from}'`,
    );
  }
}

async function restorePeriod(db: Warehouse): Promise<void> {
  for (const table of [...FACT_TABLES, 'calendar_coverage', 'slack_coverage']) {
    if (table.endsWith('coverage')) await db.run(`DELETE FROM raw.${table}`);
    await db.run(`INSERT INTO raw.${table} SELECT * FROM stash.${table}`);
  }
  await db.run(`DROP SCHEMA stash CASCADE`);
}

/** The demo's kinds of team at a few dozen people, with fewer meetings and messages: fast. */
async function smallOrganisation(db: Warehouse, weeks: number): Promise<void> {
  await generateOrganisation(db, testPseudonymizer, {
    seed: 11,
    lastWeek: LAST_WEEK,
    weeks,
    people: 20,
    meetingsPerPersonWeek: 8,
    messagesPerPersonWeek: 60,
    reporter: silentReporter,
  });
}

const MODEL_SCHEMAS = ['intermediate', 'marts'];

/** Copies every model table into `copy_<schema>`, to compare with a later build. */
async function copyModels(db: Warehouse): Promise<void> {
  for (const schema of MODEL_SCHEMAS) {
    await db.run(`DROP SCHEMA IF EXISTS copy_${schema} CASCADE`);
    await db.run(`CREATE SCHEMA copy_${schema}`);
    for (const { name } of await tablesOf(db, schema)) {
      await db.run(`CREATE TABLE copy_${schema}.${name} AS SELECT * FROM ${schema}.${name}`);
    }
  }
}

async function tablesOf(db: Warehouse, schema: string): Promise<{ name: string }[]> {
  return db.parse(
    z.object({ name: z.string() }),
    `SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = $1 ORDER BY ALL`,
    [schema],
  );
}

/**
 * Tables whose rows differ between the copy and the current build, with the number of rows that
 * differ: rows are matched on the model's unique key; every other column must be equal (IS NOT
 * DISTINCT FROM), doubles within 1e-9 of each other relative to their size.
 */
async function differences(db: Warehouse): Promise<Record<string, number>> {
  const keys = new Map(loadModels().map((model) => [model.name, model.spec.unique_key]));
  const result: Record<string, number> = {};
  for (const schema of MODEL_SCHEMAS) {
    const tables = await tablesOf(db, schema);
    expect(tables.map((table) => table.name)).toEqual(
      (await tablesOf(db, `copy_${schema}`)).map((table) => table.name),
    );
    for (const { name } of tables) {
      const columns = await db.parse(
        z.object({ column_name: z.string(), data_type: z.string() }),
        `SELECT column_name, data_type FROM information_schema.columns
         WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [schema, name],
      );
      const key = keys.get(name) ?? [];
      expect(key.length, name).toBeGreaterThan(0);
      const on = key.map((column) => `a."${column}" IS NOT DISTINCT FROM b."${column}"`);
      const differs = columns.map(({ column_name: column, data_type: type }) =>
        type === 'DOUBLE' || type === 'FLOAT'
          ? `NOT ((a."${column}" IS NULL AND b."${column}" IS NULL) OR abs(a."${column}" - b."${column}") <= 1e-9 * greatest(1, abs(a."${column}")))`
          : `a."${column}" IS DISTINCT FROM b."${column}"`,
      );
      const row = await db.one(
        `SELECT count(*)::INTEGER AS n FROM ${schema}.${name} AS a
         FULL JOIN copy_${schema}.${name} AS b ON ${on.join(' AND ')}
         WHERE ${differs.map((expression) => `coalesce(${expression}, true)`).join(' OR ')}`,
      );
      const counts = await db.one(
        `SELECT (SELECT count(*) FROM ${schema}.${name})::INTEGER AS a, (SELECT count(*) FROM copy_${schema}.${name})::INTEGER AS b`,
      );
      const n = Number(row?.['n']) + Math.abs(Number(counts?.['a']) - Number(counts?.['b']));
      if (n > 0) result[`${schema}.${name}`] = n;
    }
  }
  return result;
}

/** Builds incrementally, then compares every model table with a full build of the same data. */
async function expectIncrementalEqualsFull(db: Warehouse, config: Config): Promise<BuildResult> {
  const incremental = await buildModels(db, config, { reporter: silentReporter });
  await copyModels(db);
  const full = await buildModels(db, config, { full: true, reporter: silentReporter });
  expect(full.mode).toEqual({ kind: 'full', reason: '--full' });
  expect(await differences(db)).toEqual({});
  return incremental;
}

function weeksOf(result: BuildResult): readonly string[] {
  if (result.mode?.kind !== 'incremental')
    throw new Error(`not incremental: ${JSON.stringify(result.mode)}`);
  return result.mode.weeks;
}

describe('incremental builds', () => {
  it('equal full builds after a week is added, deleted and re-added', async () => {
    const db = await tempWarehouse();
    const config = defaultConfig();
    await smallOrganisation(db, 4);
    // Cut on Sunday evening UTC, which is Monday in Asia-Pacific and still Sunday in the Americas,
    // so a changed UTC week reaches the local weeks either side of it.
    await removePeriod(db, '2026-11-08 20:00:00+00', '2026-11-17 00:00:00+00');
    const first = await buildModels(db, config, { reporter: silentReporter });
    expect(first.mode).toEqual({ kind: 'full', reason: 'no record of a previous complete build' });

    // Nothing changed: nothing is rebuilt partially, and the marts stay equal.
    expect(weeksOf(await expectIncrementalEqualsFull(db, config))).toEqual([]);

    // A new week arrives.
    await restorePeriod(db);
    const added = await expectIncrementalEqualsFull(db, config);
    expect(weeksOf(added)).toContain(LAST_WEEK);
    expect(weeksOf(added)).not.toContain('2026-10-19');
    expect(added.models.filter((model) => model.partial).map((model) => model.model)).toContain(
      'int_messages',
    );

    // A week in the middle is deleted (a re-import replacing it with nothing), then re-added.
    await removePeriod(db, '2026-10-25 20:00:00+00', '2026-11-01 20:00:00+00');
    await db.run(`DELETE FROM raw.calendar_coverage; DELETE FROM raw.slack_coverage`);
    await db.run(`INSERT INTO raw.calendar_coverage SELECT * FROM stash.calendar_coverage`);
    await db.run(`INSERT INTO raw.slack_coverage SELECT * FROM stash.slack_coverage`);
    expect(weeksOf(await expectIncrementalEqualsFull(db, config))).toContain('2026-10-26');
    await restorePeriod(db);
    expect(weeksOf(await expectIncrementalEqualsFull(db, config))).toContain('2026-10-26');
  }, 300_000);

  it('builds in full when the settings, the roster or the flag say so', async () => {
    const db = await tempWarehouse();
    await smallOrganisation(db, 2);
    const config = defaultConfig();
    await buildModels(db, config, { reporter: silentReporter, skipChecks: true });
    const changed = { ...config, minGroupSize: config.minGroupSize + 1 };
    const settings = await buildModels(db, changed, { skipChecks: true });
    expect(settings.mode).toMatchObject({ kind: 'full' });
    expect(settings.mode?.kind === 'full' ? settings.mode.reason : '').toContain('minGroupSize');
    expect((await buildModels(db, changed, { skipChecks: true })).mode).toEqual({
      kind: 'incremental',
      weeks: [],
    });
    expect((await buildModels(db, changed, { skipChecks: true, full: true })).mode).toEqual({
      kind: 'full',
      reason: '--full',
    });
    await db.run(
      `UPDATE raw.roster_people SET team_path = team_path || '/Moved' WHERE person_id = (SELECT min(person_id) FROM raw.roster_people)`,
    );
    expect((await buildModels(db, changed, { skipChecks: true })).mode).toEqual({
      kind: 'full',
      reason: 'raw.roster_people changed',
    });
    // A --select build leaves no record, so the next build is full.
    await buildModels(db, changed, { skipChecks: true, select: ['teams'] });
    expect((await buildModels(db, changed, { skipChecks: true })).mode).toMatchObject({
      kind: 'full',
      reason: 'no record of a previous complete build',
    });
  }, 120_000);
});
