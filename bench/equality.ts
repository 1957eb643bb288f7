/**
 * `node bench/equality.ts`: do this checkout's models compute exactly what another revision's
 * models compute? Builds the models of `--base` (default `main`, read from git into a temporary
 * folder) and then this checkout's models on the same raw data, and compares every intermediate
 * and mart table with `EXCEPT ALL` both ways, printing one line per table.
 *
 * Doubles are compared twice: bit for bit, and rounded to 9 significant digits (below 1e-9 as 0).
 * DuckDB's parallel sums add in a thread-dependent order, so two builds of the same models can
 * differ in the last bits (a difference of two such sums can be 1e-15 instead of 0); a table whose
 * rows differ only there is "equal within 1e-9". Rows that differ bit for bit are also matched on
 * the model's unique key and the largest difference of any double is printed (relative above 1,
 * absolute below), so a straddled rounding boundary is told apart from a real difference.
 *
 * The raw data comes from `--warehouse <file>` (copied first, never modified) or is generated with
 * `--people N --weeks W` by the bench generator. Exits 1 when a table differs. Figures and verdicts
 * only: no test runs this.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { buildModels, type BuildResult } from '../warehouse/build.ts';
import { defaultConfig } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { loadModels } from '../warehouse/models.ts';
import { costProbe, type ModelCost } from './probe.ts';
import { generateBenchOrganisation } from './organisation.ts';

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'main' },
    warehouse: { type: 'string' },
    people: { type: 'string', default: '150' },
    weeks: { type: 'string', default: '52' },
    'memory-limit': { type: 'string', default: '4GB' },
    keep: { type: 'boolean', default: false },
    /** The --warehouse file already holds a build of --base's models: compare with that. */
    prebuilt: { type: 'boolean', default: false },
  },
});

const REPO = join(import.meta.dirname, '..');
const LAYERS = ['intermediate', 'marts'] as const;
const BASE_PREFIX = 'base_';

const dir = mkdtempSync(join(tmpdir(), 'syncbalance-equality-'));
const file = join(dir, 'equality.duckdb');
const baseModels = join(dir, 'base');

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function prepareData(): Promise<Warehouse> {
  if (values.warehouse !== undefined) {
    copyFileSync(values.warehouse, file);
    if (existsSync(`${values.warehouse}.wal`))
      copyFileSync(`${values.warehouse}.wal`, `${file}.wal`);
    return Warehouse.open(file, { memoryLimit: values['memory-limit'] });
  }
  const db = await Warehouse.open(file, { memoryLimit: values['memory-limit'] });
  say(`Generating ${values.people} people over ${values.weeks} weeks…`);
  await generateBenchOrganisation(db, {
    people: Number(values.people),
    weeks: Number(values.weeks),
  });
  return db;
}

const relationSchema = z.object({ schema: z.string(), name: z.string() });
const columnSchema = z.object({ name: z.string(), type: z.string() });

async function relations(db: Warehouse, schema: string): Promise<string[]> {
  const rows = await db.parse(
    relationSchema,
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_schema = $1 ORDER BY table_name`,
    [schema],
  );
  return rows.map((row) => row.name);
}

async function columns(db: Warehouse, schema: string, table: string) {
  return db.parse(
    columnSchema,
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
     WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, table],
  );
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const isFloat = (type: string): boolean => /^(DOUBLE|FLOAT|REAL)$/.test(type);
const isFloatList = (type: string): boolean => /^(DOUBLE|FLOAT|REAL)\[\d*\]$/.test(type);

/** The column as compared after rounding: doubles (and lists of them) to 9 significant digits. */
function rounded(column: { name: string; type: string }): string {
  if (isFloat(column.type)) return `sig9(${quote(column.name)}) AS ${quote(column.name)}`;
  if (isFloatList(column.type))
    return `list_transform(${quote(column.name)}, x -> sig9(x)) AS ${quote(column.name)}`;
  return quote(column.name);
}

interface Comparison {
  readonly table: string;
  readonly baseRows: number;
  readonly oursRows: number;
  readonly exactOnlyBase: number;
  readonly exactOnlyOurs: number;
  readonly roundedOnlyBase: number;
  readonly roundedOnlyOurs: number;
  readonly maxRelativeDifference: number | null;
  readonly note: string;
}

async function count(db: Warehouse, sql: string): Promise<number> {
  return Number((await db.one(`SELECT count(*)::BIGINT AS n FROM (${sql})`))?.['n'] ?? 0);
}

async function compare(
  db: Warehouse,
  layer: string,
  table: string,
  uniqueKey: readonly string[] | undefined,
): Promise<Comparison> {
  const base = `${BASE_PREFIX}${layer}.${table}`;
  const ours = `${layer}.${table}`;
  const baseColumns = await columns(db, `${BASE_PREFIX}${layer}`, table);
  const ourColumns = await columns(db, layer, table);
  const baseRows = await count(db, `SELECT 1 FROM ${base}`);
  const oursRows = await count(db, `SELECT 1 FROM ${ours}`);
  const signature = (list: { name: string; type: string }[]) =>
    list
      .map((column) => `${column.name} ${column.type}`)
      .sort()
      .join(', ');
  if (signature(baseColumns) !== signature(ourColumns)) {
    return {
      table: ours,
      baseRows,
      oursRows,
      exactOnlyBase: -1,
      exactOnlyOurs: -1,
      roundedOnlyBase: -1,
      roundedOnlyOurs: -1,
      maxRelativeDifference: null,
      note: `columns differ: base (${signature(baseColumns)}) vs ours (${signature(ourColumns)})`,
    };
  }
  // Same column order on both sides, whatever order each model selects them in.
  const plain = baseColumns.map((column) => quote(column.name)).join(', ');
  const round = baseColumns.map(rounded).join(', ');
  const exactOnlyBase = await count(
    db,
    `SELECT ${plain} FROM ${base} EXCEPT ALL SELECT ${plain} FROM ${ours}`,
  );
  const exactOnlyOurs = await count(
    db,
    `SELECT ${plain} FROM ${ours} EXCEPT ALL SELECT ${plain} FROM ${base}`,
  );
  let roundedOnlyBase = 0;
  let roundedOnlyOurs = 0;
  let maxRelativeDifference: number | null = null;
  let note = '';
  if (exactOnlyBase + exactOnlyOurs > 0) {
    roundedOnlyBase = await count(
      db,
      `SELECT ${round} FROM ${base} EXCEPT ALL SELECT ${round} FROM ${ours}`,
    );
    roundedOnlyOurs = await count(
      db,
      `SELECT ${round} FROM ${ours} EXCEPT ALL SELECT ${round} FROM ${base}`,
    );
    const floats = baseColumns.filter((column) => isFloat(column.type));
    if (uniqueKey !== undefined && floats.length > 0) {
      // Matched on the key: the largest relative difference of any double, and whether the
      // other columns agree on every matched row.
      const on = uniqueKey.map((key) => `b.${quote(key)} IS NOT DISTINCT FROM o.${quote(key)}`);
      const others = baseColumns.filter(
        (column) => !isFloat(column.type) && !isFloatList(column.type),
      );
      const relative = floats.map(
        (column) =>
          `coalesce(abs(b.${quote(column.name)} - o.${quote(column.name)}) / greatest(1, abs(b.${quote(column.name)})), CASE WHEN (b.${quote(column.name)} IS NULL) = (o.${quote(column.name)} IS NULL) THEN 0 ELSE 1e300 END)`,
      );
      const row = await db.one(
        `SELECT max(greatest(${relative.join(', ')}))::DOUBLE AS worst,
                count(*) FILTER (WHERE NOT (${others.map((column) => `b.${quote(column.name)} IS NOT DISTINCT FROM o.${quote(column.name)}`).join(' AND ') || 'true'}))::BIGINT AS other_differences
         FROM ${base} AS b JOIN ${ours} AS o ON ${on.join(' AND ')}`,
      );
      maxRelativeDifference = Number(row?.['worst'] ?? 0);
      const otherDifferences = Number(row?.['other_differences'] ?? 0);
      if (otherDifferences > 0)
        note = `${otherDifferences} key-matched rows differ outside doubles`;
    }
  }
  return {
    table: ours,
    baseRows,
    oursRows,
    exactOnlyBase,
    exactOnlyOurs,
    roundedOnlyBase,
    roundedOnlyOurs,
    maxRelativeDifference,
    note,
  };
}

function costsByModel(result: BuildResult, costs: readonly ModelCost[]) {
  return new Map(
    result.models.map((timing, index) => [
      timing.model,
      { wallSeconds: timing.milliseconds / 1000, cpuSeconds: costs[index]?.cpuSeconds ?? 0 },
    ]),
  );
}

try {
  execFileSync('sh', [
    '-c',
    `git -C ${JSON.stringify(REPO)} archive ${JSON.stringify(values.base)} warehouse/models | tar -x -C ${JSON.stringify(dir)} && mv ${JSON.stringify(join(dir, 'warehouse', 'models'))} ${JSON.stringify(baseModels)}`,
  ]);
  const db = await prepareData();
  try {
    const config = defaultConfig();
    say(
      values.prebuilt
        ? `Using the warehouse's own build as ${values.base}'s…`
        : `Building ${values.base}'s models…`,
    );
    const baseStarted = performance.now();
    const baseProbe = costProbe();
    const baseBuild: BuildResult = values.prebuilt
      ? { models: [], checksMilliseconds: 0, totalMilliseconds: 0 }
      : await buildModels(db, config, {
          modelsDirectory: baseModels,
          skipChecks: true,
          reporter: baseProbe.reporter,
        });
    baseProbe.stop();
    const baseSeconds = (performance.now() - baseStarted) / 1000;
    for (const layer of LAYERS) {
      await db.run(`CREATE SCHEMA ${BASE_PREFIX}${layer}`);
      for (const table of await relations(db, layer)) {
        await db.run(`CREATE TABLE ${BASE_PREFIX}${layer}.${table} AS FROM ${layer}.${table}`);
      }
    }
    await db.run('CHECKPOINT');
    say('Building this checkout’s models (with the invariant checks)…');
    const oursStarted = performance.now();
    const ourProbe = costProbe();
    const oursBuild = await buildModels(db, config, { reporter: ourProbe.reporter });
    ourProbe.stop();
    const oursSeconds = (performance.now() - oursStarted) / 1000;

    const ourModels = new Map(loadModels().map((model) => [model.name, model]));
    const results: Comparison[] = [];
    for (const layer of LAYERS) {
      await db.run(
        `CREATE OR REPLACE TEMP MACRO sig9(x) AS CASE WHEN x IS NULL OR isinf(x) OR isnan(x) THEN x WHEN abs(x) < 1e-9 THEN 0 ELSE round(x, 8 - floor(log10(abs(x)))::INTEGER) END`,
      );
      const baseTables = await relations(db, `${BASE_PREFIX}${layer}`);
      const ourTables = await relations(db, layer);
      for (const table of [...new Set([...baseTables, ...ourTables])].sort()) {
        if (!baseTables.includes(table) || !ourTables.includes(table)) {
          say(`${layer}.${table}: only in ${baseTables.includes(table) ? values.base : 'ours'}`);
          continue;
        }
        results.push(await compare(db, layer, table, ourModels.get(table)?.spec.unique_key));
      }
    }
    const baseCosts = costsByModel(baseBuild, baseProbe.costs);
    const ourCosts = costsByModel(oursBuild, ourProbe.costs);
    const cpuTotal = (costs: Map<string, { cpuSeconds: number }>) =>
      [...costs.values()].reduce((sum, cost) => sum + cost.cpuSeconds, 0);
    const number = (value: number, digits = 0) =>
      value.toLocaleString('en-US', {
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      });
    console.table(
      results.map((result) => {
        const model = result.table.split('.')[1] ?? '';
        const equal = result.exactOnlyBase === 0 && result.exactOnlyOurs === 0;
        const withinRounding = result.roundedOnlyBase === 0 && result.roundedOnlyOurs === 0;
        const withinTolerance =
          result.maxRelativeDifference !== null &&
          result.maxRelativeDifference <= 1e-9 &&
          result.note === '' &&
          result.baseRows === result.oursRows;
        return {
          table: result.table,
          rows: number(result.oursRows),
          verdict: equal
            ? 'identical'
            : withinRounding || withinTolerance
              ? 'equal within 1e-9'
              : 'DIFFERENT',
          'exact base−ours / ours−base': `${result.exactOnlyBase} / ${result.exactOnlyOurs}`,
          'rounded base−ours / ours−base': `${result.roundedOnlyBase} / ${result.roundedOnlyOurs}`,
          'max rel diff': result.maxRelativeDifference?.toExponential(1) ?? '',
          [`${values.base} wall / CPU s`]: `${number(baseCosts.get(model)?.wallSeconds ?? 0, 2)} / ${number(baseCosts.get(model)?.cpuSeconds ?? 0, 2)}`,
          'ours wall / CPU s': `${number(ourCosts.get(model)?.wallSeconds ?? 0, 2)} / ${number(ourCosts.get(model)?.cpuSeconds ?? 0, 2)}`,
          note: result.note,
        };
      }),
    );
    const different = results.filter(
      (result) =>
        result.baseRows !== result.oursRows ||
        result.note !== '' ||
        ((result.roundedOnlyBase > 0 || result.roundedOnlyOurs > 0 || result.exactOnlyBase < 0) &&
          !(result.maxRelativeDifference !== null && result.maxRelativeDifference <= 1e-9)),
    );
    say(
      `${results.length} tables compared; ${different.length} different. Build: ${values.base} ${number(baseSeconds, 1)} s (models ${number(baseBuild.totalMilliseconds / 1000, 1)} s, ${number(cpuTotal(baseCosts), 1)} CPU-s), ours ${number(oursSeconds, 1)} s with checks (models ${number(oursBuild.totalMilliseconds / 1000, 1)} s, ${number(cpuTotal(ourCosts), 1)} CPU-s; checks ${number(oursBuild.checksMilliseconds / 1000, 1)} s).`,
    );
    if (different.length > 0) process.exitCode = 1;
  } finally {
    db.close();
  }
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else say(`Kept ${dir}`);
}
