import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { writeTeamWeeksCsv } from '../../../warehouse/export/team-weeks-csv.ts';
import { isoDateOption } from '../args.ts';
import { withWarehouse } from '../context.ts';
import type { Io } from '../io.ts';
import { contextOf, plural } from './shared.ts';

export function registerExport(program: Command, io: Io): void {
  const group = program.command('export').description('export team aggregates (never a person)');
  group
    .command('csv')
    .description(
      'one row per team-week with the metric columns of docs/metrics.md; suppressed rows stay empty',
    )
    .option('--team <path>', 'this team and its descendants (default: every team)')
    .option('--from <date>', 'first week (a date inside it)', isoDateOption('--from'))
    .option('--to <date>', 'last week (a date inside it)', isoDateOption('--to'))
    .option('--out <file>', 'write to a file instead of stdout')
    .action(
      async (
        options: { team?: string; from?: string; to?: string; out?: string },
        command: Command,
      ) => {
        const context = contextOf(command, io);
        await withWarehouse(
          context,
          async (db) => {
            const out = options.out ? createWriteStream(options.out) : io.stdout;
            const rows = await writeTeamWeeksCsv(
              db,
              {
                teams: options.team === undefined ? null : [options.team],
                from: options.from ?? null,
                to: options.to ?? null,
              },
              out as NodeJS.WritableStream & import('node:stream').Writable,
            );
            if (options.out) {
              out.end();
              await finished(out as import('node:stream').Writable);
              context.reporter.info(`Wrote ${plural(rows, 'team-week')} to ${options.out}`);
            }
          },
          { readOnly: true },
        );
      },
    );
}
