/**
 * The warehouse file: one DuckDB database opened through `@duckdb/node-api`.
 *
 * Every connection runs with `TimeZone = 'UTC'` so that no result depends on the machine's zone:
 * local time is always computed explicitly with a person's IANA zone in SQL, never guessed by JS
 * `Date`. Extensions are never installed or auto-loaded at run time; the ones we use (ICU, JSON,
 * Parquet) are built into the DuckDB binary.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  DuckDBInstance,
  DuckDBTimestampTZValue,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBValue,
  type Json,
} from '@duckdb/node-api';
import type { z } from 'zod';
import { RuntimeFailure } from './errors.ts';
import { migrate } from './migrate.ts';
import { removeTornWrites, type RemovedRows } from './sources.ts';

// The Node API formats TIMESTAMPTZ values with the machine's offset at start-up (one fixed offset,
// wrong on the far side of any DST change). Results must not depend on the machine: always UTC.
DuckDBTimestampTZValue.timezoneOffsetInMinutes = 0;

export type Params = DuckDBValue[] | Record<string, DuckDBValue>;
export type Row = Record<string, Json>;

export interface OpenOptions {
  /** Read-only opens let several readers share the file; the schema must already be current. */
  readonly readOnly?: boolean;
  /** Stop upgrading at this schema version (tests of the upgrade path); default: the newest. */
  readonly schemaVersion?: number;
  /** DuckDB's memory limit, e.g. '12GB' (default: 80% of the machine); beyond it DuckDB spills to disk. */
  readonly memoryLimit?: string;
  /** Where DuckDB spills beyond the memory limit (DuckDB's default: `<file>.tmp`). */
  readonly tempDirectory?: string;
}

export class Warehouse {
  readonly path: string;
  readonly readOnly: boolean;
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;
  #inTransaction = false;
  #closed = false;
  #closing = false;
  /** Queries and streams running now: DuckDB must not be closed under them (it crashes). */
  #active = 0;
  #removedOnOpen: readonly RemovedRows[] = [];

  private constructor(
    path: string,
    readOnly: boolean,
    instance: DuckDBInstance,
    connection: DuckDBConnection,
  ) {
    this.path = path;
    this.readOnly = readOnly;
    this.#instance = instance;
    this.#connection = connection;
  }

  /** Opens (creating when needed) the warehouse file and brings its schema up to date. */
  static async open(path: string, options: OpenOptions = {}): Promise<Warehouse> {
    const readOnly = options.readOnly ?? false;
    const absolute = path === ':memory:' ? path : resolve(path);
    if (!readOnly && absolute !== ':memory:') mkdirSync(dirname(absolute), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(absolute, {
        access_mode: readOnly ? 'READ_ONLY' : 'READ_WRITE',
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        // DuckDB plans an ASOF join as a nested loop when it estimates the probe side below this
        // many rows; the estimates of our windowed CTEs are often tiny while the real inputs are
        // not, which turned a 1 s model into a 10 s one. The sort-merge ASOF join is always fine.
        asof_loop_join_threshold: '0',
        ...(options.memoryLimit === undefined ? {} : { memory_limit: options.memoryLimit }),
        ...(options.tempDirectory === undefined ? {} : { temp_directory: options.tempDirectory }),
      });
    } catch (error) {
      throw explainOpenError(path, error);
    }
    const connection = await instance.connect();
    const warehouse = new Warehouse(path, readOnly, instance, connection);
    await warehouse.run(`SET TimeZone = 'UTC'`);
    await migrate(warehouse, options.schemaVersion);
    // Tests that stop at an older schema version see its tables as they were.
    if (!readOnly && options.schemaVersion === undefined)
      warehouse.#removedOnOpen = await removeTornWrites(warehouse);
    return warehouse;
  }

  /**
   * Rows a torn commit had left (see `removeTornWrites`), removed when this warehouse was opened
   * for writing, before anything else wrote. Callers tell the user (`describeRemoved`).
   */
  get removedOnOpen(): readonly RemovedRows[] {
    return this.#removedOnOpen;
  }

  /** An in-memory warehouse with the current schema, for tests and notebooks. */
  static async memory(): Promise<Warehouse> {
    return Warehouse.open(':memory:');
  }

  async run(sql: string, params?: Params): Promise<void> {
    await this.#track(() => this.#connection.run(sql, params));
  }

  /** All rows as plain JSON values: BIGINT and DECIMAL arrive as strings, dates as `YYYY-MM-DD`. */
  async all(sql: string, params?: Params): Promise<Row[]> {
    const reader = await this.#track(() => this.#connection.runAndReadAll(sql, params));
    return reader.getRowObjectsJson();
  }

  /** Rows validated against a schema, so a changed query cannot hand callers the wrong shape. */
  async parse<T extends z.ZodType>(
    schema: T,
    sql: string,
    params?: Params,
  ): Promise<z.output<T>[]> {
    const rows = await this.all(sql, params);
    return rows.map((row) => schema.parse(row));
  }

  async one(sql: string, params?: Params): Promise<Row | undefined> {
    return (await this.all(sql, params))[0];
  }

  /**
   * Streams a large result chunk by chunk instead of materialising it in memory. DuckDB ends a
   * streaming result when its connection runs another query, so each stream has a connection of
   * its own: concurrent queries (other API requests) cannot cut it short. It therefore reads
   * committed data only, never the current transaction's.
   */
  async *stream(sql: string, params?: Params): AsyncGenerator<Row[]> {
    this.#assertOpen();
    this.#active++;
    const connection = await this.#instance.connect().catch((error: unknown) => {
      this.#settle();
      throw error;
    });
    try {
      await connection.run(`SET TimeZone = 'UTC'`);
      const result = await connection.stream(sql, params);
      yield* result.yieldRowObjectJson();
    } finally {
      connection.closeSync();
      this.#settle();
    }
  }

  #assertOpen(): void {
    if (this.#closing) throw new RuntimeFailure(`the warehouse ${this.path} is closed`);
  }

  async #track<T>(work: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    this.#active++;
    try {
      return await work();
    } finally {
      this.#settle();
    }
  }

  #settle(): void {
    this.#active--;
    if (this.#closing && this.#active === 0) this.#release();
  }

  /**
   * Runs `work` in one transaction: all of it lands, or (on any error) none of it does. Nested
   * calls join the outer transaction.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.#inTransaction) return work();
    await this.run('BEGIN TRANSACTION');
    this.#inTransaction = true;
    try {
      const result = await work();
      await this.run('COMMIT');
      return result;
    } catch (error) {
      await this.run('ROLLBACK');
      throw error;
    } finally {
      this.#inTransaction = false;
    }
  }

  get inTransaction(): boolean {
    return this.#inTransaction;
  }

  /** Bulk loading through DuckDB's appender; rows join the current transaction. */
  async appender(table: string, schema: string): Promise<DuckDBAppender> {
    return this.#connection.createAppender(table, schema);
  }

  /**
   * Releases the file (and its lock). Closing twice is harmless. Queries still running (a server's
   * request whose client went away, a stream) finish first: closing DuckDB under a running query
   * crashes the process. New queries are refused from now on.
   */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    if (this.#active === 0) this.#release();
  }

  #release(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#connection.closeSync();
    this.#instance.closeSync();
  }
}

function explainOpenError(path: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const lock = /Conflicting lock is held in (.*?) \(PID (\d+)\)/.exec(message);
  if (lock) {
    return new RuntimeFailure(
      `the warehouse ${path} is in use by another process (PID ${lock[2]}): stop it (for example a running 'syncbalance serve') and try again`,
      [],
      { cause: error },
    );
  }
  return new RuntimeFailure(`cannot open the warehouse ${path}: ${message}`, [], { cause: error });
}

/** SQL string literal, for the rare identifier-like value that cannot be a bound parameter. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
