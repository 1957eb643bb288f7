import type { Command } from 'commander';
import type { PausePoint } from '../../../jobs/steps.ts';
import { publishStep } from '../../../jobs/steps.ts';
import type { PublishResult } from '../../../warehouse/publish.ts';
import type { Reporter } from '../../../warehouse/reporter.ts';
import { withWarehouse, type CliContext } from '../context.ts';
import type { Io } from '../io.ts';
import { contextOf } from './shared.ts';

/**
 * Tests kill a writer at a named point: with SYNCBALANCE_TEST_PAUSE_AT set to it, the process says
 * so on stderr and waits there until it is killed.
 */
export function pauseFrom(io: Io): ((point: PausePoint) => Promise<void>) | undefined {
  const target = io.env['SYNCBALANCE_TEST_PAUSE_AT'];
  if (target === undefined || target === '') return undefined;
  return async (point) => {
    if (point !== target) return;
    io.stderr.write(`paused at ${point}\n`);
    await new Promise(() => {
      setInterval(() => undefined, 60_000);
    });
  };
}

/**
 * Every secret value the process can see, to strip from error text: the environment's known
 * secrets, and any variable whose name says it holds one (a source's token, an SMTP password).
 */
export function secretsOf(context: CliContext): string[] {
  const named = Object.entries(context.io.env).flatMap(([name, value]) =>
    /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE/i.test(name) && value !== undefined
      ? [value]
      : [],
  );
  const known = [context.env.SYNCBALANCE_SALT, context.env.SYNCBALANCE_SESSION_SECRET].filter(
    (value): value is string => value !== undefined,
  );
  return [...new Set([...known, ...named])].filter((value) => value.length >= 6);
}

export function reportPublish(reporter: Reporter, result: PublishResult): void {
  reporter.result(
    `Published build ${result.buildId}: ${result.tables} tables, ${(result.bytes / 1_048_576).toFixed(1)} MB, in ${(result.milliseconds / 1000).toFixed(2)} s`,
  );
}

export function registerPublish(program: Command, io: Io): void {
  program
    .command('publish')
    .description(
      'copy the built marts into a new snapshot beside the warehouse and make it the one servers show (build does this after success)',
    )
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command, io);
      const pause = pauseFrom(io);
      const result = await withWarehouse(context, (db) =>
        publishStep({
          db,
          config: context.config,
          reporter: context.reporter,
          now: io.now,
          secrets: secretsOf(context),
          ...(pause === undefined ? {} : { pause }),
        }),
      );
      reportPublish(context.reporter, result);
    });
}
