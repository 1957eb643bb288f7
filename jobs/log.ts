/**
 * The scheduler's job log: runs it records itself (skipped runs, the report) are written to the
 * warehouse's `meta.job_runs` by opening the working warehouse for a moment, and to the last-run
 * file first, so a server learns of them even when another process holds the warehouse. Inside one
 * process a lock serialises those moments with the refresh, which holds the warehouse throughout.
 */
import { Warehouse } from '../warehouse/db.ts';
import { recordJobRun, writeLastRun, type JobRunEntry } from '../warehouse/job-log.ts';
import type { Reporter } from '../warehouse/reporter.ts';

/** One holder at a time, in order of arrival. */
export class Lock {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work, work);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

export interface JobLog {
  record(entry: JobRunEntry): Promise<void>;
}

export interface WarehouseJobLogOptions {
  readonly dbPath: string;
  readonly secrets: readonly string[];
  readonly lock: Lock;
  readonly reporter: Reporter;
  /** Attempts while another process holds the warehouse, and the pause between them. */
  readonly attempts?: number;
  readonly retryMs?: number;
}

export function warehouseJobLog(options: WarehouseJobLogOptions): JobLog {
  const attempts = options.attempts ?? 20;
  const retryMs = options.retryMs ?? 3_000;
  return {
    record: (entry) =>
      options.lock.run(async () => {
        writeLastRun(options.dbPath, entry, options.secrets);
        for (let attempt = 1; ; attempt++) {
          let db: Warehouse;
          try {
            db = await Warehouse.open(options.dbPath);
          } catch (error) {
            if (attempt >= attempts) {
              options.reporter.warn(
                `could not write the ${entry.job} run to the job log (${(error as Error).message}); it is in the last-run file only`,
              );
              return;
            }
            await new Promise((resolve) => setTimeout(resolve, retryMs));
            continue;
          }
          try {
            await recordJobRun(db, entry, options.secrets);
          } finally {
            db.close();
          }
          return;
        }
      }),
  };
}
