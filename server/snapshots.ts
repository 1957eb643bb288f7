/**
 * The published snapshot the server answers from, switched without a restart. The server polls
 * the snapshot pointer; when it names a newer build, the server opens that snapshot read-only,
 * routes every new request to it, and closes the old one once the requests it was serving have
 * finished. A request holds one snapshot from its first byte to its last (`acquire`/`release`),
 * so every response is computed wholly from one build.
 */
import type { Config } from '../warehouse/config.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { staleBuildSettings } from '../warehouse/build.ts';
import type { Reporter } from '../warehouse/reporter.ts';
import { openSnapshot, readCurrent } from '../warehouse/snapshot.ts';
import { z } from 'zod';
import { missingMarts } from './queries/readiness.ts';
import { WarehouseReads } from './reads.ts';

export interface ServedBuild {
  readonly buildId: string;
  readonly db: Warehouse;
  readonly reads: WarehouseReads;
  readonly builtAt: string | null;
  readonly publishedAt: string;
  /** Marts the API reads that this snapshot lacks. */
  readonly missingMarts: readonly string[];
  /** How the settings this build used differ from the server's config. */
  readonly staleBuild: readonly string[];
}

interface Entry {
  readonly build: ServedBuild;
  leases: number;
  retired: boolean;
}

export interface Lease {
  /** Null before the first publish. */
  readonly build: ServedBuild | null;
  release(): void;
}

const snapshotMetaSchema = z.object({ built_at: z.string().nullable() });

async function openBuild(
  dbPath: string,
  buildId: string,
  publishedAt: string,
  config: Config,
): Promise<ServedBuild> {
  const db = await openSnapshot(dbPath, buildId);
  try {
    const missing = await missingMarts(db);
    const staleBuild = missing.length > 0 ? [] : await staleBuildSettings(db, config);
    const [meta] = await db.parse(
      snapshotMetaSchema,
      `SELECT strftime(built_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS built_at FROM meta.snapshot`,
    );
    const reads = new WarehouseReads(db);
    if (missing.length === 0 && staleBuild.length === 0) {
      // Warmed before the switch, so the first requests on the new build do not all wait for
      // the same cold reads (the team list and every team's weeks, one query).
      const teams = await reads.allTeamPaths();
      await reads.teamWeeks(teams, '0001-01-01', '9999-12-31');
    }
    return {
      buildId,
      db,
      reads,
      builtAt: meta?.built_at ?? null,
      publishedAt,
      missingMarts: missing,
      staleBuild,
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

export class SnapshotSwitcher {
  readonly #dbPath: string;
  readonly #config: Config;
  readonly #reporter: Reporter;
  #current: Entry | null = null;
  #timer: NodeJS.Timeout | null = null;
  #checking: Promise<void> | null = null;
  #closed = false;
  /** Build ids that failed to open, so a broken snapshot is reported once, not every poll. */
  readonly #failed = new Set<string>();

  private constructor(dbPath: string, config: Config, reporter: Reporter) {
    this.#dbPath = dbPath;
    this.#config = config;
    this.#reporter = reporter;
  }

  /** Opens the current snapshot (if any) and starts watching the pointer. */
  static async start(options: {
    dbPath: string;
    config: Config;
    reporter: Reporter;
    pollMs?: number;
  }): Promise<SnapshotSwitcher> {
    const switcher = new SnapshotSwitcher(options.dbPath, options.config, options.reporter);
    await switcher.check();
    const pollMs = options.pollMs ?? options.config.snapshots.pollMs;
    switcher.#timer = setInterval(() => {
      void switcher.check();
    }, pollMs);
    switcher.#timer.unref();
    return switcher;
  }

  get current(): ServedBuild | null {
    return this.#current?.build ?? null;
  }

  /** Looks at the pointer once and switches when it names another build. */
  check(): Promise<void> {
    this.#checking ??= this.#check().finally(() => {
      this.#checking = null;
    });
    return this.#checking;
  }

  async #check(): Promise<void> {
    if (this.#closed) return;
    let pointer;
    try {
      pointer = readCurrent(this.#dbPath);
    } catch (error) {
      this.#reportOnce('pointer', error);
      return;
    }
    if (pointer === null || pointer.build_id === this.#current?.build.buildId) return;
    if (this.#failed.has(pointer.build_id)) return;
    let build: ServedBuild;
    try {
      build = await openBuild(this.#dbPath, pointer.build_id, pointer.published_at, this.#config);
    } catch (error) {
      this.#reportOnce(pointer.build_id, error);
      return;
    }
    if (this.#isClosed()) {
      build.db.close();
      return;
    }
    const previous = this.#current;
    this.#current = { build, leases: 0, retired: false };
    if (build.missingMarts.length > 0)
      this.#reporter.warn(
        `build ${build.buildId} has no built models (${build.missingMarts.join(', ')}): the dashboard stays empty until a build is published`,
      );
    if (build.staleBuild.length > 0)
      this.#reporter.warn(
        `build ${build.buildId} was made with other settings than the configuration (${build.staleBuild.join('; ')}): the dashboard shows nothing until you run 'syncbalance build'`,
      );
    if (previous !== null) {
      this.#reporter.info(`now serving build ${build.buildId} (was ${previous.build.buildId})`);
      this.#retire(previous);
    }
  }

  /** Read through a method so a check after an await sees the current value. */
  #isClosed(): boolean {
    return this.#closed;
  }

  #reportOnce(key: string, error: unknown): void {
    if (this.#failed.has(key)) return;
    this.#failed.add(key);
    const message = error instanceof Error ? error.message : String(error);
    this.#reporter.warn(
      `cannot open the published snapshot ${key}, still serving the previous one: ${message}`,
    );
  }

  #retire(entry: Entry): void {
    entry.retired = true;
    if (entry.leases === 0) entry.build.db.close();
  }

  /** Pins the current build for one request; call `release` exactly once when it has ended. */
  acquire(): Lease {
    const entry = this.#current;
    if (entry === null) return { build: null, release: () => undefined };
    entry.leases++;
    let released = false;
    return {
      build: entry.build,
      release: () => {
        if (released) return;
        released = true;
        entry.leases--;
        if (entry.retired && entry.leases === 0) entry.build.db.close();
      },
    };
  }

  /** Stops watching and closes every snapshot (the HTTP server has stopped first). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    await this.#checking;
    if (this.#current !== null) {
      this.#current.build.db.close();
      this.#current = null;
    }
  }
}
