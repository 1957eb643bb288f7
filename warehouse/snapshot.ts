/**
 * Published snapshots: the files readers open. The writer keeps the working warehouse (raw tables
 * and models); `publish.ts` copies what readers need into `<db>.snapshots/<build-id>.duckdb` and
 * then replaces the small pointer file `<db>.snapshots/current` by an atomic rename. A reader
 * that reads the pointer therefore finds either the previous complete snapshot or the new one,
 * never a half-written file, and a process killed at any moment leaves the pointer as it was.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { Warehouse } from './db.ts';
import { RuntimeFailure } from './errors.ts';

/** The folder beside the warehouse that holds its snapshots, the pointer and the job state files. */
export function snapshotDirectory(dbPath: string): string {
  return `${dbPath}.snapshots`;
}

export const SNAPSHOT_SUFFIX = '.duckdb';
/** A snapshot being written; never opened by a reader, removed by the next publish when left over. */
export const PARTIAL_SUFFIX = '.duckdb.partial';

const BUILD_ID = /^\d{8}T\d{9}Z-[0-9a-f]{6}$/;

/**
 * A build id sorts by time as text (UTC down to the millisecond), with random hex so two
 * publishes in the same millisecond (two warehouses, one folder) cannot collide.
 */
export function newBuildId(now: Date): string {
  const stamp = now.toISOString().replaceAll('-', '').replaceAll(':', '').replace('.', '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function isBuildId(text: string): boolean {
  return BUILD_ID.test(text);
}

export function snapshotFile(dbPath: string, buildId: string): string {
  return join(snapshotDirectory(dbPath), `${buildId}${SNAPSHOT_SUFFIX}`);
}

const pointerSchema = z.object({
  build_id: z.string().refine(isBuildId, { message: 'not a build id' }),
  published_at: z.string(),
});
export type CurrentPointer = z.infer<typeof pointerSchema>;

function pointerFile(dbPath: string): string {
  return join(snapshotDirectory(dbPath), 'current');
}

/**
 * Writes a small file so that readers see the old content or the new, never a part: written
 * beside it, flushed, renamed over it, and the folder flushed so the rename survives a crash.
 */
export function writeFileAtomically(path: string, text: string): void {
  const partial = `${path}.${process.pid}.tmp`;
  const fd = openSync(partial, 'w', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  fsyncDirectory(dirname(path));
}

export function fsyncDirectory(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The published snapshot readers should open, or null before the first publish. */
export function readCurrent(dbPath: string): CurrentPointer | null {
  let text: string;
  try {
    text = readFileSync(pointerFile(dbPath), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = pointerSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new RuntimeFailure(
      `the snapshot pointer ${pointerFile(dbPath)} is damaged: run 'syncbalance publish' to write it again`,
    );
  return parsed.data;
}

export function writeCurrent(dbPath: string, pointer: CurrentPointer): void {
  writeFileAtomically(pointerFile(dbPath), `${JSON.stringify(pointer)}\n`);
}

/** Published snapshot ids in the folder, oldest first. */
export function listSnapshots(dbPath: string): string[] {
  let names: string[];
  try {
    names = readdirSync(snapshotDirectory(dbPath));
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(SNAPSHOT_SUFFIX))
    .map((name) => basename(name, SNAPSHOT_SUFFIX))
    .filter(isBuildId)
    .sort();
}

/**
 * Removes all but the newest `keep` snapshots (never the current one) and whatever a killed
 * publish left behind. A server still reading a removed snapshot keeps its open file: on POSIX
 * the data stays until the last reader closes it.
 */
export function pruneSnapshots(dbPath: string, keep: number, current: string): string[] {
  const directory = snapshotDirectory(dbPath);
  const all = listSnapshots(dbPath);
  const kept = new Set([...all.slice(-keep), current]);
  const removed = all.filter((id) => !kept.has(id));
  for (const id of removed) rmSync(snapshotFile(dbPath, id), { force: true });
  for (const name of readdirSync(directory)) {
    if (name.includes(PARTIAL_SUFFIX)) rmSync(join(directory, name), { force: true });
  }
  return removed;
}

/** Opens a snapshot for reading; several processes may hold it at once. */
export function openSnapshot(dbPath: string, buildId: string): Promise<Warehouse> {
  return Warehouse.open(snapshotFile(dbPath, buildId), { readOnly: true });
}

/** The current snapshot opened read-only, or null before the first publish. */
export async function openCurrentSnapshot(
  dbPath: string,
): Promise<{ pointer: CurrentPointer; db: Warehouse } | null> {
  // A publish may prune the snapshot between reading the pointer and opening it: read again.
  for (let attempt = 0; ; attempt++) {
    const pointer = readCurrent(dbPath);
    if (pointer === null) return null;
    try {
      return { pointer, db: await openSnapshot(dbPath, pointer.build_id) };
    } catch (error) {
      if (attempt >= 2) throw error;
    }
  }
}
