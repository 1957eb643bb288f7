/**
 * What the scheduler and `syncbalance refresh` run. A source (the Google Calendar sync, the Slack
 * sync, …) writes raw data into the working warehouse in its own transactions; the report job
 * reads the published snapshot and sends the weekly email. Both are plain objects registered in
 * `registry.ts`, so adding one is a registration, not a change here.
 */
import type { Config } from '../warehouse/config.ts';
import type { Warehouse } from '../warehouse/db.ts';
import type { JobCounts } from '../warehouse/job-log.ts';
import type { Reporter } from '../warehouse/reporter.ts';
import type { Environment } from '../warehouse/secrets.ts';

export interface JobEnvironment {
  readonly config: Config;
  readonly env: Environment;
  /** The working warehouse's path (snapshots, salt and credential files sit beside it). */
  readonly dbPath: string;
  readonly reporter: Reporter;
  readonly now: () => Date;
  /**
   * Aborted when the scheduler is asked to stop: finish the current transaction, then return
   * (or throw) without starting the next one.
   */
  readonly signal: AbortSignal;
}

export interface SourceContext extends JobEnvironment {
  /** The working warehouse, open for writing for the whole refresh. */
  readonly db: Warehouse;
}

export interface SourceResult {
  /** Counts for the job log (events, messages, people, …): never names, addresses or text. */
  readonly counts: JobCounts;
}

export interface Source {
  /** The job log names the run `source:<name>`, e.g. `source:google_calendar`. */
  readonly name: string;
  /**
   * True when the config, the environment or a credential file beside the warehouse (`dbPath`)
   * say this source is set up; others are not run.
   */
  isConfigured(config: Config, env: Environment, dbPath: string): boolean;
  run(context: SourceContext): Promise<SourceResult>;
  /** Secret values this source knows of (tokens), removed from any error text it produces. */
  secrets?(env: Environment): readonly string[];
}

export interface ReportJob {
  /**
   * Sends the report from the current published snapshot (`openCurrentSnapshot(dbPath)` from
   * warehouse/snapshot.ts); never opens the working warehouse.
   */
  run(context: JobEnvironment): Promise<SourceResult>;
  secrets?(env: Environment): readonly string[];
}
