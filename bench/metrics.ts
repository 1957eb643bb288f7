/**
 * `npm run bench`: how the metric build scales. For organisations of about 100, 1,000 and 5,000
 * people over 52 weeks (about 20 meetings and 250 messages per person-week) it prints raw row
 * counts, generation time, full build time, peak memory and warehouse size, and, as the floor,
 * the time of one aggregate scan over the raw tables in the same run (build ÷ scan).
 *
 * Each size runs in its own child process, so peak memory is that size's own. Figures only: no
 * threshold is asserted anywhere. `--sizes 100,1000` picks sizes; `--keep` keeps the files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { generateOrganisation } from '../ingest/demo/generate.ts';
import { buildModels } from '../warehouse/build.ts';
import { defaultConfig } from '../warehouse/config.ts';
import { lastCompleteWeekStart } from '../warehouse/dates.ts';
import { Warehouse } from '../warehouse/db.ts';
import { Pseudonymizer } from '../warehouse/identity.ts';
import { silentReporter } from '../warehouse/reporter.ts';

const resultSchema = z.object({
  people: z.number(),
  rows: z.record(z.string(), z.number()),
  generateSeconds: z.number(),
  buildSeconds: z.number(),
  checkSeconds: z.number(),
  scanSeconds: z.number(),
  peakRssMiB: z.number(),
  warehouseMiB: z.number(),
});
type Result = z.infer<typeof resultSchema>;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,5000' },
    weeks: { type: 'string', default: '52' },
    one: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'memory-limit': { type: 'string', default: '12GB' },
  },
});

async function runOne(people: number, weeks: number, keep: boolean): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), `syncbalance-bench-${people}-`));
  const file = join(dir, 'bench.duckdb');
  // A fixed memory limit keeps the largest size within this 24 GB machine: DuckDB spills beyond it.
  const db = await Warehouse.open(file, { memoryLimit: values['memory-limit'] });
  try {
    const started = performance.now();
    await generateOrganisation(db, new Pseudonymizer('benchmark-salt-0123456789'), {
      seed: 7,
      lastWeek: lastCompleteWeekStart(new Date(), 'UTC'),
      weeks,
      people,
      meetingsPerPersonWeek: 20,
      messagesPerPersonWeek: 250,
      reporter: silentReporter,
    });
    await db.run('CHECKPOINT');
    const generateSeconds = (performance.now() - started) / 1000;

    const counts = await db.parse(
      z.object({ name: z.string(), rows: z.number() }),
      `SELECT 'roster_people' AS name, count(*)::INTEGER AS rows FROM raw.roster_people
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

    const build = await buildModels(db, defaultConfig(), { skipChecks: true });
    const checkStarted = performance.now();
    const { runChecks } = await import('../warehouse/checks.ts');
    const { loadModels } = await import('../warehouse/models.ts');
    const failures = await runChecks(db, loadModels());
    if (failures.length > 0) throw new Error(`invariants failed: ${JSON.stringify(failures)}`);
    const checkSeconds = (performance.now() - checkStarted) / 1000;
    await db.run('CHECKPOINT');
    db.close();
    const size =
      statSync(file).size + (existsSync(`${file}.wal`) ? statSync(`${file}.wal`).size : 0);
    return {
      people,
      rows: Object.fromEntries(counts.map((count) => [count.name, count.rows])),
      generateSeconds,
      buildSeconds: build.totalMilliseconds / 1000,
      checkSeconds,
      scanSeconds,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      warehouseMiB: size / 2 ** 20,
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
      'checks s': number(result.checkSeconds, 1),
      'raw scan s': number(result.scanSeconds, 2),
      'build ÷ scan': number(result.buildSeconds / result.scanSeconds, 1),
      'peak RSS MiB': number(result.peakRssMiB),
      'warehouse MiB': number(result.warehouseMiB),
    })),
  );
}
