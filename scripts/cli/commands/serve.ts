import type { Command } from 'commander';
import { startServer } from '../../../server/serve.ts';
import { integerOption } from '../args.ts';
import { createScheduler, runUntilSignalled } from './schedule.ts';
import { contextOf } from './shared.ts';
import type { Io } from '../io.ts';

export function registerServe(program: Command, io: Io): void {
  program
    .command('serve')
    .description(
      'serve the dashboard and its API (http://127.0.0.1:3000 by default) from the published build',
    )
    .option('--host <host>', 'address to listen on (default: server.host in the config)')
    .option(
      '--port <port>',
      'port (default: $PORT, else server.port in the config)',
      integerOption('--port', 0, 65535),
    )
    .option('--schedule', "also run the config's schedule (refresh, report) in this process")
    .action(
      async (options: { host?: string; port?: number; schedule?: boolean }, command: Command) => {
        const context = contextOf(command, io);
        const scheduler = options.schedule === true ? createScheduler(context) : null;
        if (options.schedule === true && scheduler === null)
          context.reporter.warn(
            'nothing is scheduled: set schedule.refresh (and schedule.report) in the config',
          );
        const server = await startServer({
          config: context.config,
          env: context.env,
          dbPath: context.dbPath,
          host: options.host ?? context.config.server.host,
          port: options.port ?? context.env.PORT ?? context.config.server.port,
          reporter: context.reporter,
          now: io.now,
        });
        context.reporter.result(`syncbalance is serving ${server.url}`);
        if (scheduler === null) {
          await server.closed;
          return;
        }
        // The same signal stops both: the server at once, the scheduler after its current step.
        await Promise.all([server.closed, runUntilSignalled(context, scheduler)]);
      },
    );
}
