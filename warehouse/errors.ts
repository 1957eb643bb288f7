/**
 * Errors the user can act on. Anything else that escapes to the CLI is a bug and is reported as
 * an internal error.
 *
 * Every problem names where it is (file, line, column or field) so a user with a 10,000-line
 * roster or a 3 GB Slack export can go straight to the bad spot.
 */

export interface Location {
  /** A path on disk, or a path inside an archive such as `export.zip!general/2026-01-05.json`. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** A field or column name, or a dotted config path such as `workingHours.start`. */
  readonly field?: string;
}

export interface Problem {
  readonly location: Location;
  readonly message: string;
}

export function formatLocation(location: Location): string {
  let where = location.file ?? '';
  if (location.line !== undefined) where += `${where ? ':' : 'line '}${location.line}`;
  if (location.column !== undefined) where += `:${location.column}`;
  if (location.field !== undefined) where += where ? ` ${location.field}` : location.field;
  return where;
}

export function formatProblem(problem: Problem): string {
  const where = formatLocation(problem.location);
  return where ? `${where}: ${problem.message}` : problem.message;
}

/** Base of every error meant for the user: `exitCode` 2 for bad input, 1 for a failure at run time. */
export abstract class SyncbalanceError extends Error {
  abstract readonly exitCode: 1 | 2;
  /** Further lines shown under the one-line message, e.g. one per bad roster row. */
  readonly details: readonly string[];

  constructor(message: string, details: readonly string[] = [], options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.details = details;
  }
}

/** Bad input: a file, an argument or a setting the user can fix. Exit code 2. */
export class InputError extends SyncbalanceError {
  readonly exitCode = 2;
  readonly problems: readonly Problem[];

  constructor(message: string, problems: readonly Problem[] = [], options?: ErrorOptions) {
    super(message, problems.map(formatProblem), options);
    this.problems = problems;
  }

  static at(location: Location, message: string, options?: ErrorOptions): InputError {
    return new InputError(formatProblem({ location, message }), [], options);
  }
}

/** An expected failure while running (a locked warehouse, an unreachable service). Exit code 1. */
export class RuntimeFailure extends SyncbalanceError {
  readonly exitCode = 1;
}
