/** The Google Calendar sync as a refresh source: configured once `connect google` has run. */
import {
  googleCredentialFile,
  isGoogleConfigured,
} from '../../ingest/google-calendar/credentials.ts';
import { RuntimeFailure } from '../../warehouse/errors.ts';
import type { Source } from '../types.ts';
import { jobPseudonymizer } from './pseudonymizer.ts';

export const googleCalendarSource: Source = {
  name: 'google_calendar',
  isConfigured: (_config, _env, dbPath) => isGoogleConfigured(dbPath),
  async run(context) {
    // Loaded when a sync runs: googleapis takes half a second to load, which every CLI command
    // paid before (the jobs are wired into the CLI), `status` and `--help` included.
    const { syncGoogleCalendar } = await import('../../ingest/google-calendar/sync.ts');
    const summary = await syncGoogleCalendar({
      db: context.db,
      config: context.config,
      pseudonymizer: await jobPseudonymizer(context, context.db),
      reporter: context.reporter,
      credentialsFile: googleCredentialFile(context.dbPath),
      clock: context.now,
    });
    if (summary.failed.length > 0) {
      // The job log is published with the snapshot and shown in health: counts only, no addresses
      // (`syncbalance sync google` lists the calendars by address to the person running it).
      throw new RuntimeFailure(
        `${summary.failed.length} of ${summary.calendars} calendars failed to sync; their last complete sync stands and the next refresh retries them`,
      );
    }
    return {
      counts: {
        calendars: summary.calendars,
        synced: summary.synced,
        full_syncs: summary.fullSyncs,
        incremental_syncs: summary.incrementalSyncs,
        resynced_after_expiry: summary.resyncedAfterExpiry,
        events_written: summary.events.written,
        events_removed: summary.events.removed,
        requests: summary.requests,
      },
    };
  },
};
