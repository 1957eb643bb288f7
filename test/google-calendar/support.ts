/** Builders for Google Calendar sync tests: an emulator, a warehouse with a roster, a connection. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { z } from 'zod';
import { googleCredentialFile, saveConnection } from '../../ingest/google-calendar/credentials.ts';
import { DESKTOP_SCOPES } from '../../ingest/google-calendar/client.ts';
import {
  syncGoogleCalendar,
  type GoogleSyncOptions,
  type GoogleSyncSummary,
} from '../../ingest/google-calendar/sync.ts';
import { importRoster } from '../../ingest/roster/import.ts';
import { parseConfig, type Config } from '../../warehouse/config.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { recordingReporter, type RecordingReporter } from '../../warehouse/reporter.ts';
import { tempDir, testPseudonymizer } from '../helpers/warehouse.ts';
import { GoogleEmulator, type ApiEvent, type EmulatorOptions } from './emulator.ts';

/** "Today" in every sync test: a Wednesday. The default window is 2025-09-01 to 2026-04-27. */
export const NOW = new Date('2026-03-25T12:00:00Z');

const emulators: GoogleEmulator[] = [];
const warehouses: Warehouse[] = [];
afterEach(async () => {
  for (const db of warehouses.splice(0)) db.close();
  for (const emulator of emulators.splice(0)) await emulator.close();
});

export async function startEmulator(options: EmulatorOptions = {}): Promise<GoogleEmulator> {
  const emulator = await GoogleEmulator.start(options);
  emulators.push(emulator);
  return emulator;
}

export interface RosterEntry {
  readonly email: string;
  readonly team?: string;
  readonly timezone?: string;
}

export function writeRoster(dir: string, people: readonly RosterEntry[]): string {
  const file = join(dir, 'roster.csv');
  writeFileSync(
    file,
    [
      'email,team,timezone',
      ...people.map((p) => `${p.email},${p.team ?? 'Engineering/Platform'},${p.timezone ?? ''}`),
    ].join('\n') + '\n',
  );
  return file;
}

export interface SyncSetup {
  readonly dir: string;
  readonly dbPath: string;
  readonly db: Warehouse;
  readonly config: Config;
  readonly credentialsFile: string;
  sync(
    options?: Partial<GoogleSyncOptions>,
  ): Promise<GoogleSyncSummary & { reporter: RecordingReporter }>;
}

export function emulatorConfig(
  emulator: GoogleEmulator,
  extra: Record<string, unknown> = {},
): Config {
  return parseConfig({
    google: {
      rootUrl: emulator.url,
      tokenUrl: emulator.tokenUrl,
      retry: { attempts: 6, baseDelayMs: 1 },
      ...extra,
    },
  });
}

/**
 * A warehouse with the roster imported and the service account connected (admin@example.com), or
 * the desktop account `desktop` connected.
 */
export async function setUp(
  emulator: GoogleEmulator,
  roster: readonly RosterEntry[],
  options: { desktop?: string; config?: Record<string, unknown> } = {},
): Promise<SyncSetup> {
  const dir = tempDir('syncbalance-google-');
  const dbPath = join(dir, 'warehouse.duckdb');
  const db = await Warehouse.open(dbPath);
  warehouses.push(db);
  if (roster.length > 0) {
    await importRoster({
      db,
      pseudonymizer: testPseudonymizer,
      file: writeRoster(dir, roster),
      asOf: '2025-01-01',
      reporter: recordingReporter(),
    });
  }
  const credentialsFile = googleCredentialFile(dbPath);
  if (options.desktop === undefined) {
    emulator.addUser('admin@example.com', { admin: true, inDirectory: true });
    const key = emulator.serviceAccountKey();
    saveConnection(credentialsFile, {
      kind: 'serviceAccount',
      clientEmail: key['client_email'] ?? '',
      privateKey: key['private_key'] ?? '',
      admin: 'admin@example.com',
    });
  } else {
    saveConnection(credentialsFile, {
      kind: 'desktop',
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      refreshToken: emulator.issueRefreshToken(options.desktop, DESKTOP_SCOPES),
      email: options.desktop,
    });
  }
  const config = emulatorConfig(emulator, options.config);
  return {
    dir,
    dbPath,
    db,
    config,
    credentialsFile,
    async sync(overrides = {}) {
      const reporter = recordingReporter();
      const summary = await syncGoogleCalendar({
        db,
        config,
        pseudonymizer: testPseudonymizer,
        reporter,
        credentialsFile,
        clock: () => NOW,
        sleep: () => Promise.resolve(),
        ...overrides,
      });
      return { ...summary, reporter };
    },
  };
}

/** A timed event on `date` from `from` to `to` (`HH:MM`, UTC). */
export function timed(
  id: string,
  date: string,
  from: string,
  to: string,
  extra: Partial<ApiEvent> = {},
): ApiEvent {
  return {
    id,
    status: 'confirmed',
    eventType: 'default',
    start: { dateTime: `${date}T${from}:00Z` },
    end: { dateTime: `${date}T${to}:00Z` },
    ...extra,
  };
}

/** The instances of a weekly series, as `singleEvents=true` expands them. */
export function weekly(
  seriesId: string,
  firstDate: string,
  from: string,
  to: string,
  count: number,
  extra: Partial<ApiEvent> = {},
): ApiEvent[] {
  const instances: ApiEvent[] = [];
  for (let week = 0; week < count; week++) {
    const date = new Date(Date.parse(`${firstDate}T00:00:00Z`) + week * 7 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const basic = `${date.replaceAll('-', '')}T${from.replace(':', '')}00Z`;
    instances.push({
      ...timed(`${seriesId}_${basic}`, date, from, to, extra),
      recurringEventId: seriesId,
      originalStartTime: { dateTime: `${date}T${from}:00Z` },
    });
  }
  return instances;
}

export const eventRow = z.object({
  event_key: z.string(),
  recurrence_key: z.string(),
  start_at: z.string().nullable(),
  end_at: z.string().nullable(),
  start_date: z.string().nullable(),
  status: z.string(),
  event_type: z.string(),
  transparency: z.string(),
  is_recurring: z.boolean(),
});

export async function eventsOf(db: Warehouse, email: string): Promise<z.infer<typeof eventRow>[]> {
  return db.parse(
    eventRow,
    `SELECT event_key, recurrence_key, strftime(start_at, '%Y-%m-%dT%H:%M:%SZ') AS start_at,
            strftime(end_at, '%Y-%m-%dT%H:%M:%SZ') AS end_at, start_date::VARCHAR AS start_date,
            status, event_type, transparency, is_recurring
     FROM raw.calendar_events WHERE owner_id = $1 ORDER BY start_at, start_date, event_key`,
    [testPseudonymizer.person(email)],
  );
}

export function eventKey(id: string): string {
  return testPseudonymizer.calendarEvent(`google:${id}`);
}
