/** The team-week CSV contract. Implemented in issue 4. */
import type { Writable } from 'node:stream';
import type { Warehouse } from '../db.ts';
import { RuntimeFailure } from '../errors.ts';

export interface TeamWeeksCsvOptions {
  /** Exactly these team paths; every team when null. */
  readonly teams: readonly string[] | null;
  /** Weeks whose Monday falls in [from's week, to's week]; open-ended when null. */
  readonly from: string | null;
  readonly to: string | null;
}

export function writeTeamWeeksCsv(
  _db: Warehouse,
  _options: TeamWeeksCsvOptions,
  _out: Writable,
): Promise<number> {
  return Promise.reject(new RuntimeFailure('the CSV export is not available yet'));
}
