import { describe, expect, it } from 'vitest';
import { tempWarehouse } from '../test/helpers/warehouse.ts';
import { checksFor, keyRangesOf, runCheckList, runChecks, type Check } from './checks.ts';
import { modelSpecSchema, type Model } from './models.ts';

function model(spec: Record<string, unknown>): Model {
  return {
    name: 'm',
    layer: 'marts',
    file: 'marts/m.sql',
    sql: '',
    spec: modelSpecSchema.parse({ description: 'd', grain: 'g', ...spec }),
    dependencies: [],
    sources: [],
  };
}

const spec = {
  unique_key: ['k', 'day'],
  not_null: ['n'],
  accepted_values: { kind: ['a', 'b'] },
  ranges: { share: { min: 0, max: 1 } },
  expressions: ['ends > starts'],
};

describe('model invariants', () => {
  it('counts the rows breaking each invariant', async () => {
    const db = await tempWarehouse();
    await db.run('CREATE SCHEMA marts');
    await db.run(`CREATE TABLE marts.m AS SELECT * FROM (VALUES
      ('x', 1, 1, 'a', 0.5, 1, 2),
      ('x', 1, 1, 'a', 0.5, 1, 2),   -- a key seen twice
      ('y', 1, 1, 'a', 0.5, 1, 2),
      ('y', 1, 1, 'a', 0.5, 1, 2),
      ('y', 1, 1, 'a', 0.5, 1, 2),   -- a second key, seen three times: one repeated key more
      ('x', 2, NULL, 'c', 1.5, 2, 2),-- same k, other day: unique; n null, kind and share wrong, ends = starts
      (NULL, 3, 1, 'b', -0.1, 3, NULL) -- null key, share below 0, expression unknown (passes)
    ) AS t(k, day, n, kind, share, starts, ends)`);
    const failures = await runChecks(db, [model(spec)]);
    expect(
      Object.fromEntries(failures.map((failure) => [failure.name, failure.failingRows])),
    ).toEqual({
      'unique key (k, day)': 2,
      'key not null (k, day)': 1,
      'n not null': 1,
      'kind in (a, b)': 1,
      'share within [0, 1]': 2,
      'ends > starts': 1,
    });
  });

  it('passes a table that keeps every invariant, and runs the checks it is given', async () => {
    const db = await tempWarehouse();
    await db.run('CREATE SCHEMA marts');
    await db.run(
      `CREATE TABLE marts.m AS SELECT 'x' AS k, day, 1 AS n, 'a' AS kind, 0.5 AS share, 1 AS starts, 2 AS ends FROM range(1000) AS r(day)`,
    );
    expect(await runChecks(db, [model(spec)])).toEqual([]);
    const own: Check = {
      model: 'raw.t',
      name: 'rows exist',
      sql: 'SELECT CASE WHEN count(*) = 0 THEN 1 ELSE 0 END FROM marts.m WHERE day > 5000',
    };
    expect(await runCheckList(db, [own, ...checksFor(model(spec))])).toEqual([
      { model: 'raw.t', name: 'rows exist', failingRows: 1 },
    ]);
  });

  it('leaves the uniqueness of a key taken from another model to that model, not its nulls', async () => {
    const db = await tempWarehouse();
    await db.run('CREATE SCHEMA marts');
    await db.run(
      `CREATE TABLE marts.m AS SELECT * FROM (VALUES ('x', 1), ('x', 1), (NULL, 2)) AS t(k, day)`,
    );
    const names = async (checked: Model) =>
      (await runChecks(db, [checked])).map((failure) => failure.name);
    expect(await names(model({ unique_key: ['k', 'day'] }))).toEqual([
      'unique key (k, day)',
      'key not null (k, day)',
    ]);
    expect(await names(model({ unique_key: ['k', 'day'], unique_key_of: 'stg_s__m' }))).toEqual([
      'key not null (k, day)',
    ]);
  });

  it('finds the keys of a period repeated outside it, to the microsecond of its bounds', async () => {
    const db = await tempWarehouse();
    await db.run('CREATE SCHEMA marts');
    // The period is week 2; its rows' instants range from .000001 to .999999. Outside it,
    // two rows repeat a key at those very bounds, and two more miss one by a microsecond.
    await db.run(`CREATE TABLE marts.m AS SELECT week, k, sent_at::TIMESTAMPTZ AS sent_at, day::DATE AS day FROM (VALUES
      (2, 'x', '2026-03-29 01:30:00.000001+00', '2026-03-29'),
      (2, 'y', '2026-03-30 12:00:00.999999+00', '2026-03-30'),
      (1, 'x', '2026-03-29 01:30:00.000001+00', '2026-03-29'),
      (3, 'y', '2026-03-30 12:00:00.999999+00', '2026-03-30'),
      (1, 'x', '2026-03-29 01:30:00+00', '2026-03-29'),
      (3, 'y', '2026-03-30 12:00:01+00', '2026-03-30')
    ) AS t(week, k, sent_at, day)`);
    const keyed = model({ unique_key: ['k', 'sent_at', 'day'] });
    const period = { rows: 'SELECT * FROM marts.m WHERE week = 2', closedOver: ['week'] };
    const failures = await runChecks(db, [keyed], new Map([['m', period]]));
    expect(failures).toEqual([
      { model: 'm', name: 'unique key (k, sent_at, day)', failingRows: 2 },
    ]);
    await db.run(`CREATE TEMP TABLE checked AS SELECT * FROM marts.m WHERE week = 2`);
    expect(await keyRangesOf(db, 'checked', ['k', 'sent_at', 'day'])).toEqual([
      {
        column: 'sent_at',
        least: "CAST('2026-03-29 01:30:00.000001+00' AS TIMESTAMP WITH TIME ZONE)",
        greatest: "CAST('2026-03-30 12:00:00.999999+00' AS TIMESTAMP WITH TIME ZONE)",
      },
      {
        column: 'day',
        least: "CAST('2026-03-29' AS DATE)",
        greatest: "CAST('2026-03-30' AS DATE)",
      },
    ]);
    const sql = checksFor(keyed, {
      ...period,
      keyRanges: [
        {
          column: 'sent_at',
          least: "TIMESTAMPTZ '2026-03-29 01:30:00.000001+00'",
          greatest: "TIMESTAMPTZ '2026-03-30 12:00:00.999999+00'",
        },
      ],
    })[0]?.sql;
    expect(sql).toContain('"sent_at" BETWEEN');
  });

  it('runs no check of a period without rows: each would pass', async () => {
    const db = await tempWarehouse();
    await db.run('CREATE SCHEMA marts');
    await db.run(`CREATE TABLE marts.m AS SELECT 1 AS week, 'x' AS k`);
    // A check that cannot run at all tells whether it ran.
    const broken = model({ unique_key: ['k'], expressions: ['no_such_column > 0'] });
    const period = (week: number) =>
      new Map([
        ['m', { rows: `SELECT * FROM marts.m WHERE week = ${week}`, closedOver: ['week'] }],
      ]);
    expect(await runChecks(db, [broken], period(2))).toEqual([]);
    await expect(runChecks(db, [broken], period(1))).rejects.toThrow(/no_such_column/);
  });
});
