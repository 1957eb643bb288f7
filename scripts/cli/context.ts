/**
 * What every command needs, resolved once from the global options: the validated config, the
 * environment's secrets, the warehouse path and a reporter. Nothing below the CLI reads
 * `process.env` or the config file itself.
 */
import { resolve } from 'node:path';
import { loadConfig, warehouseOpenSettings, type Config } from '../../warehouse/config.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { pseudonymizerFor, resolveSalt, type Pseudonymizer } from '../../warehouse/identity.ts';
import type { Reporter } from '../../warehouse/reporter.ts';
import { readEnvironment, type Environment } from '../../warehouse/secrets.ts';
import { describeRemoved } from '../../warehouse/sources.ts';
import { consoleReporter, type Io } from './io.ts';

export const DEFAULT_DB = 'data/syncbalance.duckdb';

export interface GlobalOptions {
  readonly db?: string;
  readonly config?: string;
  readonly verbose?: boolean;
}

export interface CliContext {
  readonly io: Io;
  readonly config: Config;
  readonly env: Environment;
  readonly dbPath: string;
  readonly reporter: Reporter;
  openWarehouse(options?: { readOnly?: boolean }): Promise<Warehouse>;
  /** The pseudonymizer for imports, creating the salt file on first use. */
  pseudonymizer(db: Warehouse): Promise<Pseudonymizer>;
}

export function createContext(globals: GlobalOptions, io: Io): CliContext {
  const env = readEnvironment(io.env);
  const { config } = loadConfig(
    globals.config === undefined ? undefined : resolve(io.cwd, globals.config),
    io.cwd,
  );
  const dbPath = resolve(io.cwd, globals.db ?? env.SYNCBALANCE_DB ?? DEFAULT_DB);
  const reporter = consoleReporter(io);
  return {
    io,
    config,
    env,
    dbPath,
    reporter,
    async openWarehouse(options) {
      // Writers (imports, syncs, builds) get the configured memory limit and spill directory.
      const db = await Warehouse.open(dbPath, {
        ...options,
        ...(options?.readOnly === true ? {} : warehouseOpenSettings(config, dbPath)),
      });
      if (db.removedOnOpen.length > 0) reporter.warn(describeRemoved(db.removedOnOpen));
      return db;
    },
    async pseudonymizer(db) {
      const salt = resolveSalt(dbPath, env.SYNCBALANCE_SALT);
      if (salt.createdFile) {
        reporter.info(
          `Generated a pseudonymisation salt in ${salt.createdFile} (readable by you only). Keep it with the warehouse; set SYNCBALANCE_SALT to manage it yourself.`,
        );
      }
      return pseudonymizerFor(db, salt.salt);
    },
  };
}

/** Opens the warehouse, runs `work`, and always closes it (DuckDB holds a file lock while open). */
export async function withWarehouse<T>(
  context: CliContext,
  work: (db: Warehouse) => Promise<T>,
  options?: { readOnly?: boolean },
): Promise<T> {
  const db = await context.openWarehouse(options);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}
