/**
 * What every route needs, built once at start-up by `serve.ts` and passed in: no route reads the
 * environment, the config file or the clock on its own. The snapshot-backed parts (`db`, `reads`,
 * `build`, …) are the build pinned to the current request (see `snapshots.ts`), so a route reads
 * one build from its first query to its last even if a newer one is published meanwhile.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request } from 'express';
import type { Config } from '../warehouse/config.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { lastCompleteWeekStart } from '../warehouse/dates.ts';
import type { Reporter } from '../warehouse/reporter.ts';
import type { Authenticator, Viewer } from './auth/authenticate.ts';
import type { GoogleVerifier } from './auth/google.ts';
import type { SessionCodec } from './auth/session.ts';
import { ApiError } from './http/errors.ts';
import { accessFor, assertSignedIn, type Access } from './permissions.ts';
import type { WarehouseReads } from './reads.ts';
import type { ServedBuild, SnapshotSwitcher } from './snapshots.ts';

export interface SignInRateLimit {
  readonly windowMs: number;
  /** Attempts per client address and window. */
  readonly limit: number;
}

export interface AppContext {
  /** The request's published snapshot; throws 503 before the first publish. */
  readonly db: Warehouse;
  /** The marts as the routes read them (remembered: a snapshot never changes). */
  readonly reads: WarehouseReads;
  /** The build the request is answered from; null before the first publish. */
  readonly build: ServedBuild | null;
  /** The working warehouse's path: never opened by the server, it locates the snapshots. */
  readonly dbPath: string;
  readonly config: Config;
  readonly reporter: Reporter;
  readonly now: () => Date;
  readonly auth: Authenticator;
  /** Google mode only: seals sessions and signs CSRF tokens. */
  readonly sessions: SessionCodec | null;
  /** Google mode only. */
  readonly verifyGoogleCredential: GoogleVerifier | null;
  /** Marts the API reads that the served build does not have (all of them before a publish). */
  readonly missingMarts: readonly string[];
  /** How the settings the marts were built with differ from the config (empty when current). */
  readonly staleBuild: readonly string[];
  readonly signInRateLimit: SignInRateLimit;
  /** The built dashboard (index.html and assets); null when it is not built. */
  readonly webRoot: string | null;
}

/**
 * Every data route needs marts built with the current settings; until then the answer is 503
 * with what to do. Marts built with another minGroupSize in particular are never shown.
 */
export function assertMartsBuilt(context: AppContext): void {
  if (context.build === null)
    throw new ApiError(
      'unavailable',
      'no build has been published yet: run `syncbalance build` (or `syncbalance demo`); the server picks it up within seconds',
    );
  if (context.missingMarts.length > 0)
    throw new ApiError(
      'unavailable',
      'the published build has no built models: run `syncbalance build` (or `syncbalance demo`); the server picks it up within seconds',
    );
  if (context.staleBuild.length > 0)
    throw new ApiError(
      'unavailable',
      `the models were built with other settings than the configuration (${context.staleBuild.join('; ')}): run \`syncbalance build\`; the server picks the new build up within seconds`,
    );
}

/** The build pinned to the request being handled (see `serve.ts`). */
export const requestBuild = new AsyncLocalStorage<ServedBuild | null>();

/** Names of the marts the API reads, for `missingMarts` before anything is published. */
const NOTHING_PUBLISHED = ['a published build'];

/**
 * The context whose snapshot-backed fields follow the request's pinned build, or the switcher's
 * current build outside a request.
 */
export function snapshotContext(
  base: Omit<AppContext, 'db' | 'reads' | 'build' | 'missingMarts' | 'staleBuild'>,
  switcher: SnapshotSwitcher,
): AppContext {
  const build = (): ServedBuild | null => {
    const pinned = requestBuild.getStore();
    return pinned === undefined ? switcher.current : pinned;
  };
  const published = (): ServedBuild => {
    const served = build();
    if (served === null)
      throw new ApiError('unavailable', 'no build has been published yet: run `syncbalance build`');
    return served;
  };
  return {
    ...base,
    get build() {
      return build();
    },
    get db() {
      return published().db;
    },
    get reads() {
      return published().reads;
    },
    get missingMarts() {
      return build()?.missingMarts ?? NOTHING_PUBLISHED;
    },
    get staleBuild() {
      return build()?.staleBuild ?? [];
    },
  };
}

/** The viewer and what they may see; throws 401 when nobody is signed in. */
export async function signedInAccess(
  context: AppContext,
  request: Request,
): Promise<{ viewer: Viewer; access: Access }> {
  assertMartsBuilt(context);
  const viewer = context.auth.viewer(request);
  assertSignedIn(viewer);
  return { viewer, access: await accessFor(context.reads, context.config, viewer) };
}

/** The newest week with organisation data that has ended, in the organisation's time zone. */
export async function latestWeek(context: AppContext): Promise<string | null> {
  return context.reads.latestCompleteWeek(
    lastCompleteWeekStart(context.now(), context.config.timezone),
  );
}
