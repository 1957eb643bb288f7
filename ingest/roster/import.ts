/** `syncbalance import roster FILE [--as-of DATE]`: one dated snapshot, all or nothing. */
import type { Warehouse } from '../../warehouse/db.ts';
import { readTextFile } from '../../warehouse/files.ts';
import { InputError } from '../../warehouse/errors.ts';
import { formatProblem } from '../../warehouse/errors.ts';
import type { Pseudonymizer } from '../../warehouse/identity.ts';
import { replaceRosterSnapshot } from '../../warehouse/raw/roster.ts';
import type { Reporter } from '../../warehouse/reporter.ts';
import { beginRun, recordRun } from '../../warehouse/runs.ts';
import { parseRoster } from './parse.ts';

export interface RosterImportOptions {
  readonly db: Warehouse;
  readonly pseudonymizer: Pseudonymizer;
  readonly file: string;
  /** `YYYY-MM-DD`: the date from which this roster describes the organisation. */
  readonly asOf: string;
  readonly reporter: Reporter;
}

export interface RosterImportSummary {
  readonly asOf: string;
  readonly people: number;
  readonly teams: number;
  readonly warnings: number;
}

/** Every prefix of every team path: `A/B/C` is in teams `A`, `A/B` and `A/B/C`. */
export function teamsOf(paths: Iterable<string>): Set<string> {
  const teams = new Set<string>();
  for (const path of paths) {
    const segments = path.split('/');
    for (let length = 1; length <= segments.length; length++)
      teams.add(segments.slice(0, length).join('/'));
  }
  return teams;
}

export async function importRoster(options: RosterImportOptions): Promise<RosterImportSummary> {
  const { db, file, asOf, reporter } = options;
  const parsed = parseRoster(readTextFile(file, 'roster', { invalidUtf8: 'refuse' }), file);
  if (parsed.problems.length > 0) {
    throw new InputError(
      `${file}: ${parsed.problems.length} problem${parsed.problems.length === 1 ? '' : 's'}; nothing was imported`,
      parsed.problems,
    );
  }
  if (parsed.entries.length === 0)
    throw InputError.at({ file }, 'the roster has no people; nothing was imported');
  for (const warning of parsed.warnings) reporter.warn(formatProblem(warning));
  const summary: RosterImportSummary = {
    asOf,
    people: parsed.entries.length,
    teams: teamsOf(parsed.entries.map((entry) => entry.teamPath)).size,
    warnings: parsed.warnings.length,
  };
  await db.transaction(async () => {
    const run = await beginRun(db, 'roster', options.pseudonymizer);
    await replaceRosterSnapshot(db, options.pseudonymizer, asOf, parsed.entries, run);
    await recordRun(db, run, {
      as_of: asOf,
      people: summary.people,
      teams: summary.teams,
      warnings: summary.warnings,
    });
  });
  reporter.result(
    `Imported roster snapshot ${asOf}: ${summary.people} people in ${summary.teams} teams` +
      (summary.warnings > 0
        ? ` (${summary.warnings} warning${summary.warnings === 1 ? '' : 's'})`
        : ''),
  );
  return summary;
}
