// The Slack API commands; the ingest loads on demand so `--help` starts fast.
import type { Command } from 'commander';
import { InputError, RuntimeFailure } from '../../../warehouse/errors.ts';
import { readTextFile } from '../../../warehouse/files.ts';
import { isoDateOption } from '../args.ts';
import { withWarehouse } from '../context.ts';
import type { Io } from '../io.ts';
import { contextOf, liveSourceGroup, plural } from './shared.ts';

const TOKEN_SHAPE = /^xox[a-z]-[A-Za-z0-9-]+$/;

export function registerSlack(program: Command, io: Io): void {
  liveSourceGroup(program, 'connect')
    .command('slack')
    .description(
      'check a Slack token (auth.test), show its workspace and scopes, and store it for `sync slack`',
    )
    .option('--token-file <file>', 'file holding the token (default: $SLACK_TOKEN)')
    .action(async (options: { tokenFile?: string }, command: Command) => {
      const context = contextOf(command, io);
      const token =
        options.tokenFile === undefined
          ? context.env.SLACK_TOKEN
          : readTextFile(options.tokenFile, 'Slack token file').trim();
      if (token === undefined)
        throw new InputError(
          'no Slack token: pass --token-file FILE (a file holding the xoxp-… or xoxb-… token) or set SLACK_TOKEN',
        );
      if (!TOKEN_SHAPE.test(token))
        throw new InputError(
          `${options.tokenFile === undefined ? 'SLACK_TOKEN' : options.tokenFile}: does not look like a Slack token (xoxp-… or xoxb-…)`,
        );
      const { connectSlack } = await import('../../../ingest/slack-api/connect.ts');
      const connection = await connectSlack({
        token,
        config: context.config,
        dbPath: context.dbPath,
        reporter: context.reporter,
      });
      const { reporter } = context;
      reporter.result(
        `Connected to Slack workspace ${connection.workspace ?? connection.teamId}${connection.url === null ? '' : ` (${connection.url})`} with a ${connection.tokenKind} token`,
      );
      reporter.result(`Scopes granted: ${connection.granted.join(', ') || 'none of those needed'}`);
      reporter.result(
        connection.missing.length === 0
          ? 'Scopes missing: none'
          : `Scopes missing: ${connection.missing.join(', ')} (see docs/sources-slack.md for what each one reads)`,
      );
      if (connection.extra.length > 0)
        reporter.warn(
          `the token also has ${plural(connection.extra.length, 'scope')} syncbalance never uses (${connection.extra.join(', ')}); a token with only the manifest's scopes is safer`,
        );
      if (connection.tokenKind === 'bot')
        reporter.warn(
          'a bot token reads only conversations the app is a member of: invite it to channels, or connect a user token (see docs/sources-slack.md)',
        );
      reporter.result(`Token stored in ${connection.credentialFile} (readable by you only)`);
    });

  liveSourceGroup(program, 'sync')
    .command('slack')
    .description(
      'read Slack metadata with the Web API: users, conversations, then new messages and replies of each conversation; text is dropped as it arrives',
    )
    .option('--full', 'read every conversation again from the start of the history')
    .option(
      '--since <date>',
      'read every conversation from this date (default: where each left off; the first sync reads slack.historyDays)',
      isoDateOption('--since'),
    )
    .action(async (options: { full?: boolean; since?: string }, command: Command) => {
      const context = contextOf(command, io);
      const { resolveSlackToken, syncSlack } = await import('../../../ingest/slack-api/sync.ts');
      const token = resolveSlackToken({ dbPath: context.dbPath, env: context.env });
      if (token === undefined)
        throw new InputError(
          "no Slack token: run 'syncbalance connect slack --token-file FILE' first, or set SLACK_TOKEN",
        );
      const summary = await withWarehouse(context, async (db) =>
        syncSlack({
          db,
          config: context.config,
          pseudonymizer: await context.pseudonymizer(db),
          reporter: context.reporter,
          token,
          clock: io.now,
          ...(options.full === true ? { full: true } : {}),
          ...(options.since === undefined ? {} : { since: options.since }),
        }),
      );
      if (summary.failed > 0)
        throw new RuntimeFailure(
          `${plural(summary.failed, 'conversation')} could not be read; run 'syncbalance sync slack' again to finish them`,
        );
    });
}
