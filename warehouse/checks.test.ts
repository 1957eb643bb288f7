import { describe, expect, it } from 'vitest';
import { tempWarehouse } from '../test/helpers/warehouse.ts';
import { checksFor, runCheckList, runChecks, type Check } from './checks.ts';
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
});
