import type { Command } from 'commander';
import { refresh, type RefreshResult } from '../../../jobs/refresh.ts';
import { registeredSources } from '../../../jobs/registry.ts';
import '../../../jobs/wiring.ts';
import { RuntimeFailure } from '../../../warehouse/errors.ts';
import type { Reporter } from '../../../warehouse/reporter.ts';
import type { CliContext } from '../context.ts';
import type { Io } from '../io.ts';
import { reportBuild } from './build.ts';
import { pauseFrom, reportPublish, secretsOf } from './publish.ts';
import { contextOf } from './shared.ts';

export function runRefresh(context: CliContext, signal: AbortSignal): Promise<RefreshResult> {
  const pause = pauseFrom(context.io);
  return refresh({
    config: context.config,
    env: context.env,
    dbPath: context.dbPath,
    reporter: context.reporter,
    now: context.io.now,
    signal,
    sources: registeredSources(),
    secrets: secretsOf(context),
    ...(pause === undefined ? {} : { pause }),
  });
}

export function reportRefresh(reporter: Reporter, result: RefreshResult): void {
  for (const source of result.sources)
    reporter.result(
      `source ${source.name}: ${source.status}${source.error === null ? '' : ` (${source.error})`}`,
    );
  if (result.build !== null) reportBuild(reporter, result.build);
  if (result.publish !== null) reportPublish(reporter, result.publish);
}

export function registerRefresh(program: Command, io: Io): void {
  program
    .command('refresh')
    .description(
      'sync every configured source one after the other, then build and publish (a failed source is logged and the build runs on what is known)',
    )
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command, io);
      const result = await runRefresh(context, new AbortController().signal);
      reportRefresh(context.reporter, result);
      if (result.status !== 'ok')
        throw new RuntimeFailure(`refresh ${result.status}: ${result.error ?? ''}`);
    });
}
