/** `syncbalance import slack-export PATH`. Implemented in issue 3. */
import type { Warehouse } from '../../warehouse/db.ts';
import { RuntimeFailure } from '../../warehouse/errors.ts';
import type { Pseudonymizer } from '../../warehouse/identity.ts';
import type { Reporter } from '../../warehouse/reporter.ts';

export interface SlackExportImportOptions {
  readonly db: Warehouse;
  readonly pseudonymizer: Pseudonymizer;
  /** The export ZIP, or the folder it unpacks to. */
  readonly path: string;
  readonly reporter: Reporter;
}

export interface SlackExportSummary {
  readonly conversations: number;
  readonly messagesKept: number;
  readonly messagesSkipped: Readonly<Record<string, number>>;
  readonly users: number;
  readonly unmatchedUsers: number;
}

export function importSlackExport(options: SlackExportImportOptions): Promise<SlackExportSummary> {
  return Promise.reject(
    new RuntimeFailure(`importing Slack exports is not available yet (${options.path})`),
  );
}
