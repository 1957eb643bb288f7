import type { Command } from 'commander';
import { buildModels, type BuildResult } from '../../../warehouse/build.ts';
import type { Reporter } from '../../../warehouse/reporter.ts';
import { withWarehouse } from '../context.ts';
import type { Io } from '../io.ts';
import { contextOf, plural } from './shared.ts';

export function reportBuild(reporter: Reporter, result: BuildResult): void {
  const width = Math.max(
    ...result.models.map((model) => model.layer.length + model.model.length + 1),
    10,
  );
  for (const model of result.models) {
    const name = `${model.layer}.${model.model}`.padEnd(width);
    reporter.result(
      `${name}  ${model.rows.toLocaleString('en-US').padStart(12)} rows  ${model.milliseconds.toFixed(0).padStart(7)} ms`,
    );
  }
  reporter.result(
    `Built ${plural(result.models.length, 'model')} in ${(result.totalMilliseconds / 1000).toFixed(2)} s` +
      ` (invariant checks ${(result.checksMilliseconds / 1000).toFixed(2)} s)`,
  );
}

export function registerBuild(program: Command, io: Io): void {
  program
    .command('build')
    .description(
      'run the SQL models (staging, intermediate, marts) in one transaction and check their invariants',
    )
    .option('--select <models...>', 'build only these models and everything downstream of them')
    .action(async (options: { select?: string[] }, command: Command) => {
      const context = contextOf(command, io);
      const result = await withWarehouse(context, (db) =>
        buildModels(db, context.config, {
          ...(options.select ? { select: options.select } : {}),
          reporter: context.reporter,
        }),
      );
      reportBuild(context.reporter, result);
    });
}
