/**
 * The CLI's side effects in one place (streams, environment, clock), passed in so tests can run
 * `main()` in-process with captured output.
 */
import type { Progress, Reporter } from '../../warehouse/reporter.ts';

export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly now: () => Date;
}

export const processIo: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  now: () => new Date(),
};

/** Progress lines redraw in place on a terminal; in CI and in pipes they are not shown at all. */
export function interactive(io: Io): boolean {
  return io.stderr.isTTY === true && !io.env['CI'];
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function consoleReporter(io: Io): Reporter {
  const live = interactive(io);
  return {
    result: (line) => io.stdout.write(`${line}\n`),
    info: (line) => io.stderr.write(`${line}\n`),
    warn: (line) => io.stderr.write(`warning: ${line}\n`),
    progress(label: string, unit: string, total?: number): Progress {
      if (!live) return { advance() {}, done() {} };
      const started = Date.now();
      let count = 0;
      let drawn = 0;
      let detail = '';
      const draw = (): void => {
        const seconds = (Date.now() - started) / 1000;
        const rate = seconds > 0 ? ` (${formatCount(Math.round(count / seconds))} ${unit}/s)` : '';
        const of = total === undefined ? '' : ` of ${formatCount(total)}`;
        const left = total === undefined || count === 0 ? 0 : ((total - count) * seconds) / count;
        const eta = left > 0 ? `, about ${formatDuration(left)} left` : '';
        const extra = detail === '' ? `${rate}${eta}` : ` · ${detail}`;
        io.stderr.write(`\r\x1b[2K${label}: ${formatCount(count)}${of} ${unit}${extra}`);
        drawn = Date.now();
      };
      return {
        advance(by = 1) {
          count += by;
          if (Date.now() - drawn > 100) draw();
        },
        done() {
          draw();
          io.stderr.write('\n');
        },
        note(text) {
          detail = text;
          if (Date.now() - drawn > 100) draw();
        },
      };
    },
  };
}
