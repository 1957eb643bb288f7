/**
 * The bench organisation: every bench measures the same generated company (seed 7, about 20
 * meetings and 250 messages per person-week, ending with the last complete week), so figures from
 * different benches and sessions describe the same data. A warehouse of it can also be written
 * once and reused with `--from`:
 *
 *   node bench/organisation.ts --people 1000 --weeks 52 --out /work/benchdata/org-1000.duckdb
 */
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { generateOrganisation } from '../ingest/demo/generate.ts';
import { lastCompleteWeekStart } from '../warehouse/dates.ts';
import { Warehouse } from '../warehouse/db.ts';
import { Pseudonymizer } from '../warehouse/identity.ts';
import { silentReporter } from '../warehouse/reporter.ts';

export interface BenchOrganisation {
  readonly people: number;
  readonly weeks: number;
}

/** Generates the bench organisation's raw data into `db` and checkpoints it. */
export async function generateBenchOrganisation(
  db: Warehouse,
  { people, weeks }: BenchOrganisation,
): Promise<void> {
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
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '1000' },
      weeks: { type: 'string', default: '52' },
      out: { type: 'string' },
      'memory-limit': { type: 'string', default: '5GB' },
    },
  });
  if (values.out === undefined) throw new Error('--out <file.duckdb> is required');
  if (existsSync(values.out)) throw new Error(`${values.out} exists: remove it first`);
  const started = performance.now();
  const db = await Warehouse.open(values.out, { memoryLimit: values['memory-limit'] });
  try {
    await generateBenchOrganisation(db, {
      people: Number(values.people),
      weeks: Number(values.weeks),
    });
  } finally {
    db.close();
  }
  process.stderr.write(
    `${values.out}: ${values.people} people × ${values.weeks} weeks in ${((performance.now() - started) / 1000).toFixed(0)} s, ${(statSync(values.out).size / 2 ** 20).toFixed(0)} MiB\n`,
  );
}
