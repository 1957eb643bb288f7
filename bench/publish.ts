/**
 * Publish figures: for a generated organisation (default 100 people over 52 weeks, the density of
 * `npm run bench`), the time to publish a snapshot of a built warehouse and the snapshot's size
 * beside the warehouse's. Figures only, no thresholds. `--people N --weeks W` picks the size.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { buildModels } from '../warehouse/build.ts';
import { defaultConfig } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { publishSnapshot } from '../warehouse/publish.ts';
import { generateBenchOrganisation } from './organisation.ts';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '100' },
    weeks: { type: 'string', default: '52' },
  },
});
const people = Number(values.people);
const weeks = Number(values.weeks);
const dir = mkdtempSync(join(tmpdir(), `syncbalance-bench-publish-${people}-`));
const file = join(dir, 'bench.duckdb');
const db = await Warehouse.open(file);
try {
  await generateBenchOrganisation(db, { people, weeks });
  const built = performance.now();
  await buildModels(db, defaultConfig());
  const buildSeconds = (performance.now() - built) / 1000;
  await db.run('CHECKPOINT');
  const first = await publishSnapshot(db, { keep: 3 });
  const second = await publishSnapshot(db, { keep: 3 });
  const mib = (bytes: number): string => (bytes / 1_048_576).toFixed(1);
  console.log(
    `${people} people × ${weeks} weeks: build ${buildSeconds.toFixed(1)} s; publish ${(first.milliseconds / 1000).toFixed(2)} s (again: ${(second.milliseconds / 1000).toFixed(2)} s); snapshot ${mib(first.bytes)} MiB (${first.tables} tables) beside a ${mib(statSync(file).size)} MiB warehouse`,
  );
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
