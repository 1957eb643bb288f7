/**
 * The `syncbalance` command line: global options, one file per command group, and the mapping of
 * errors to exit codes (0 success, 1 runtime failure, 2 usage or input error). Errors print as one
 * line on stderr, plus one line per problem; stack traces only with `--verbose`.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { SyncbalanceError } from '../../warehouse/errors.ts';
import { registerBuild } from './commands/build.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerExport } from './commands/export.ts';
import { registerGoogle } from './commands/google.ts';
import { registerImport } from './commands/import.ts';
import { registerReport } from './commands/report.ts';
import { registerServe } from './commands/serve.ts';
import { registerSlack } from './commands/slack.ts';
import { registerPublish } from './commands/publish.ts';
import { registerRefresh } from './commands/refresh.ts';
import { registerSchedule } from './commands/schedule.ts';
import { registerStatus } from './commands/status.ts';
import { processIo, type Io } from './io.ts';

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

export function createProgram(io: Io): Command {
  const program = new Command('syncbalance')
    .description(
      'Team-level balance of synchronous and asynchronous work, from calendar and Slack metadata.\n' +
        'Managers see team aggregates only; groups smaller than minGroupSize are never shown.',
    )
    .version(version)
    .option('--db <file>', 'warehouse file (default: $SYNCBALANCE_DB or data/syncbalance.duckdb)')
    .option('--config <file>', 'config file (default: syncbalance.config.yaml when present)')
    .option('--verbose', 'show stack traces with errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  registerDemo(program, io);
  registerImport(program, io);
  registerBuild(program, io);
  registerExport(program, io);
  registerServe(program, io);
  registerReport(program, io);
  registerSlack(program, io);
  registerPublish(program, io);
  registerRefresh(program, io);
  registerSchedule(program, io);
  registerStatus(program, io);
  registerDoctor(program, io);
  registerGoogle(program, io);
  return program;
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; everything else commander rejects is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    const verbose = argv.includes('--verbose');
    if (error instanceof SyncbalanceError) {
      io.stderr.write(`error: ${error.message}\n`);
      for (const detail of error.details) io.stderr.write(`  ${detail}\n`);
      if (verbose && error.stack) io.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(
      `error: internal error: ${message.split('\n')[0] ?? ''}${verbose ? '' : ' (run with --verbose for details)'}\n`,
    );
    if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
