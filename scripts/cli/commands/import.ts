// Importers load on demand, so `--help` and other commands start fast.
import type { Command } from 'commander';
import { addDays, dateInZone } from '../../../warehouse/dates.ts';
import { isoDateOption } from '../args.ts';
import { withWarehouse } from '../context.ts';
import type { Io } from '../io.ts';
import { contextOf } from './shared.ts';

/** How far back `import ics` expands recurring events when `--from` is not given. */
const ICS_DEFAULT_WEEKS = 26;

export function registerImport(program: Command, io: Io): void {
  const group = program
    .command('import')
    .description('import offline files into the warehouse (metadata only)');

  group
    .command('roster')
    .description(
      'import a roster CSV as a dated snapshot (columns: email, team, name, manager_email, timezone, work_days, work_start, work_end, slack_user_id)',
    )
    .argument('<file>', 'roster CSV with a header row')
    .option(
      '--as-of <date>',
      'date from which this roster applies (default: today)',
      isoDateOption('--as-of'),
    )
    .action(async (file: string, options: { asOf?: string }, command: Command) => {
      const context = contextOf(command, io);
      const { importRoster } = await import('../../../ingest/roster/import.ts');
      await withWarehouse(context, async (db) =>
        importRoster({
          db,
          pseudonymizer: await context.pseudonymizer(db),
          file,
          asOf: options.asOf ?? dateInZone(io.now(), context.config.timezone),
          reporter: context.reporter,
        }),
      );
    });

  group
    .command('slack-export')
    .description(
      'import a Slack workspace export (the ZIP or its unpacked folder); message text is never read into the warehouse',
    )
    .argument('<path>', 'export ZIP or folder')
    .action(async (path: string, _options: unknown, command: Command) => {
      const context = contextOf(command, io);
      const { importSlackExport } = await import('../../../ingest/slack-export/import.ts');
      await withWarehouse(context, async (db) =>
        importSlackExport({
          db,
          pseudonymizer: await context.pseudonymizer(db),
          path,
          reporter: context.reporter,
          now: io.now(),
        }),
      );
    });

  group
    .command('ics')
    .description(
      'import iCalendar (.ics) files or folders of them, one calendar per file; titles and descriptions are dropped',
    )
    .argument('<paths...>', '.ics files or folders')
    .option(
      '--owner <email>',
      "the calendar owner's email (default: the file name, when it is an address)",
    )
    .option(
      '--from <date>',
      `first day to import (default: ${ICS_DEFAULT_WEEKS} weeks before today)`,
      isoDateOption('--from'),
    )
    .option('--to <date>', 'last day to import (default: today)', isoDateOption('--to'))
    .action(
      async (
        paths: string[],
        options: { owner?: string; from?: string; to?: string },
        command: Command,
      ) => {
        const context = contextOf(command, io);
        const today = dateInZone(io.now(), context.config.timezone);
        const { importIcs } = await import('../../../ingest/ics/import.ts');
        await withWarehouse(context, async (db) =>
          importIcs({
            db,
            pseudonymizer: await context.pseudonymizer(db),
            paths,
            owner: options.owner ?? null,
            from: options.from ?? addDays(today, -7 * ICS_DEFAULT_WEEKS),
            to: options.to ?? today,
            reporter: context.reporter,
            now: io.now(),
          }),
        );
      },
    );
}
