/**
 * The import log (`meta.import_runs`). A run is written in the same transaction as the rows it
 * imported, so the log never mentions an import that did not land. Summaries hold counts only:
 * never an email address, a file name that is one, or any text from the source.
 */
import type { Warehouse } from './db.ts';
import { recordSaltFingerprint, type Pseudonymizer } from './identity.ts';

export type ImportSource =
  'roster' | 'slack_export' | 'slack_api' | 'ics' | 'google_calendar' | 'demo';

export interface ImportRun {
  readonly runId: number;
  readonly source: ImportSource;
  readonly startedAt: Date;
}

/**
 * Starts an import run; call inside the import's transaction. With the import's pseudonymizer, the
 * warehouse's first import also records the salt's fingerprint, in the same transaction, so a
 * failed first import leaves nothing behind either.
 */
export async function beginRun(
  db: Warehouse,
  source: ImportSource,
  pseudonymizer?: Pseudonymizer,
): Promise<ImportRun> {
  if (pseudonymizer !== undefined) await recordSaltFingerprint(db, pseudonymizer);
  const row = await db.one(`SELECT nextval('meta.import_run_ids')::INTEGER AS id`);
  return { runId: Number(row?.['id']), source, startedAt: new Date() };
}

export async function recordRun(
  db: Warehouse,
  run: ImportRun,
  summary: Record<string, number | string | boolean | null>,
): Promise<void> {
  await db.run(
    `INSERT INTO meta.import_runs VALUES ($run_id, $source, $started_at::TIMESTAMPTZ, $finished_at::TIMESTAMPTZ, $summary::JSON)`,
    {
      run_id: run.runId,
      source: run.source,
      started_at: run.startedAt.toISOString(),
      // now() in DuckDB is the transaction's start, which would precede started_at.
      finished_at: new Date().toISOString(),
      summary: JSON.stringify(summary),
    },
  );
}

/**
 * Completes the log entry of a run recorded when it started. Live syncs commit calendar by calendar
 * or conversation by conversation, each naming the run, so the run must be on record before the
 * first of them: rows of an unrecorded run are taken for a torn write and removed on the next
 * open. At the end the sync states what it did.
 */
export async function completeRun(
  db: Warehouse,
  run: ImportRun,
  summary: Record<string, number | string | boolean | null>,
): Promise<void> {
  await db.run(
    `UPDATE meta.import_runs SET finished_at = $finished::TIMESTAMPTZ, summary = $summary::JSON
     WHERE run_id = $run`,
    { finished: new Date().toISOString(), summary: JSON.stringify(summary), run: run.runId },
  );
}
