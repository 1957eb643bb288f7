import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tempDir, tempWarehouse } from '../test/helpers/warehouse.ts';
import { buildModels, staleBuildSettings } from './build.ts';
import { defaultConfig } from './config.ts';
import { loadModels, orderModels, parseReferences, selectWithDependents } from './models.ts';

const SPEC = 'description: d\ngrain: one row per x\nunique_key: [x]\ncolumns:\n  x: The x.\n';

/** A models folder holding the given `layer/name` → SQL files, each with a minimal spec. */
function modelsDir(models: Record<string, string>): string {
  const dir = tempDir();
  for (const [path, sql] of Object.entries(models)) {
    const [layer = '', name = ''] = path.split('/');
    mkdirSync(join(dir, layer), { recursive: true });
    writeFileSync(join(dir, layer, `${name}.sql`), sql);
    writeFileSync(join(dir, layer, `${name}.yml`), SPEC);
  }
  return dir;
}

describe('model graph', () => {
  it('finds references in SQL but not in comments or strings', () => {
    const sql = `-- reads staging.stg_old__thing\nSELECT 'marts.fake' AS x FROM staging.stg_a__b JOIN intermediate.int_c USING (x) /* raw.nope */ JOIN raw.t ON true`;
    expect(parseReferences(sql)).toEqual([
      { schema: 'staging', table: 'stg_a__b' },
      { schema: 'intermediate', table: 'int_c' },
      { schema: 'raw', table: 't' },
    ]);
  });

  it('orders models after everything they read, whatever the file order', () => {
    const dir = modelsDir({
      'marts/zeta': 'SELECT x FROM intermediate.int_b',
      'intermediate/int_b': 'SELECT x FROM intermediate.int_a JOIN staging.stg_s__one USING (x)',
      'intermediate/int_a': 'SELECT x FROM staging.stg_s__two',
      'staging/stg_s__two': 'SELECT 1 AS x FROM raw.roster_people',
      'staging/stg_s__one': 'SELECT 1 AS x',
      'marts/alpha': 'SELECT x FROM staging.stg_s__one',
    });
    const order = orderModels(loadModels(dir)).map((model) => model.name);
    for (const [before, after] of [
      ['stg_s__two', 'int_a'],
      ['int_a', 'int_b'],
      ['stg_s__one', 'int_b'],
      ['int_b', 'zeta'],
      ['stg_s__one', 'alpha'],
    ] as const) {
      expect(order.indexOf(before), `${before} before ${after}`).toBeLessThan(order.indexOf(after));
    }
    expect(order).toEqual(orderModels(loadModels(dir).reverse()).map((model) => model.name));
  });

  it('selects a model with everything downstream of it', () => {
    const dir = modelsDir({
      'staging/stg_s__one': 'SELECT 1 AS x',
      'staging/stg_s__two': 'SELECT 2 AS x',
      'intermediate/int_a': 'SELECT x FROM staging.stg_s__one',
      'marts/m': 'SELECT x FROM intermediate.int_a',
      'marts/other': 'SELECT x FROM staging.stg_s__two',
    });
    expect(selectWithDependents(loadModels(dir), ['int_a']).map((model) => model.name)).toEqual([
      'int_a',
      'm',
    ]);
    expect(() => selectWithDependents(loadModels(dir), ['nope'])).toThrow("unknown model 'nope'");
  });

  it('reports a cycle with its path', () => {
    const dir = modelsDir({
      'intermediate/int_a': 'SELECT x FROM intermediate.int_b',
      'intermediate/int_b': 'SELECT x FROM intermediate.int_a',
    });
    expect(() => orderModels(loadModels(dir))).toThrow(
      /models form a cycle: int_a -> int_b -> int_a/,
    );
  });

  it('refuses references to unknown models and reads that point outward', () => {
    expect(() =>
      loadModels(modelsDir({ 'marts/m': 'SELECT x FROM intermediate.int_missing' })),
    ).toThrow(/unknown model intermediate\.int_missing/);
    expect(() =>
      loadModels(
        modelsDir({
          'staging/stg_s__a': 'SELECT 1 AS x',
          'staging/stg_s__b': 'SELECT x FROM staging.stg_s__a',
        }),
      ),
    ).toThrow(/staging models may not read staging\.stg_s__a/);
    expect(() =>
      loadModels(modelsDir({ 'intermediate/int_a': 'SELECT 1 AS x FROM raw.slack_messages' })),
    ).toThrow(/intermediate models may not read raw\.slack_messages/);
    expect(() => loadModels(modelsDir({ 'staging/badname': 'SELECT 1 AS x' }))).toThrow(
      /staging models must be named like/,
    );
  });

  it('lets a view take its unique key check only from a model it reads with the same key', () => {
    const load = (b: string, a = SPEC) => {
      const dir = modelsDir({
        'staging/stg_s__a': 'SELECT 1 AS x, 2 AS y',
        'intermediate/int_b': 'SELECT x FROM staging.stg_s__a',
        'intermediate/int_c': 'SELECT 1 AS x',
      });
      writeFileSync(join(dir, 'staging', 'stg_s__a.yml'), a);
      writeFileSync(join(dir, 'intermediate', 'int_b.yml'), SPEC + b);
      return loadModels(dir);
    };
    const view = 'materialized: view\n';
    const keyed = load(`${view}unique_key_of: stg_s__a\n`).find((model) => model.name === 'int_b');
    expect(keyed?.spec.unique_key_of).toBe('stg_s__a');
    const refused = (of: string) =>
      new RegExp(
        `int_b\\.yml.*unique_key_of: a view may take its unique key's check from a model it reads with the same unique key, and ${of} is not one`,
        's',
      );
    // A table keeps its check; a model not read, or keyed otherwise, checks nothing of its key.
    expect(() => load('unique_key_of: stg_s__a\n')).toThrow(refused('stg_s__a'));
    expect(() => load(`${view}unique_key_of: int_c\n`)).toThrow(refused('int_c'));
    expect(() =>
      load(
        `${view}unique_key_of: stg_s__a\n`,
        SPEC.replace('unique_key: [x]', 'unique_key: [x, y]') + '  y: The y.\n',
      ),
    ).toThrow(refused('stg_s__a'));
  });

  it('documents every column of every real model, exactly', async () => {
    const db = await tempWarehouse();
    await buildModels(db, defaultConfig());
    for (const model of loadModels()) {
      const columns = await db.parse(
        z.object({ column_name: z.string() }),
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
        [model.layer, model.name],
      );
      expect(Object.keys(model.spec.columns).sort(), `${model.layer}.${model.name}`).toEqual(
        columns.map((column) => column.column_name).sort(),
      );
    }
  });
});

describe('build', () => {
  it('keeps the previous complete build when a model fails half-way', async () => {
    const db = await tempWarehouse();
    const good = modelsDir({
      'staging/stg_s__one': 'SELECT 1 AS x',
      'marts/m': 'SELECT x FROM staging.stg_s__one',
    });
    await buildModels(db, defaultConfig(), { modelsDirectory: good });
    const broken = modelsDir({
      'staging/stg_s__one': 'SELECT 2 AS x',
      'marts/m': 'SELECT x / (SELECT no_such_column) FROM staging.stg_s__one',
    });
    await expect(buildModels(db, defaultConfig(), { modelsDirectory: broken })).rejects.toThrow(
      /model marts\.m failed/,
    );
    expect(await db.all('SELECT x FROM staging.stg_s__one')).toEqual([{ x: 1 }]);
  });

  it('rolls back a build whose invariants fail, naming the check', async () => {
    const db = await tempWarehouse();
    const dir = modelsDir({ 'staging/stg_s__one': 'SELECT 1 AS x UNION ALL SELECT 1' });
    await expect(buildModels(db, defaultConfig(), { modelsDirectory: dir })).rejects.toThrow(
      /1 data invariant failed.*stg_s__one: unique key \(x\) \(1 rows\)/,
    );
    expect(
      await db.all(
        `SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = 'stg_s__one'`,
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('keeps staging models as views and the rest as tables, converting what an older build left', async () => {
    const db = await tempWarehouse();
    await db.run('CREATE SCHEMA staging');
    await db.run('CREATE TABLE staging.stg_s__one AS SELECT 0 AS x');
    const dir = modelsDir({
      'staging/stg_s__one': 'SELECT 1 AS x',
      'marts/m': 'SELECT x FROM staging.stg_s__one',
    });
    await buildModels(db, defaultConfig(), { modelsDirectory: dir });
    expect(
      await db.all(
        `SELECT table_schema, table_type FROM information_schema.tables WHERE table_name IN ('stg_s__one', 'm') ORDER BY ALL`,
      ),
    ).toEqual([
      { table_schema: 'marts', table_type: 'BASE TABLE' },
      { table_schema: 'staging', table_type: 'VIEW' },
    ]);
    expect(await db.all('SELECT x FROM marts.m')).toEqual([{ x: 1 }]);
  });

  it('knows when the config has changed since the build, setting by setting', async () => {
    const db = await tempWarehouse();
    const config = defaultConfig();
    const dir = modelsDir({ 'staging/stg_s__one': 'SELECT 1 AS x' });
    expect(await staleBuildSettings(db, config)).toEqual(['the models have not been built yet']);
    await buildModels(db, config, { modelsDirectory: dir });
    expect(await staleBuildSettings(db, config)).toEqual([]);
    expect(
      await staleBuildSettings(db, {
        ...config,
        minGroupSize: 8,
        workingHours: { ...config.workingHours, days: [1, 2, 3] },
      }),
    ).toEqual([
      'workingHours.days: built with [1,2,3,4,5], configured [1,2,3]',
      'minGroupSize: built with 5, configured 8',
    ]);
  });

  it('reports each model’s time and row count, none for a view (counting would compute it)', async () => {
    const db = await tempWarehouse();
    const result = await buildModels(db, defaultConfig(), {
      modelsDirectory: modelsDir({
        'staging/stg_s__one': 'SELECT range AS x FROM range(3)',
        'intermediate/int_two': 'SELECT x FROM staging.stg_s__one WHERE x > 0',
      }),
    });
    expect(result.models).toEqual([
      {
        model: 'stg_s__one',
        layer: 'staging',
        rows: null,
        milliseconds: expect.any(Number) as number,
        partial: false,
      },
      {
        model: 'int_two',
        layer: 'intermediate',
        rows: 2,
        milliseconds: expect.any(Number) as number,
        partial: false,
      },
    ]);
    expect(
      await db.all(
        `SELECT model, row_count::INTEGER AS rows FROM meta.model_builds ORDER BY model`,
      ),
    ).toEqual([
      { model: 'int_two', rows: 2 },
      { model: 'stg_s__one', rows: null },
    ]);
  });
});
