/**
 * `npm run bench`: how the metric build scales. For organisations of about 100, 1,000 and 5,000
 * people over 52 weeks (about 20 meetings and 250 messages per person-week) it prints raw row
 * counts, generation time, full build time (wall and CPU seconds: on a shared machine the CPU time
 * is the steadier figure), peak memory and warehouse size, and, as the floor, the time of one
 * aggregate scan over the raw tables in the same run (build ÷ scan). Then, per size, each model's
 * wall time, CPU time and peak resident memory, and the metric floor: merged meeting hours and the
 * median clock response time per person-week, each written as one plain DuckDB query over the raw
 * tables, timed against the project's models behind them in the same run, with the ratio and a
 * check that both give the same numbers as `marts.person_weeks`.
 *
 * Each size runs in its own child process, so peak memory is that size's own. Figures only: no
 * threshold is asserted anywhere. `--sizes 100,1000` picks sizes; `--keep` keeps the files;
 * `--from <warehouse>` takes the raw data of an existing warehouse (copied, never modified)
 * instead of generating it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { buildModels } from '../warehouse/build.ts';
import { defaultConfig } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { costProbe, measured } from './probe.ts';
import { FLOOR_QUERIES, floorDifferences, type FloorMetric } from './floor.ts';
import { generateBenchOrganisation } from './organisation.ts';

const modelSchema = z.object({
  model: z.string(),
  layer: z.string(),
  rows: z.number().nullable(),
  wallSeconds: z.number(),
  cpuSeconds: z.number(),
  peakRssMiB: z.number(),
});
const floorSchema = z.object({
  metric: z.string(),
  models: z.array(z.string()),
  modelsWallSeconds: z.number(),
  modelsCpuSeconds: z.number(),
  floorWallSeconds: z.number(),
  floorCpuSeconds: z.number(),
  compared: z.number(),
  different: z.number(),
});
const resultSchema = z.object({
  people: z.number(),
  rows: z.record(z.string(), z.number()),
  generateSeconds: z.number(),
  buildSeconds: z.number(),
  buildCpuSeconds: z.number(),
  checkSeconds: z.number(),
  scanSeconds: z.number(),
  peakRssMiB: z.number(),
  buildPeakRssMiB: z.number(),
  warehouseMiB: z.number(),
  loadAverage: z.array(z.number()),
  models: z.array(modelSchema),
  floor: z.array(floorSchema),
});
type Result = z.infer<typeof resultSchema>;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,5000' },
    weeks: { type: 'string', default: '52' },
    one: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'memory-limit': { type: 'string', default: '12GB' },
    from: { type: 'string' },
  },
});

/**
 * The models behind each floor metric: those that compute it from the raw rows (the person-week
 * calendar, int_person_weeks and what it reads, is an input of the floor queries too). Models a
 * revision lacks are left out.
 */
const MODELS_BEHIND: Record<FloorMetric, readonly string[]> = {
  meeting_hours: ['int_meetings', 'int_interval_unions', 'int_person_week_hours'],
  response_median_wall_minutes: [
    'int_slack_identities',
    'int_messages',
    'int_working_time',
    'int_person_timeline',
    'int_responses',
  ],
};

async function runOne(people: number, weeks: number, keep: boolean): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), `syncbalance-bench-${people}-`));
  const file = join(dir, 'bench.duckdb');
  if (values.from !== undefined) {
    copyFileSync(values.from, file);
    if (existsSync(`${values.from}.wal`)) copyFileSync(`${values.from}.wal`, `${file}.wal`);
  }
  // A fixed memory limit keeps the largest size within this 24 GB machine: DuckDB spills beyond it.
  const db = await Warehouse.open(file, { memoryLimit: values['memory-limit'] });
  try {
    const started = performance.now();
    if (values.from === undefined) {
      await generateBenchOrganisation(db, { people, weeks });
    }
    const generateSeconds = (performance.now() - started) / 1000;

    const counts = await db.parse(
      z.object({ name: z.string(), rows: z.number() }),
      `SELECT 'roster_people' AS name, count(DISTINCT person_id)::INTEGER AS rows FROM raw.roster_people
       UNION ALL SELECT 'calendar_events', count(*)::INTEGER FROM raw.calendar_events
       UNION ALL SELECT 'calendar_attendees', count(*)::INTEGER FROM raw.calendar_attendees
       UNION ALL SELECT 'slack_messages', count(*)::INTEGER FROM raw.slack_messages`,
    );
    // The floor: one pass over every raw row, aggregating a column of each table.
    const scanStarted = performance.now();
    await db.all(
      `SELECT (SELECT sum(epoch_us(ts) % 1000) FROM raw.slack_messages) AS messages,
              (SELECT sum(epoch_us(start_at) % 1000) FROM raw.calendar_events) AS events,
              (SELECT count(DISTINCT attendee_id) FROM raw.calendar_attendees) AS attendees`,
    );
    const scanSeconds = (performance.now() - scanStarted) / 1000;

    const probe = costProbe();
    const build = await measured(() =>
      // Full, always: a warehouse taken with --from may hold the record of an earlier build, and
      // an incremental build of unchanged data rebuilds nothing.
      buildModels(db, defaultConfig(), { full: true, skipChecks: true, reporter: probe.reporter }),
    );
    probe.stop();
    const models = build.value.models.map((timing, index) => ({
      model: timing.model,
      layer: timing.layer,
      rows: timing.rows,
      wallSeconds: timing.milliseconds / 1000,
      cpuSeconds: probe.costs[index]?.cpuSeconds ?? 0,
      peakRssMiB: probe.costs[index]?.peakRssMiB ?? 0,
    }));
    const buildPeakRssMiB = Math.max(...models.map((model) => model.peakRssMiB));

    const checkStarted = performance.now();
    const { runChecks } = await import('../warehouse/checks.ts');
    const { loadModels } = await import('../warehouse/models.ts');
    const failures = await runChecks(db, loadModels());
    if (failures.length > 0) throw new Error(`invariants failed: ${JSON.stringify(failures)}`);
    const checkSeconds = (performance.now() - checkStarted) / 1000;

    const floor = [];
    for (const [metric, sql] of Object.entries(FLOOR_QUERIES) as [FloorMetric, string][]) {
      const behind = models.filter((model) => MODELS_BEHIND[metric].includes(model.model));
      const timed = await measured(() =>
        db.run(`CREATE OR REPLACE TEMP TABLE floor_${metric} AS ${sql}`),
      );
      const { compared, different } = await floorDifferences(db, metric);
      floor.push({
        metric,
        models: behind.map((model) => model.model),
        modelsWallSeconds: behind.reduce((sum, model) => sum + model.wallSeconds, 0),
        modelsCpuSeconds: behind.reduce((sum, model) => sum + model.cpuSeconds, 0),
        floorWallSeconds: timed.wallSeconds,
        floorCpuSeconds: timed.cpuSeconds,
        compared,
        different,
      });
    }
    await db.run('CHECKPOINT');
    db.close();
    const size =
      statSync(file).size + (existsSync(`${file}.wal`) ? statSync(`${file}.wal`).size : 0);
    return {
      people: counts.find((count) => count.name === 'roster_people')?.rows ?? people,
      rows: Object.fromEntries(counts.map((count) => [count.name, count.rows])),
      generateSeconds,
      buildSeconds: build.value.totalMilliseconds / 1000,
      buildCpuSeconds: build.cpuSeconds,
      checkSeconds,
      scanSeconds,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      buildPeakRssMiB,
      warehouseMiB: size / 2 ** 20,
      loadAverage: loadavg(),
      models,
      floor,
    };
  } finally {
    db.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (values.one !== undefined) {
  process.stdout.write(
    `${JSON.stringify(await runOne(Number(values.one), Number(values.weeks), values.keep))}\n`,
  );
} else {
  const results: Result[] = [];
  for (const size of values.sizes.split(',').map(Number)) {
    process.stderr.write(
      `Benchmarking ${size.toLocaleString('en-US')} people over ${values.weeks} weeks…\n`,
    );
    const child = spawnSync(
      process.execPath,
      [
        import.meta.filename,
        '--one',
        String(size),
        '--weeks',
        values.weeks,
        '--memory-limit',
        values['memory-limit'],
        ...(values.keep ? ['--keep'] : []),
        ...(values.from === undefined ? [] : ['--from', values.from]),
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 20,
      },
    );
    if (child.status !== 0) {
      process.stderr.write(`size ${size} failed (exit ${child.status ?? child.signal ?? '?'})\n`);
      process.exitCode = 1;
      continue;
    }
    results.push(resultSchema.parse(JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}')));
  }
  const number = (value: number, digits = 0) =>
    value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.table(
    results.map((result) => ({
      people: number(result.people),
      'calendar events': number(result.rows['calendar_events'] ?? 0),
      attendees: number(result.rows['calendar_attendees'] ?? 0),
      messages: number(result.rows['slack_messages'] ?? 0),
      'generate+import s': number(result.generateSeconds, 1),
      'build s': number(result.buildSeconds, 1),
      'build CPU s': number(result.buildCpuSeconds, 1),
      'checks s': number(result.checkSeconds, 1),
      'raw scan s': number(result.scanSeconds, 2),
      'build ÷ scan': number(result.buildSeconds / result.scanSeconds, 1),
      'build peak RSS MiB': number(result.buildPeakRssMiB),
      'peak RSS MiB': number(result.peakRssMiB),
      'warehouse MiB': number(result.warehouseMiB),
      'load average': result.loadAverage.map((load) => load.toFixed(1)).join(' '),
    })),
  );
  for (const result of results) {
    process.stdout.write(`\nModels at ${number(result.people)} people (build order):\n`);
    console.table(
      result.models
        .filter((model) => model.layer !== 'staging')
        .map((model) => ({
          model: `${model.layer}.${model.model}`,
          rows: model.rows === null ? 'view' : number(model.rows),
          'wall s': number(model.wallSeconds, 2),
          'CPU s': number(model.cpuSeconds, 2),
          'peak RSS MiB': number(model.peakRssMiB),
        })),
    );
    process.stdout.write(
      `\nThe floor at ${number(result.people)} people: each metric as one plain query over the raw tables, against the models behind it, in the same run:\n`,
    );
    console.table(
      result.floor.map((floor) => ({
        metric: floor.metric,
        'models wall s': number(floor.modelsWallSeconds, 2),
        'models CPU s': number(floor.modelsCpuSeconds, 2),
        'floor wall s': number(floor.floorWallSeconds, 2),
        'floor CPU s': number(floor.floorCpuSeconds, 2),
        'models ÷ floor (CPU)': number(floor.modelsCpuSeconds / floor.floorCpuSeconds, 2),
        'models ÷ floor (wall)': number(floor.modelsWallSeconds / floor.floorWallSeconds, 2),
        'equal to marts.person_weeks': `${number(floor.compared - floor.different)} of ${number(floor.compared)}`,
        models: floor.models.join(', '),
      })),
    );
  }
}
