import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import {
  teamWithDescendants,
  writeTeamWeeksCsv,
} from '../../../warehouse/export/team-weeks-csv.ts';
import { staleBuildSettings } from '../../../warehouse/build.ts';
import { RuntimeFailure } from '../../../warehouse/errors.ts';
import { isoDateOption } from '../args.ts';
import { openCurrentSnapshot } from '../../../warehouse/snapshot.ts';
import type { Io } from '../io.ts';
import { contextOf, plural } from './shared.ts';

interface CsvOptions {
  readonly team?: string;
  readonly from?: string;
  readonly to?: string;
  readonly out?: string;
}

export function registerExport(program: Command, io: Io): void {
  const group = program.command('export').description('export team aggregates (never a person)');
  group
    .command('csv')
    .description(
      'one row per team-week of the published build, with the columns documented in docs/metrics.md; suppressed rows stay empty',
    )
    .option('--team <path>', 'this team and its descendants (default: every team)')
    .option('--from <date>', 'first week (any date inside it)', isoDateOption('--from'))
    .option('--to <date>', 'last week (any date inside it)', isoDateOption('--to'))
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (options: CsvOptions, command: Command) => {
      const context = contextOf(command, io);
      // The published snapshot, like the server: an export never waits for (or blocks) a build.
      const opened = await openCurrentSnapshot(context.dbPath);
      if (opened === null)
        throw new RuntimeFailure(
          `no build has been published beside ${context.dbPath}: run 'syncbalance build' (or 'syncbalance demo') first`,
        );
      const { db } = opened;
      try {
        const stale = await staleBuildSettings(db, context.config);
        if (stale.length > 0) {
          throw new RuntimeFailure(
            `the published build was not made with the current settings: run 'syncbalance build' first`,
            stale,
          );
        }
        const selection = {
          teams: options.team === undefined ? null : await teamWithDescendants(db, options.team),
          from: options.from ?? null,
          to: options.to ?? null,
        };
        if (options.out === undefined) {
          await writeTeamWeeksCsv(db, selection, io.stdout);
          return;
        }
        // Written beside the target and renamed at the end, so a failed export leaves no half file.
        const partial = `${options.out}.partial`;
        const file = createWriteStream(partial);
        try {
          const rows = await writeTeamWeeksCsv(db, selection, file);
          file.end();
          await finished(file);
          await rename(partial, options.out);
          context.reporter.info(`Wrote ${plural(rows, 'team-week')} to ${options.out}`);
        } catch (error) {
          file.destroy();
          await rm(partial, { force: true });
          throw error;
        }
      } finally {
        db.close();
      }
    });
}
