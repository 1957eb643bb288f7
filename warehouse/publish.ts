/**
 * `publish`: copies what readers need out of the working warehouse into a new snapshot file,
 * checks the copy, and makes it current atomically (see `snapshot.ts`). Readers need every table
 * of the `marts` schema (found generically, so a new mart is published without code here), the
 * settings the marts were built with, the import and build logs, the job log, the schema version
 * and a summary of each source's coverage.
 *
 * Runs in the writer's process, which holds the warehouse's write lock, so nothing can change the
 * models while they are copied: the snapshot is exactly one build.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { sqlString, type Warehouse } from './db.ts';
import { RuntimeFailure } from './errors.ts';
import {
  PARTIAL_SUFFIX,
  fsyncDirectory,
  newBuildId,
  pruneSnapshots,
  snapshotDirectory,
  snapshotFile,
  writeCurrent,
} from './snapshot.ts';

/** Meta tables the server and `status` read, copied as they are. */
const META_TABLES = [
  'build_params',
  'model_builds',
  'import_runs',
  'schema_migrations',
  'job_runs',
];

/** Named moments of a publish, for tests that kill the process there. */
export type PublishPoint = 'publish:copied' | 'publish:renamed';

export interface PublishOptions {
  /** How many snapshots to keep, the new one included (config `snapshots.keep`). */
  readonly keep: number;
  readonly now?: () => Date;
  /** Called at each named point; tests pause there to kill the process. */
  readonly checkpoint?: (point: PublishPoint) => Promise<void>;
}

export interface PublishResult {
  readonly buildId: string;
  readonly file: string;
  readonly bytes: number;
  readonly milliseconds: number;
  readonly tables: number;
  readonly removed: readonly string[];
}

const ALIAS = 'snapshot_out';

/** Per source: the span its coverage windows reach and how many there are (`status` reads it too). */
export const SOURCE_COVERAGE_SQL = `
  SELECT source, min(window_start) AS covered_from, max(window_end) AS covered_to, count(*)::BIGINT AS windows
  FROM (SELECT source, window_start, window_end FROM raw.calendar_coverage
        UNION ALL SELECT source, window_start, window_end FROM raw.slack_coverage)
  GROUP BY source ORDER BY source`;

async function countRows(db: Warehouse, table: string): Promise<number> {
  const row = await db.one(`SELECT count(*)::BIGINT AS n FROM ${table}`);
  return Number(row?.['n'] ?? 0);
}

export async function publishSnapshot(
  db: Warehouse,
  options: PublishOptions,
): Promise<PublishResult> {
  if (db.readOnly || db.inTransaction)
    throw new Error('publish needs the warehouse open for writing and outside a transaction');
  const now = options.now ?? (() => new Date());
  const started = performance.now();
  const marts = (
    await db.all(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY table_name`,
    )
  ).map((row) => z.string().parse(row['table_name']));
  const built = await db.one(
    `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE schema_name = 'meta' AND table_name = 'build_params'`,
  );
  if (marts.length === 0 || built?.['n'] === 0)
    throw new RuntimeFailure(
      `nothing to publish: the warehouse has no built models; run 'syncbalance build'`,
    );

  const publishedAt = now();
  const buildId = newBuildId(publishedAt);
  const directory = snapshotDirectory(db.path);
  mkdirSync(directory, { recursive: true });
  const final = snapshotFile(db.path, buildId);
  const partial = `${final.slice(0, -'.duckdb'.length)}${PARTIAL_SUFFIX}`;
  rmSync(partial, { force: true });

  const expected = new Map<string, number>();
  await db.run(`ATTACH ${sqlString(partial)} AS ${ALIAS}`);
  try {
    await db.run(`CREATE SCHEMA ${ALIAS}.marts`);
    await db.run(`CREATE SCHEMA ${ALIAS}.meta`);
    const copies = [
      ...marts.map((name) => `marts."${name}"`),
      ...META_TABLES.map((name) => `meta.${name}`),
    ];
    for (const table of copies) {
      await db.run(`CREATE TABLE ${ALIAS}.${table} AS SELECT * FROM ${table}`);
      expected.set(table, await countRows(db, table));
    }
    // Coverage per source, so readers can say which weeks each source knows without raw rows.
    await db.run(`CREATE TABLE ${ALIAS}.meta.source_coverage AS ${SOURCE_COVERAGE_SQL}`);
    const buildParams = await db.one(
      `SELECT strftime(built_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS built_at FROM meta.build_params`,
    );
    await db.run(
      `CREATE TABLE ${ALIAS}.meta.snapshot AS
       SELECT $build_id::VARCHAR AS build_id, $built_at::TIMESTAMPTZ AS built_at,
              $published_at::TIMESTAMPTZ AS published_at, $tables::JSON AS tables`,
      {
        build_id: buildId,
        built_at:
          z
            .string()
            .nullable()
            .parse(buildParams?.['built_at'] ?? null) ?? publishedAt.toISOString(),
        published_at: publishedAt.toISOString(),
        tables: JSON.stringify(Object.fromEntries(expected)),
      },
    );
  } finally {
    await db.run(`DETACH ${ALIAS}`);
  }
  await options.checkpoint?.('publish:copied');

  await checkSnapshot(db, partial, buildId, expected);
  const fd = openSync(partial, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, final);
  fsyncDirectory(directory);
  await options.checkpoint?.('publish:renamed');

  writeCurrent(db.path, { build_id: buildId, published_at: publishedAt.toISOString() });
  const removed = pruneSnapshots(db.path, options.keep, buildId);
  const result: PublishResult = {
    buildId,
    file: final,
    bytes: statSync(final).size,
    milliseconds: performance.now() - started,
    tables: expected.size,
    removed,
  };
  return result;
}

/** Reads the written file back: every table there with the row count it was copied with. */
async function checkSnapshot(
  db: Warehouse,
  partial: string,
  buildId: string,
  expected: ReadonlyMap<string, number>,
): Promise<void> {
  await db.run(`ATTACH ${sqlString(partial)} AS ${ALIAS} (READ_ONLY)`);
  try {
    const problems: string[] = [];
    for (const [table, rows] of expected) {
      const found = await countRows(db, `${ALIAS}.${table}`);
      if (found !== rows) problems.push(`${table}: ${found} rows, expected ${rows}`);
    }
    const id = await db.one(`SELECT build_id FROM ${ALIAS}.meta.snapshot`);
    if (id?.['build_id'] !== buildId) problems.push('meta.snapshot: wrong build id');
    if (problems.length > 0)
      throw new RuntimeFailure(
        `the new snapshot failed its check, the published one is kept: ${problems[0] ?? ''}`,
        problems,
      );
  } finally {
    await db.run(`DETACH ${ALIAS}`);
  }
}
