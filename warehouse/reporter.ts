/**
 * How long-running work talks to the person running it. Passed in rather than written to
 * `process.stdout` directly, so tests run quietly and can assert on what would have been said.
 */

export interface Progress {
  /** Adds to the count done so far. */
  advance(by?: number): void;
  /** Ends the progress line; the caller reports the outcome itself. */
  done(): void;
  /** Further detail shown after the count (e.g. rates and an ETA); optional for reporters. */
  note?(text: string): void;
}

export interface Reporter {
  /** The result of a command (a summary line). Goes to stdout. */
  result(line: string): void;
  /** Status a person may want to read. Goes to stderr. */
  info(line: string): void;
  /** Something worth fixing that did not stop the command. Goes to stderr. */
  warn(line: string): void;
  /** A counter shown while a long step runs on a terminal; silent elsewhere. */
  progress(label: string, unit: string, total?: number): Progress;
}

const noProgress: Progress = { advance() {}, done() {} };

export interface RecordingReporter extends Reporter {
  readonly results: string[];
  readonly infos: string[];
  readonly warnings: string[];
}

/** A reporter that keeps every line, for tests. */
export function recordingReporter(): RecordingReporter {
  const results: string[] = [];
  const infos: string[] = [];
  const warnings: string[] = [];
  return {
    results,
    infos,
    warnings,
    result: (line) => results.push(line),
    info: (line) => infos.push(line),
    warn: (line) => warnings.push(line),
    progress: () => noProgress,
  };
}

export const silentReporter: Reporter = {
  result() {},
  info() {},
  warn() {},
  progress: () => noProgress,
};
