/**
 * The server's reads of one published snapshot, remembered for as long as that snapshot is
 * served. This is safe because a snapshot never changes once published: a newer build is a new
 * file with its own `WarehouseReads`. So each answer is computed once by its query module and then
 * served from memory; the caches are bounded so a large organisation cannot grow them without
 * limit. A failed read is not remembered.
 */
import type { Warehouse } from '../warehouse/db.ts';
import { teamWeekCsvLines, type TeamWeekCsvLine } from '../warehouse/export/team-weeks-csv.ts';
import type { DistributionMetric } from './contract/metrics.ts';
import { bodyBytes, type CachedBody } from './http/cached.ts';
import { teamPathsSharedWith } from './queries/access.ts';
import {
  distributionKey,
  readTeamDistributions,
  type DistributionCounts,
  type TeamDistributions,
} from './queries/distribution.ts';
import { latestCompleteWeek } from './queries/latest-week.ts';
import { readTeamWeeks, type TeamWeekRow } from './queries/team-weeks.ts';
import { listTeams, type TeamRow } from './queries/teams.ts';

/**
 * A map that forgets its least recently used entries once their total weight exceeds `capacity`
 * (by default every entry weighs 1, so the capacity is a number of entries).
 */
class Lru<V> {
  readonly #entries = new Map<string, V>();
  readonly #capacity: number;
  readonly #weigh: (value: V) => number;
  #weight = 0;

  constructor(capacity: number, weigh: (value: V) => number = () => 1) {
    this.#capacity = capacity;
    this.#weigh = weigh;
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    this.#entries.set(key, value);
    this.#weight += this.#weigh(value);
    for (const oldest of this.#entries.keys()) {
      if (this.#weight <= this.#capacity) break;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const value = this.#entries.get(key);
    if (value === undefined) return;
    this.#entries.delete(key);
    this.#weight -= this.#weigh(value);
  }
}

/** The response bodies kept per snapshot: a few hundred overviews of a large organisation. */
const RESPONSE_CACHE_BYTES = 128 * 1024 * 1024;

const ALL_WEEKS = { from: '0001-01-01', to: '9999-12-31' } as const;

export class WarehouseReads {
  readonly db: Warehouse;
  #teams: Promise<TeamRow[]> | null = null;
  readonly #shared = new Lru<Promise<string[]>>(2_000);
  readonly #teamWeeks = new Lru<Promise<TeamWeekRow[]>>(1_000);
  readonly #latestWeek = new Lru<Promise<string | null>>(16);
  readonly #distributions = new Lru<Promise<TeamDistributions>>(2_000);
  readonly #csvLines = new Lru<Promise<TeamWeekCsvLine[]>>(1_000);
  readonly #responses = new Lru<CachedBody>(RESPONSE_CACHE_BYTES, bodyBytes);
  readonly #pendingResponses = new Map<string, Promise<CachedBody>>();

  constructor(db: Warehouse) {
    this.db = db;
  }

  #remember<V>(cache: Lru<Promise<V>>, key: string, read: () => Promise<V>): Promise<V> {
    const known = cache.get(key);
    if (known !== undefined) return known;
    const reading = read();
    cache.set(key, reading);
    reading.catch(() => {
      cache.delete(key);
    });
    return reading;
  }

  teams(): Promise<TeamRow[]> {
    if (this.#teams === null) {
      const reading = listTeams(this.db);
      this.#teams = reading;
      reading.catch(() => {
        this.#teams = null;
      });
    }
    return this.#teams;
  }

  async allTeamPaths(): Promise<string[]> {
    return (await this.teams()).map((team) => team.team_path);
  }

  async team(path: string): Promise<TeamRow | null> {
    return (await this.teams()).find((team) => team.team_path === path) ?? null;
  }

  teamPathsSharedWith(email: string): Promise<string[]> {
    return this.#remember(this.#shared, email, () => teamPathsSharedWith(this.db, email));
  }

  latestCompleteWeek(lastCompleteWeek: string): Promise<string | null> {
    return this.#remember(this.#latestWeek, lastCompleteWeek, () =>
      latestCompleteWeek(this.db, lastCompleteWeek),
    );
  }

  /** Rows of these teams whose week starts in [fromMonday, toMonday], by team then week. */
  async teamWeeks(
    teams: readonly string[],
    fromMonday: string,
    toMonday: string,
  ): Promise<TeamWeekRow[]> {
    const missing = teams.filter((team) => this.#teamWeeks.get(team) === undefined);
    if (missing.length > 0) {
      // One query for every team not read yet, shared by each team's entry.
      const batch = readTeamWeeks(this.db, missing, ALL_WEEKS.from, ALL_WEEKS.to);
      for (const team of missing) {
        void this.#remember(this.#teamWeeks, team, async () =>
          (await batch).filter((row) => row.team === team),
        );
      }
    }
    const perTeam = await Promise.all(
      teams.map((team) =>
        this.#remember(this.#teamWeeks, team, () =>
          readTeamWeeks(this.db, [team], ALL_WEEKS.from, ALL_WEEKS.to),
        ),
      ),
    );
    return perTeam.flat().filter((row) => row.weekStart >= fromMonday && row.weekStart <= toMonday);
  }

  /** Each team's CSV rows for every week, in the order of `teams` (see `teamWeekCsvLines`). */
  async csvLines(teams: readonly string[]): Promise<TeamWeekCsvLine[]> {
    const missing = teams.filter((team) => this.#csvLines.get(team) === undefined);
    if (missing.length > 0) {
      // One query for every team not read yet, shared by each team's entry.
      const batch = teamWeekCsvLines(this.db, missing);
      for (const team of missing) {
        void this.#remember(this.#csvLines, team, async () =>
          (await batch).filter((line) => line.team === team),
        );
      }
    }
    const perTeam = await Promise.all(
      teams.map((team) =>
        this.#remember(this.#csvLines, team, () => teamWeekCsvLines(this.db, [team])),
      ),
    );
    return perTeam.flat();
  }

  async distribution(
    team: string,
    weekStart: string,
    metric: DistributionMetric,
  ): Promise<DistributionCounts> {
    const all = await this.#remember(this.#distributions, team, () =>
      readTeamDistributions(this.db, team),
    );
    return (
      all.byWeekAndMetric.get(distributionKey(weekStart, metric)) ?? all.empty(weekStart, metric)
    );
  }

  /**
   * The response body remembered under `key` from this snapshot, or the one `compute` makes, which
   * is then remembered. Requests that ask for the same key while it is being computed share that
   * one computation: when a build switches, the first overview of a large organisation takes tens
   * of milliseconds, and without this every client asking for it in that time computed it again
   * on the one main thread. `key` must name everything the body depends on besides the snapshot:
   * the endpoint, its normalised query, and what the viewer may see (`visibleTeamsKey`); the
   * routes check access before they ask. A failed computation is not remembered.
   */
  responseBody(key: string, compute: () => Promise<CachedBody>): Promise<CachedBody> {
    const known = this.#responses.get(key);
    if (known !== undefined) return Promise.resolve(known);
    const pending = this.#pendingResponses.get(key);
    if (pending !== undefined) return pending;
    const computing = compute()
      .then((body) => {
        this.#responses.set(key, body);
        return body;
      })
      .finally(() => this.#pendingResponses.delete(key));
    this.#pendingResponses.set(key, computing);
    return computing;
  }
}
