import type { Command } from 'commander';
import { buildStep, publishStep } from '../../../jobs/steps.ts';
import { lastCompleteWeekStart, isoWeekday } from '../../../warehouse/dates.ts';
import { InputError } from '../../../warehouse/errors.ts';
import { integerOption, isoDateOption } from '../args.ts';
import { withWarehouse } from '../context.ts';
import type { Io } from '../io.ts';
import { reportBuild } from './build.ts';
import { reportPublish, secretsOf } from './publish.ts';
import { contextOf } from './shared.ts';

export const DEMO_SEED = 42;
export const DEMO_WEEKS = 16;

export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description(
      'generate the demo organisation (deterministic for a seed) into the warehouse, then build and publish the models',
    )
    .option('--seed <n>', 'random seed', integerOption('--seed', 0, 2 ** 31 - 1), DEMO_SEED)
    .option('--weeks <n>', 'number of weeks', integerOption('--weeks', 2, 104), DEMO_WEEKS)
    .option(
      '--last-week <date>',
      'Monday of the last generated week (default: the last complete week)',
      isoDateOption('--last-week'),
    )
    .option('--no-build', 'only generate the raw data')
    .action(
      async (
        options: { seed: number; weeks: number; lastWeek?: string; build: boolean },
        command: Command,
      ) => {
        const context = contextOf(command, io);
        const lastWeek =
          options.lastWeek ?? lastCompleteWeekStart(io.now(), context.config.timezone);
        if (isoWeekday(lastWeek) !== 1)
          throw new InputError(`--last-week: ${lastWeek} is not a Monday`);
        const { generateDemo } = await import('../../../ingest/demo/generate.ts');
        await withWarehouse(context, async (db) => {
          await generateDemo(db, await context.pseudonymizer(db), {
            seed: options.seed,
            lastWeek,
            weeks: options.weeks,
            reporter: context.reporter,
          });
          if (options.build) {
            const step = {
              db,
              config: context.config,
              reporter: context.reporter,
              now: io.now,
              secrets: secretsOf(context),
            };
            reportBuild(context.reporter, await buildStep(step));
            reportPublish(context.reporter, await publishStep(step));
          }
        });
      },
    );
}
