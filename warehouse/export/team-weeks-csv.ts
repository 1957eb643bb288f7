/** The team-week CSV contract. Implemented in issue 4. */
import type { Writable } from 'node:stream';
import type { Warehouse } from '../db.ts';
import { RuntimeFailure } from '../errors.ts';

export interface TeamWeeksCsvOptions {
  /** This team and its descendants; every team when null. */
  readonly team: string | null;
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
