/** The deterministic demo organisation. Implemented with issue 2's demo generator. */
import type { Warehouse } from '../../warehouse/db.ts';
import { RuntimeFailure } from '../../warehouse/errors.ts';
import type { Pseudonymizer } from '../../warehouse/identity.ts';
import type { Reporter } from '../../warehouse/reporter.ts';

export interface DemoOptions {
  readonly seed: number;
  /** Monday (`YYYY-MM-DD`) of the last week generated: by default the last complete week. */
  readonly lastWeek: string;
  readonly weeks: number;
  readonly reporter: Reporter;
}

export interface DemoSummary {
  readonly people: number;
  readonly teams: number;
  readonly events: number;
  readonly messages: number;
}

export function generateDemo(
  _db: Warehouse,
  _pseudonymizer: Pseudonymizer,
  options: DemoOptions,
): Promise<DemoSummary> {
  return Promise.reject(
    new RuntimeFailure(`the demo generator is not available yet (seed ${options.seed})`),
  );
}
