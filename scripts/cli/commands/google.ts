// The Google Calendar source loads on demand, so `--help` and other commands start fast.
import type { Command } from 'commander';
import { InputError, RuntimeFailure } from '../../../warehouse/errors.ts';
import { isoDateOption } from '../args.ts';
import { withWarehouse } from '../context.ts';
import type { Io } from '../io.ts';
import { contextOf, liveSourceGroup } from './shared.ts';

const EMAIL = /^[^@\s]+@[^@\s]+$/;

export function registerGoogle(program: Command, io: Io): void {
  liveSourceGroup(program, 'connect')
    .command('google')
    .description(
      'connect Google Calendar: one person by desktop sign-in, or the whole organisation by a service account with domain-wide delegation',
    )
    .option(
      '--desktop <client_secret.json>',
      'OAuth client of type "Desktop app"; opens the browser to sign in',
    )
    .option('--service-account <key.json>', 'service account key with domain-wide delegation')
    .option('--admin <email>', 'with --service-account: a Workspace admin to list the directory as')
    .action(
      async (
        options: { desktop?: string; serviceAccount?: string; admin?: string },
        command: Command,
      ) => {
        if ((options.desktop === undefined) === (options.serviceAccount === undefined)) {
          throw new InputError(
            'give exactly one of --desktop CLIENT_SECRET.json and --service-account KEY.json',
          );
        }
        if (options.desktop !== undefined && options.admin !== undefined) {
          throw new InputError('--admin goes with --service-account only');
        }
        const context = contextOf(command, io);
        const { googleCredentialFile } =
          await import('../../../ingest/google-calendar/credentials.ts');
        const connect = await import('../../../ingest/google-calendar/connect.ts');
        const common = {
          config: context.config.google,
          credentialsFile: googleCredentialFile(context.dbPath),
          reporter: context.reporter,
        };
        if (options.desktop !== undefined) {
          await connect.connectDesktop({ ...common, clientSecretFile: options.desktop });
          return;
        }
        const admin = options.admin?.trim().toLowerCase();
        if (admin === undefined || !EMAIL.test(admin)) {
          throw new InputError(
            '--service-account needs --admin ADMIN_EMAIL, a Workspace administrator',
          );
        }
        await connect.connectServiceAccount({
          ...common,
          keyFile: options.serviceAccount ?? '',
          admin,
        });
      },
    );

  liveSourceGroup(program, 'sync')
    .command('google')
    .description(
      'sync Google Calendar: a full sync of the window the first time, then only what changed (run it daily)',
    )
    .option('--full', 'forget the sync tokens and list every calendar in full')
    .option(
      '--from <date>',
      'first day of the window (implies --full; earlier synced weeks are kept)',
      isoDateOption('--from'),
    )
    .option('--person <email>', "only this person's calendar")
    .action(
      async (options: { full?: boolean; from?: string; person?: string }, command: Command) => {
        const context = contextOf(command, io);
        const { googleCredentialFile } =
          await import('../../../ingest/google-calendar/credentials.ts');
        const { syncGoogleCalendar } = await import('../../../ingest/google-calendar/sync.ts');
        const summary = await withWarehouse(context, async (db) =>
          syncGoogleCalendar({
            db,
            config: context.config,
            pseudonymizer: await context.pseudonymizer(db),
            reporter: context.reporter,
            credentialsFile: googleCredentialFile(context.dbPath),
            clock: io.now,
            ...(options.full === true ? { full: true } : {}),
            ...(options.from === undefined ? {} : { from: options.from }),
            ...(options.person === undefined ? {} : { person: options.person }),
          }),
        );
        if (summary.failed.length > 0) {
          throw new RuntimeFailure(
            `${summary.failed.length} of ${summary.calendars} calendars failed to sync; their last complete sync stands and the next run retries them`,
            summary.failed.map((failure) => `${failure.email}: ${failure.error}`),
          );
        }
      },
    );
}
