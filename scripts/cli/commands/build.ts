import type { Command } from 'commander';
import type { BuildResult } from '../../../warehouse/build.ts';
import type { BuildMode } from '../../../warehouse/incremental.ts';
import type { Reporter } from '../../../warehouse/reporter.ts';
import { buildStep, publishStep } from '../../../jobs/steps.ts';
import { withWarehouse } from '../context.ts';
import type { Io } from '../io.ts';
import { pauseFrom, reportPublish, secretsOf } from './publish.ts';
import { contextOf, plural } from './shared.ts';

/** "incremental: 3 weeks rebuilt (2026-11-02 … 2026-11-16)" or "full: why". */
export function describeMode(mode: BuildMode): string {
  if (mode.kind === 'full') return `full: ${mode.reason}`;
  const span =
    mode.weeks.length === 0 ? 'no raw data changed' : `${mode.weeks[0]} … ${mode.weeks.at(-1)}`;
  return `incremental: ${plural(mode.weeks.length, 'week')} rebuilt (${span})`;
}

export function reportBuild(reporter: Reporter, result: BuildResult): void {
  const width = Math.max(
    ...result.models.map((model) => model.layer.length + model.model.length + 1),
    10,
  );
  for (const model of result.models) {
    const name = `${model.layer}.${model.model}`.padEnd(width);
    reporter.result(
      `${name}  ${(model.rows === null ? 'view' : `${model.rows.toLocaleString('en-US')} rows`).padStart(17)}  ${model.milliseconds.toFixed(0).padStart(7)} ms${model.partial ? '  (affected weeks)' : ''}`,
    );
  }
  if (result.mode !== undefined) reporter.result(describeMode(result.mode));
  reporter.result(
    `Built ${plural(result.models.length, 'model')} in ${(result.totalMilliseconds / 1000).toFixed(2)} s` +
      ` (invariant checks ${(result.checksMilliseconds / 1000).toFixed(2)} s)`,
  );
}

export function registerBuild(program: Command, io: Io): void {
  program
    .command('build')
    .description(
      'run the SQL models (staging, intermediate, marts) in one transaction, check their invariants, and publish the result to the servers; only the weeks whose raw data changed are rebuilt unless --full',
    )
    .option('--select <models...>', 'build only these models and everything downstream of them')
    .option(
      '--full',
      'rebuild every week (by default only the weeks whose raw data changed since the last build)',
    )
    .option('--no-publish', 'build only; servers keep showing the published snapshot')
    .action(
      async (
        options: { select?: string[]; full?: boolean; publish: boolean },
        command: Command,
      ) => {
        const context = contextOf(command, io);
        const pause = pauseFrom(io);
        await withWarehouse(context, async (db) => {
          const step = {
            db,
            config: context.config,
            reporter: context.reporter,
            now: io.now,
            secrets: secretsOf(context),
            ...(options.select ? { select: options.select } : {}),
            ...(options.full === true ? { full: true } : {}),
            ...(pause === undefined ? {} : { pause }),
          };
          reportBuild(context.reporter, await buildStep(step));
          if (options.publish) reportPublish(context.reporter, await publishStep(step));
        });
      },
    );
}
