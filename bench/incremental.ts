/**
 * `npm run bench:incremental`: what an incremental build costs next to a full one. On a copy of a
 * warehouse with raw data (by default the 1,000-person × 52-week bench warehouse), the last
 * fourteen days of raw messages and calendar events are taken out and the rest is built in full;
 * the first seven are put back and built incrementally (the first weekly refresh after a full
 * build), then the last seven (the refresh a week later, as every later one is); then the same
 * data is built in full and every model table is compared with the incremental result (doubles
 * within 1e-9). Prints wall and CPU seconds of the builds (with their invariant checks and the
 * checkpoint that writes them to the file) and the ratios. Figures only: nothing is asserted.
 *
 *   node bench/incremental.ts [--from /work/benchdata/org-1000.duckdb | --people 1000] [--memory-limit 5GB] [--no-compare]
 */
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { performance } from 'node:perf_hooks';
import { buildModels, type BuildResult } from '../warehouse/build.ts';
import { defaultConfig } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { silentReporter } from '../warehouse/reporter.ts';
import {
  copyModelTables,
  dropModelCopies,
  modelTableDifferences,
  restorePeriod,
  withholdPeriod,
} from '../test/helpers/model-tables.ts';
import { generateBenchOrganisation } from './organisation.ts';

const { values } = parseArgs({
  allowNegative: true,
  options: {
    from: { type: 'string' },
    people: { type: 'string', default: '1000' },
    'memory-limit': { type: 'string', default: '5GB' },
    compare: { type: 'boolean', default: true },
  },
});

interface Measured {
  readonly result: BuildResult;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
}

/**
 * Times a build and the checkpoint after it: a commit that leaves less than DuckDB's checkpoint
 * threshold in the write-ahead log defers writing its changes to the next build, which would then
 * pay for them.
 */
async function measured(work: () => Promise<BuildResult>): Promise<Measured> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  await db.run('CHECKPOINT');
  const used = process.cpuUsage(cpu);
  return {
    result,
    wallSeconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'syncbalance-bench-incremental-'));
const file = join(dir, 'bench.duckdb');
if (values.from !== undefined) {
  copyFileSync(values.from, file);
  if (existsSync(`${values.from}.wal`)) copyFileSync(`${values.from}.wal`, `${file}.wal`);
  // A shared bench warehouse may be read-only; the copy must not be.
  chmodSync(file, 0o600);
}
const db = await Warehouse.open(file, { memoryLimit: values['memory-limit'] });
try {
  if (values.from === undefined) {
    process.stderr.write(`Generating ${values.people} people over 52 weeks…\n`);
    await generateBenchOrganisation(db, { people: Number(values.people), weeks: 52 });
  }
  const config = defaultConfig();
  // Weeks of seven days back from the latest message, whatever local weeks they fall in: the
  // week of the latest message alone may hold only the first hours of the zones east of UTC.
  const cuts = await db.one(
    `SELECT (max(ts) - INTERVAL 14 DAY)::VARCHAR AS first, (max(ts) - INTERVAL 7 DAY)::VARCHAR AS second
     FROM raw.slack_messages`,
  );
  const first = z.string().parse(cuts?.['first']);
  const second = z.string().parse(cuts?.['second']);
  process.stderr.write(
    `Withholding the last fourteen days of raw data (from ${first}), full build of the rest…\n`,
  );
  await withholdPeriod(db, second, '9999-01-01 00:00:00+00', 'stash_second');
  await withholdPeriod(db, first, second, 'stash_first');
  const before = await measured(() => buildModels(db, config, { reporter: silentReporter }));
  const refresh = async (stash: string): Promise<Measured> => {
    await restorePeriod(db, stash);
    await db.run('CHECKPOINT');
    return measured(() => buildModels(db, config, { reporter: silentReporter }));
  };
  process.stderr.write(`Incremental build after adding the first seven days (${first})…\n`);
  const afterFull = await refresh('stash_first');
  process.stderr.write(`Incremental build after adding the next seven days (${second})…\n`);
  const incremental = await refresh('stash_second');
  if (values.compare) await copyModelTables(db);
  process.stderr.write('Full build of the same data…\n');
  const full = await measured(() =>
    buildModels(db, config, { full: true, reporter: silentReporter }),
  );
  const differences = values.compare ? await modelTableDifferences(db) : undefined;
  await dropModelCopies(db);

  const seconds = (value: number) => value.toFixed(1);
  const row = (label: string, run: Measured) => ({
    build: label,
    mode:
      run.result.mode?.kind === 'incremental'
        ? `incremental (${run.result.mode.weeks.length} weeks)`
        : (run.result.mode?.kind ?? ''),
    'wall s': seconds(run.wallSeconds),
    'CPU s': seconds(run.cpuSeconds),
    'checks s': seconds(run.result.checksMilliseconds / 1000),
  });
  console.table([
    row('full, without the last 14 days (setup)', before),
    row('incremental, +7 days, first after full', afterFull),
    row('incremental, +7 days, a week later', incremental),
    row('full, 52 weeks', full),
  ]);
  const ratio = (run: Measured) =>
    `wall ${((100 * run.wallSeconds) / full.wallSeconds).toFixed(1)}%, ` +
    `CPU ${((100 * run.cpuSeconds) / full.cpuSeconds).toFixed(1)}%`;
  console.log(
    `incremental ÷ full: ${ratio(incremental)} a week later; ${ratio(afterFull)} first after full`,
  );
  const weeksOf = (run: Measured) =>
    run.result.mode?.kind === 'incremental' ? run.result.mode.weeks.join(', ') : '-';
  console.log(`weeks rebuilt: ${weeksOf(incremental)} (first after full: ${weeksOf(afterFull)})`);
  const slowest = [...incremental.result.models]
    .sort((a, b) => b.milliseconds - a.milliseconds)
    .slice(0, 12)
    .map(
      (model) =>
        `${model.model}${model.partial ? ' (partly)' : ''} ${(model.milliseconds / 1000).toFixed(2)} s`,
    );
  console.log(`incremental, slowest models: ${slowest.join(', ')}`);
  if (differences !== undefined)
    console.log(
      Object.keys(differences).length === 0
        ? 'every intermediate and mart table equals the full build (doubles within 1e-9)'
        : `DIFFERENCES: ${JSON.stringify(differences)}`,
    );
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
