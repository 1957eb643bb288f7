/** `syncbalance import ics PATH...`. Implemented in issue 3. */
import type { Warehouse } from '../../warehouse/db.ts';
import { RuntimeFailure } from '../../warehouse/errors.ts';
import type { Pseudonymizer } from '../../warehouse/identity.ts';
import type { Reporter } from '../../warehouse/reporter.ts';

export interface IcsImportOptions {
  readonly db: Warehouse;
  readonly pseudonymizer: Pseudonymizer;
  /** `.ics` files, or folders searched for them. */
  readonly paths: readonly string[];
  /** The owner of every calendar given; null to take it from each file's name. */
  readonly owner: string | null;
  /** First and last day of the window, `YYYY-MM-DD`, inclusive. */
  readonly from: string;
  readonly to: string;
  readonly reporter: Reporter;
}

export interface IcsImportSummary {
  readonly calendars: number;
  readonly events: number;
  readonly attendees: number;
}

export function importIcs(options: IcsImportOptions): Promise<IcsImportSummary> {
  return Promise.reject(
    new RuntimeFailure(
      `importing iCalendar files is not available yet (${options.paths.length} paths)`,
    ),
  );
}
