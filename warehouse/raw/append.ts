/**
 * Small typed wrappers over DuckDB's appender for the staging tables the raw writers load into.
 * Staging columns use only VARCHAR, BIGINT, INTEGER and BOOLEAN; dates and instants are converted
 * in SQL when merged, so no JS `Date` ever touches a wall-clock value.
 */
import type { DuckDBAppender } from '@duckdb/node-api';
import type { Warehouse } from '../db.ts';

export type Cell = string | number | bigint | boolean | null;

let stagingCounter = 0;

export class StagingTable {
  readonly name: string;
  readonly #db: Warehouse;
  readonly #appender: DuckDBAppender;
  #rows = 0;
  #dropped = false;

  private constructor(db: Warehouse, name: string, appender: DuckDBAppender) {
    this.#db = db;
    this.name = name;
    this.#appender = appender;
  }

  /**
   * A temporary table (dropped at `drop()` or when the connection closes) whose columns are the
   * given name → SQL type pairs, plus a `seq` column recording arrival order so that, when a key
   * arrives twice, the later row wins.
   */
  static async create(
    db: Warehouse,
    prefix: string,
    columns: Record<string, 'VARCHAR' | 'BIGINT' | 'INTEGER' | 'BOOLEAN'>,
  ): Promise<StagingTable> {
    stagingCounter += 1;
    const name = `staging_${prefix}_${process.pid}_${stagingCounter}`;
    const definition = Object.entries(columns)
      .map(([column, type]) => `${column} ${type}`)
      .join(', ');
    await db.run(`CREATE TEMP TABLE ${name} (seq BIGINT, ${definition})`);
    return new StagingTable(db, name, await db.appender(name, 'main'));
  }

  get rowCount(): number {
    return this.#rows;
  }

  append(cells: readonly Cell[]): void {
    const appender = this.#appender;
    appender.appendBigInt(BigInt(this.#rows));
    for (const cell of cells) {
      if (cell === null) appender.appendNull();
      else if (typeof cell === 'string') appender.appendVarchar(cell);
      else if (typeof cell === 'bigint') appender.appendBigInt(cell);
      else if (typeof cell === 'boolean') appender.appendBoolean(cell);
      else appender.appendInteger(cell);
    }
    appender.endRow();
    this.#rows += 1;
  }

  /** Makes appended rows visible to SQL on this connection. */
  flush(): void {
    this.#appender.flushSync();
  }

  async drop(): Promise<void> {
    if (this.#dropped) return;
    this.#dropped = true;
    this.#appender.closeSync();
    await this.#db.run(`DROP TABLE IF EXISTS ${this.name}`);
  }
}
