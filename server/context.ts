/**
 * What every route needs, built once at start-up by `serve.ts` and passed in: no route reads the
 * environment, the config file or the clock on its own.
 */
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

export interface SignInRateLimit {
  readonly windowMs: number;
  /** Attempts per client address and window. */
  readonly limit: number;
}

export interface AppContext {
  readonly db: Warehouse;
  /** The marts as the routes read them (remembered: the warehouse cannot change while served). */
  readonly reads: WarehouseReads;
  readonly config: Config;
  readonly reporter: Reporter;
  readonly now: () => Date;
  readonly auth: Authenticator;
  /** Google mode only: seals sessions and signs CSRF tokens. */
  readonly sessions: SessionCodec | null;
  /** Google mode only. */
  readonly verifyGoogleCredential: GoogleVerifier | null;
  /** Marts the API reads that the warehouse does not have yet (before a first build). */
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
  if (context.missingMarts.length > 0)
    throw new ApiError(
      'unavailable',
      'the warehouse has no built models yet: stop the server, run `syncbalance build` (or `syncbalance demo`), and start it again',
    );
  if (context.staleBuild.length > 0)
    throw new ApiError(
      'unavailable',
      `the models were built with other settings than the configuration (${context.staleBuild.join('; ')}): stop the server, run \`syncbalance build\`, and start it again`,
    );
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
