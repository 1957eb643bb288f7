/**
 * Coverage windows are kept merged: within one partition (an owner's calendar from one source, or
 * one Slack source) overlapping or touching windows are one row. A daily re-import of the same
 * files therefore adds no row, where appending would grow the table without bound. Merging loses
 * nothing the models use: they only ask whether an instant is inside some window.
 *
 * A merged window takes the newest run among its parts, so it always belongs to a recorded run
 * (the run that wrote it, in the same transaction) and untouched windows keep theirs.
 */
import type { Warehouse } from '../db.ts';

export interface CoverageTable {
  /** `raw.calendar_coverage` or `raw.slack_coverage`. */
  readonly table: string;
  /** The columns (`source` among them) that identify a partition whose windows merge. */
  readonly partition: readonly string[];
  /** Every column of the table, in order. */
  readonly columns: readonly string[];
}

export const CALENDAR_COVERAGE: CoverageTable = {
  table: 'raw.calendar_coverage',
  partition: ['owner_id', 'source'],
  columns: ['owner_id', 'window_start', 'window_end', 'source', 'run_id'],
};

export const SLACK_COVERAGE: CoverageTable = {
  table: 'raw.slack_coverage',
  partition: ['source'],
  columns: ['window_start', 'window_end', 'source', 'run_id'],
};

/**
 * The SELECT of the merged windows of every row of `table` matching `where`: islands of windows
 * ordered by start, a new island starting only where a window begins after every earlier one has
 * ended. Frames are by start time (RANGE) so windows starting together are always one island.
 */
export function mergedCoverageSelect(coverage: CoverageTable, where: string): string {
  const partition = coverage.partition.join(', ');
  return `WITH rows AS (
      SELECT * FROM ${coverage.table} WHERE ${where}
    ),
    reach AS (
      SELECT *, max(window_end) OVER (
          PARTITION BY ${partition} ORDER BY window_start
          RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP
        ) AS reached_before
      FROM rows
    ),
    numbered AS (
      SELECT *, sum(CASE WHEN reached_before IS NULL OR window_start > reached_before THEN 1 ELSE 0 END) OVER (
          PARTITION BY ${partition} ORDER BY window_start
          RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS island
      FROM reach
    )
    SELECT * EXCLUDE (island) FROM (
      SELECT ${partition}, island, min(window_start) AS window_start, max(window_end) AS window_end, max(run_id) AS run_id
      FROM numbered
      GROUP BY ${partition}, island
    )`;
}

/**
 * Merges the windows of the partitions `where` selects (call inside the import's transaction,
 * after inserting the batch's windows). Rows are rewritten only in those partitions.
 */
export async function mergeCoverage(
  db: Warehouse,
  coverage: CoverageTable,
  where: string,
  params?: Record<string, string | number>,
): Promise<void> {
  const merged = `merged_coverage_${process.pid}`;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${merged} AS ${mergedCoverageSelect(coverage, where)}`,
    params,
  );
  await db.run(`DELETE FROM ${coverage.table} WHERE ${where}`, params);
  await db.run(
    `INSERT INTO ${coverage.table} SELECT ${coverage.columns.join(', ')} FROM ${merged}`,
  );
  await db.run(`DROP TABLE ${merged}`);
}
