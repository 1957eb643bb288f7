/**
 * `syncbalance sync google`: every connected calendar into the raw calendar tables, incrementally
 * by Google's sync tokens. See docs/sources-google-calendar.md.
 *
 * Per calendar: a full sync lists the window (`timeMin`/`timeMax`, instances expanded, deleted
 * items shown); later runs list only what changed since the stored `nextSyncToken`. All pages of a
 * calendar are read first, then written in ONE transaction together with the new token, so a crash
 * between pages leaves the old token and the old rows and the rerun repeats that calendar. A token
 * Google no longer accepts (410) wipes that calendar's window and syncs it in full, in that same
 * single transaction. A calendar that keeps failing is recorded with its error; the others go on.
 *
 * Calendars are fetched with bounded concurrency; writes are serialised (one DuckDB connection,
 * one transaction at a time).
 */
import type { calendar_v3 } from 'googleapis';
import { z } from 'zod';
import type { Config } from '../../warehouse/config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { InputError, RuntimeFailure } from '../../warehouse/errors.ts';
import { normaliseEmail, type Pseudonymizer } from '../../warehouse/identity.ts';
import {
  beginKeyDiff,
  clearCalendarWindow,
  readCalendarSyncStates,
  removeCalendarEvents,
  saveCalendarSyncFailure,
  saveCalendarSyncSuccess,
  saveCalendarZone,
  type CalendarRemoval,
  type CalendarSyncState,
} from '../../warehouse/raw/calendar-sync.ts';
import { CalendarBatchWriter, type CalendarEvent } from '../../warehouse/raw/calendar.ts';
import type { Reporter } from '../../warehouse/reporter.ts';
import { beginRun, completeRun, recordRun, type ImportRun } from '../../warehouse/runs.ts';
import { isTimeZone } from '../../warehouse/schedule.ts';
import {
  CALENDAR_SCOPES,
  DIRECTORY_SCOPE,
  GoogleApiError,
  calendarApi,
  desktopAuth,
  directoryApi,
  serviceAccountAuth,
  withRetry,
  type ApiAuth,
  type RetryPolicy,
} from './client.ts';
import { loadConnection, type GoogleConnection } from './credentials.ts';
import {
  DIRECTORY_FIELDS,
  EVENTS_FIELDS,
  REQUESTED_EVENT_TYPES,
  directoryPageSchema,
  eventsPageSchema,
  googleEventSchema,
  mapItem,
  settingSchema,
  startsIn,
} from './mapping.ts';
import { rfc3339, syncWindow, unionWindow, type SyncWindow } from './window.ts';

/** Google's largest page for `events.list`: fewest requests per calendar. */
const PAGE_SIZE = 2500;
const DIRECTORY_PAGE_SIZE = 500;
/** Unchanged calendars' new tokens saved per transaction. */
const TOKEN_BATCH = 200;

interface PendingToken {
  readonly ownerId: string;
  readonly syncToken: string;
  readonly window: SyncWindow;
}

export interface GoogleSyncOptions {
  readonly db: Warehouse;
  readonly config: Config;
  readonly pseudonymizer: Pseudonymizer;
  readonly reporter: Reporter;
  /** The connection file, `googleCredentialFile(dbPath)`. */
  readonly credentialsFile: string;
  readonly clock: () => Date;
  /** Forget the sync tokens: every calendar is listed in full. */
  readonly full?: boolean;
  /** First day of the window (`YYYY-MM-DD`); implies a full sync. Earlier windows are kept. */
  readonly from?: string;
  /** Only this person's calendar. */
  readonly person?: string;
  /** Waits between retries (tests pass a fast one). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface CalendarFailure {
  readonly email: string;
  readonly error: string;
}

export interface GoogleSyncSummary {
  readonly connection: GoogleConnection['kind'];
  readonly calendars: number;
  readonly synced: number;
  readonly fullSyncs: number;
  readonly incrementalSyncs: number;
  /** Calendars whose sync token Google refused (410), wiped and synced in full. */
  readonly resyncedAfterExpiry: number;
  readonly events: {
    /** Instances written (new or rewritten). */
    readonly written: number;
    readonly added: number;
    readonly removed: number;
    /** Items starting outside the calendar's window. */
    readonly outsideWindow: number;
    /** Items without a usable start or end. */
    readonly invalid: number;
  };
  readonly requests: number;
  readonly retries: number;
  /** Service account only: how the directory matched the roster. */
  readonly directory: {
    readonly users: number;
    /** Directory users not in the roster, or suspended: not synced. */
    readonly skipped: number;
    /** Roster people the directory does not list. */
    readonly missing: readonly string[];
  } | null;
  readonly failed: readonly CalendarFailure[];
}

interface Target {
  readonly email: string;
  readonly ownerId: string;
  /** `primary` for the desktop account's own calendar, else the owner's address. */
  readonly calendarId: string;
  readonly auth: () => ApiAuth;
}

interface RosterPerson {
  readonly email: string;
  readonly timezone: string | null;
}

const rosterRow = z.object({ email: z.string(), timezone: z.string().nullable() });
const zoneRow = z.object({ owner_id: z.string(), timezone: z.string() });

interface Counters {
  requests: number;
  retries: number;
}

export async function syncGoogleCalendar(options: GoogleSyncOptions): Promise<GoogleSyncSummary> {
  const { db, config, reporter, pseudonymizer } = options;
  const google = config.google;
  const connection = loadConnection(options.credentialsFile);
  if (connection === null) {
    throw new InputError(
      `Google is not connected for this warehouse: run 'syncbalance connect google --desktop CLIENT_SECRET.json' or 'syncbalance connect google --service-account KEY.json --admin ADMIN_EMAIL' first`,
    );
  }
  const counters: Counters = { requests: 0, retries: 0 };
  const retry: RetryPolicy = {
    attempts: google.retry.attempts,
    baseDelayMs: google.retry.baseDelayMs,
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
  };
  const call = <T>(request: () => Promise<T>): Promise<T> =>
    withRetry(
      () => {
        counters.requests += 1;
        return request();
      },
      retry,
      () => {
        counters.retries += 1;
      },
    );

  const roster = await latestRoster(db, pseudonymizer);
  const { targets, directory } = await listTargets(connection, options, roster, call);
  const chosen =
    options.person === undefined
      ? targets
      : targets.filter((target) => target.email === normaliseEmail(options.person ?? ''));
  if (options.person !== undefined && chosen.length === 0) {
    throw new InputError(
      `--person ${options.person}: no calendar of that person is synced (${connection.kind === 'desktop' ? 'not the signed-in account nor in google.calendars' : 'not in both the roster and the directory'})`,
    );
  }
  for (const target of chosen) {
    if (!roster.has(target.ownerId)) {
      reporter.warn(
        `${target.email}: not in the roster: the calendar is synced, but counts for no team until they are added`,
      );
    }
  }

  const states = await readCalendarSyncStates(db);
  const calendarZones = new Map(
    (await db.parse(zoneRow, `SELECT owner_id, timezone FROM raw.calendar_settings`)).map((row) => [
      row.owner_id,
      row.timezone,
    ]),
  );
  // On record before any calendar commits its rows (see completeRun), completed at the end.
  const run = await db.transaction(async () => {
    const begun = await beginRun(db, 'google_calendar', pseudonymizer);
    await recordRun(db, begun, { complete: false });
    return begun;
  });
  const totals = {
    synced: 0,
    fullSyncs: 0,
    incrementalSyncs: 0,
    resyncedAfterExpiry: 0,
    written: 0,
    added: 0,
    removed: 0,
    outsideWindow: 0,
    invalid: 0,
  };
  const failed: CalendarFailure[] = [];
  const writes = serialiser();
  const pendingTokens: PendingToken[] = [];
  const flushTokens = (): Promise<void> =>
    writes(async () => {
      const batch = pendingTokens.splice(0);
      if (batch.length === 0) return;
      await db.transaction(async () => {
        for (const token of batch) {
          await saveCalendarSyncSuccess(
            db,
            token.ownerId,
            token.syncToken,
            token.window,
            options.clock(),
          );
        }
      });
    });
  const saveToken = async (token: PendingToken): Promise<void> => {
    pendingTokens.push(token);
    if (pendingTokens.length >= TOKEN_BATCH) await flushTokens();
  };
  const progress = reporter.progress('Syncing Google calendars', 'calendars', chosen.length);

  await pool(chosen, google.concurrency, async (target) => {
    const context: CalendarContext = {
      options,
      run,
      target,
      state: states.get(target.ownerId) ?? null,
      zone: roster.get(target.ownerId)?.timezone ?? calendarZones.get(target.ownerId) ?? null,
      call,
      writes,
      saveToken,
    };
    try {
      const outcome = await syncCalendar(context);
      totals.synced += 1;
      if (outcome.full) totals.fullSyncs += 1;
      else totals.incrementalSyncs += 1;
      if (outcome.expired) totals.resyncedAfterExpiry += 1;
      totals.written += outcome.written;
      totals.added += outcome.added;
      totals.removed += outcome.removed;
      totals.outsideWindow += outcome.outsideWindow;
      totals.invalid += outcome.invalid;
    } catch (error) {
      const description = failureOf(error);
      failed.push({ email: target.email, error: description });
      await writes(() => saveCalendarSyncFailure(db, target.ownerId, description, options.clock()));
    }
    progress.advance();
  });
  await flushTokens();
  progress.done();

  const summary: GoogleSyncSummary = {
    connection: connection.kind,
    calendars: chosen.length,
    synced: totals.synced,
    fullSyncs: totals.fullSyncs,
    incrementalSyncs: totals.incrementalSyncs,
    resyncedAfterExpiry: totals.resyncedAfterExpiry,
    events: {
      written: totals.written,
      added: totals.added,
      removed: totals.removed,
      outsideWindow: totals.outsideWindow,
      invalid: totals.invalid,
    },
    requests: counters.requests,
    retries: counters.retries,
    directory,
    failed: failed.sort((a, b) => a.email.localeCompare(b.email)),
  };
  await completeRun(db, run, {
    connection: summary.connection,
    calendars: summary.calendars,
    synced: summary.synced,
    full_syncs: summary.fullSyncs,
    incremental_syncs: summary.incrementalSyncs,
    resynced_after_expiry: summary.resyncedAfterExpiry,
    events_written: summary.events.written,
    events_added: summary.events.added,
    events_removed: summary.events.removed,
    outside_window: summary.events.outsideWindow,
    invalid: summary.events.invalid,
    requests: summary.requests,
    retries: summary.retries,
    failed: summary.failed.length,
    directory_users: directory?.users ?? null,
    directory_skipped: directory?.skipped ?? null,
    roster_missing_from_directory: directory?.missing.length ?? null,
  });
  reporter.result(summaryLine(summary));
  if (directory !== null && directory.missing.length > 0) {
    reporter.warn(
      `${directory.missing.length} roster ${directory.missing.length === 1 ? 'person is' : 'people are'} not in the Google directory, so not synced: ${directory.missing.slice(0, 10).join(', ')}${directory.missing.length > 10 ? ', …' : ''}`,
    );
  }
  return summary;
}

/** The latest roster snapshot's people, by person key. */
async function latestRoster(
  db: Warehouse,
  pseudonymizer: Pseudonymizer,
): Promise<Map<string, RosterPerson>> {
  const rows = await db.parse(
    rosterRow,
    `SELECT email, timezone FROM raw.roster_people
     WHERE as_of = (SELECT max(as_of) FROM raw.roster_snapshots)`,
  );
  return new Map(rows.map((row) => [pseudonymizer.person(row.email), row]));
}

type Call = <T>(request: () => Promise<T>) => Promise<T>;

async function listTargets(
  connection: GoogleConnection,
  options: GoogleSyncOptions,
  roster: ReadonlyMap<string, RosterPerson>,
  call: Call,
): Promise<{ targets: Target[]; directory: GoogleSyncSummary['directory'] }> {
  const { config, pseudonymizer } = options;
  const google = config.google;
  if (connection.kind === 'desktop') {
    const auth = desktopAuth(connection, google);
    const emails = [
      connection.email,
      ...google.calendars.filter((email) => email !== connection.email),
    ];
    return {
      targets: emails.map((email) => ({
        email,
        ownerId: pseudonymizer.person(email),
        calendarId: email === connection.email ? 'primary' : email,
        auth: () => auth,
      })),
      directory: null,
    };
  }
  if (roster.size === 0) {
    throw new InputError(
      "no roster: the service account syncs the calendars of the roster's people; run 'syncbalance import roster FILE' first",
    );
  }
  const admin = directoryApi(
    serviceAccountAuth(connection, connection.admin, [DIRECTORY_SCOPE], google),
    google,
  );
  const users: { email: string; suspended: boolean }[] = [];
  let pageToken: string | undefined;
  try {
    do {
      const token = pageToken;
      const response = await call(() =>
        admin.users.list(
          {
            customer: 'my_customer',
            maxResults: DIRECTORY_PAGE_SIZE,
            fields: DIRECTORY_FIELDS,
            ...(token === undefined ? {} : { pageToken: token }),
          },
          { retry: false },
        ),
      );
      const page = directoryPageSchema.parse(response.data);
      for (const user of page.users) {
        users.push({
          email: normaliseEmail(user.primaryEmail),
          suspended: user.suspended === true,
        });
      }
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
  } catch (error) {
    throw new RuntimeFailure(
      `cannot list the Google Workspace directory as ${connection.admin}: ${failureOf(error)} (check the domain-wide delegation of the service account, see docs/sources-google-calendar.md)`,
      [],
      { cause: error },
    );
  }
  const inDirectory = new Set(users.map((user) => user.email));
  const targets: Target[] = [];
  let skipped = 0;
  for (const user of users) {
    const ownerId = pseudonymizer.person(user.email);
    if (user.suspended || !roster.has(ownerId)) {
      skipped += 1;
      continue;
    }
    targets.push({
      email: user.email,
      ownerId,
      calendarId: user.email,
      auth: () => serviceAccountAuth(connection, user.email, CALENDAR_SCOPES, google),
    });
  }
  const missing = [...roster.values()]
    .map((person) => normaliseEmail(person.email))
    .filter((email) => !inDirectory.has(email))
    .sort();
  targets.sort((a, b) => a.email.localeCompare(b.email));
  return { targets, directory: { users: users.length, skipped, missing } };
}

interface CalendarContext {
  readonly options: GoogleSyncOptions;
  readonly run: ImportRun;
  readonly target: Target;
  readonly state: CalendarSyncState | null;
  /** The owner's zone as the metrics see it (roster first, then the calendar's stored setting). */
  readonly zone: string | null;
  readonly call: Call;
  readonly writes: Serialiser;
  readonly saveToken: (token: PendingToken) => Promise<void>;
}

interface CalendarOutcome {
  readonly full: boolean;
  readonly expired: boolean;
  readonly written: number;
  readonly added: number;
  readonly removed: number;
  readonly outsideWindow: number;
  readonly invalid: number;
}

interface Listing {
  readonly items: unknown[];
  readonly syncToken: string;
  readonly calendarZone: string | null;
}

/** A sync token Google no longer accepts (HTTP 410): only a full sync can continue. */
function isExpiredToken(error: unknown): boolean {
  return error instanceof GoogleApiError && error.facts.status === 410;
}

async function syncCalendar(context: CalendarContext): Promise<CalendarOutcome> {
  const { options, target, state, call } = context;
  const api = calendarApi(target.auth(), options.config.google);
  const now = options.clock();
  const wantsFull =
    options.full === true ||
    options.from !== undefined ||
    state?.syncToken == null ||
    state.window === null;

  if (!wantsFull) {
    let changes: Listing | null = null;
    try {
      changes = await listEvents(api, target.calendarId, { syncToken: state.syncToken }, call);
    } catch (error) {
      if (!isExpiredToken(error)) throw error;
    }
    if (changes !== null) {
      const stored = state.window;
      let zone = context.zone;
      let extension: { window: SyncWindow; listing: Listing } | null = null;
      const desired = syncWindow(
        now,
        zone ?? options.config.timezone,
        options.config.google.window,
      );
      if (desired.end > stored.end) {
        // The window moves on weekly: list the new week(s) once, as a full sync would.
        zone = (await readZone(api, call)) ?? changes.calendarZone ?? zone;
        const window = {
          start: stored.end,
          end: desired.end,
          allDayStart: stored.allDayEnd,
          allDayEnd: desired.allDayEnd > stored.allDayEnd ? desired.allDayEnd : stored.allDayEnd,
        };
        extension = {
          window,
          listing: await listEvents(
            api,
            target.calendarId,
            { timeMin: rfc3339(window.start), timeMax: rfc3339(window.end) },
            call,
          ),
        };
      }
      const window = extension === null ? stored : unionWindow(stored, extension.window);
      return write(context, {
        full: false,
        expired: false,
        window,
        cover: extension?.window ?? null,
        clear: null,
        items: [...changes.items, ...(extension?.listing.items ?? [])],
        syncToken: changes.syncToken,
        calendarZone: extension === null ? null : (zone ?? null),
      });
    }
  }

  // Full sync: the settings' zone first, so the window's days are the owner's days.
  const settingsZone = await readZone(api, call);
  const zone = context.zone ?? settingsZone ?? options.config.timezone;
  let window = syncWindow(now, zone, options.config.google.window, options.from);
  if (state?.window != null) window = unionWindow(window, state.window);
  const listing = await listEvents(
    api,
    target.calendarId,
    { timeMin: rfc3339(window.start), timeMax: rfc3339(window.end) },
    call,
  );
  return write(context, {
    full: true,
    expired: !wantsFull,
    window,
    cover: window,
    clear: state?.window ?? null,
    items: listing.items,
    syncToken: listing.syncToken,
    calendarZone: settingsZone ?? listing.calendarZone,
  });
}

async function readZone(api: calendar_v3.Calendar, call: Call): Promise<string | null> {
  try {
    const response = await call(() =>
      api.settings.get({ setting: 'timezone', fields: 'value' }, { retry: false }),
    );
    const parsed = settingSchema.safeParse(response.data);
    return parsed.success && isTimeZone(parsed.data.value) ? parsed.data.value : null;
  } catch (error) {
    // Without the settings scope the calendar's own zone (from the events pages) stands in.
    if (error instanceof GoogleApiError) return null;
    throw error;
  }
}

async function listEvents(
  api: calendar_v3.Calendar,
  calendarId: string,
  range: { syncToken: string } | { timeMin: string; timeMax: string },
  call: Call,
): Promise<Listing> {
  const items: unknown[] = [];
  let calendarZone: string | null = null;
  let pageToken: string | undefined;
  for (;;) {
    const token = pageToken;
    const response = await call(() =>
      api.events.list(
        {
          calendarId,
          singleEvents: true,
          showDeleted: true,
          maxResults: PAGE_SIZE,
          eventTypes: [...REQUESTED_EVENT_TYPES],
          fields: EVENTS_FIELDS,
          ...range,
          ...(token === undefined ? {} : { pageToken: token }),
        },
        { retry: false },
      ),
    );
    const page = eventsPageSchema.parse(response.data);
    items.push(...page.items);
    if (page.timeZone !== undefined && isTimeZone(page.timeZone)) calendarZone = page.timeZone;
    if (page.nextPageToken !== undefined) {
      pageToken = page.nextPageToken;
      continue;
    }
    if (page.nextSyncToken === undefined) {
      throw new RuntimeFailure('the last page of events came without a sync token');
    }
    return { items, syncToken: page.nextSyncToken, calendarZone };
  }
}

interface WritePlan {
  readonly full: boolean;
  readonly expired: boolean;
  /** The window the calendar holds after this sync. */
  readonly window: SyncWindow;
  /** The part of it listed in full now (replaced as a whole, recorded as coverage). */
  readonly cover: SyncWindow | null;
  /** The window to wipe first (a full re-sync of a calendar synced before). */
  readonly clear: SyncWindow | null;
  readonly items: readonly unknown[];
  readonly syncToken: string;
  readonly calendarZone: string | null;
}

async function write(context: CalendarContext, plan: WritePlan): Promise<CalendarOutcome> {
  const { options, run, target } = context;
  const { db, pseudonymizer } = options;
  const ownerId = target.ownerId;
  const personIds = new Map<string, string>();
  const personId = (address: string): string => {
    let id = personIds.get(address);
    if (id === undefined) {
      id = pseudonymizer.person(address);
      personIds.set(address, id);
    }
    return id;
  };
  const events: CalendarEvent[] = [];
  const removals: CalendarRemoval[] = [];
  let outsideWindow = 0;
  let invalid = 0;
  for (const raw of plan.items) {
    const item = googleEventSchema.safeParse(raw);
    if (!item.success) {
      invalid += 1;
      continue;
    }
    const mapped = mapItem(item.data, { ownerId, pseudonymizer, personId });
    if (mapped.kind === 'invalid') invalid += 1;
    else if (mapped.kind === 'removal') removals.push(mapped.removal);
    else if (startsIn(mapped.event, plan.window)) events.push(mapped.event);
    else {
      // Moved out of the window, or never in it: whatever the warehouse holds for it goes.
      outsideWindow += 1;
      removals.push({ eventKey: mapped.event.eventKey, recurrenceKey: mapped.event.recurrenceKey });
    }
  }

  if (plan.items.length === 0 && plan.cover === null && plan.calendarZone === null) {
    // Nothing changed (most calendars on most days): only the new token to keep, saved with
    // others in one transaction. Should that be lost, the old token asks again for the same
    // (empty) changes: nothing can be missed.
    await context.saveToken({ ownerId, syncToken: plan.syncToken, window: plan.window });
    return {
      full: plan.full,
      expired: plan.expired,
      written: 0,
      added: 0,
      removed: 0,
      outsideWindow,
      invalid,
    };
  }
  return context.writes(() =>
    db.transaction(async () => {
      const diff = await beginKeyDiff(db, ownerId);
      if (plan.clear !== null) await clearCalendarWindow(db, { ownerId, ...plan.clear });
      await removeCalendarEvents(db, ownerId, removals);
      const writer = await CalendarBatchWriter.begin(db, run);
      let written: number;
      try {
        if (plan.cover !== null) {
          writer.coverWindow({ ownerId, ...plan.cover, timezone: plan.calendarZone });
        }
        for (const event of events) writer.addEvent(event);
        written = (await writer.finish()).events;
      } catch (error) {
        await writer.abandon();
        throw error;
      }
      if (plan.cover === null && plan.calendarZone !== null) {
        await saveCalendarZone(db, run, ownerId, plan.calendarZone);
      }
      await saveCalendarSyncSuccess(db, ownerId, plan.syncToken, plan.window, options.clock());
      const { added, removed } = await diff.finish();
      return {
        full: plan.full,
        expired: plan.expired,
        written,
        added,
        removed,
        outsideWindow,
        invalid,
      };
    }),
  );
}

/** What went wrong, for the sync state and the summary: status and reason, never a payload. */
function failureOf(error: unknown): string {
  if (error instanceof GoogleApiError)
    return `${error.message}${error.attempts > 1 ? ` after ${error.attempts} attempts` : ''}`;
  if (error instanceof RuntimeFailure) return error.message;
  return `unexpected ${error instanceof Error ? error.name : 'error'}`;
}

type Serialiser = <T>(work: () => Promise<T>) => Promise<T>;

/** Runs the given work one at a time, in call order. */
function serialiser(): Serialiser {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work);
    tail = result.catch(() => undefined);
    return result;
  };
}

async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : nouns}`;
}

export function summaryLine(summary: GoogleSyncSummary): string {
  const { events } = summary;
  const parts = [
    `Synced ${plural(summary.synced, 'Google calendar')} of ${summary.calendars.toLocaleString('en-US')} ` +
      `(${summary.fullSyncs.toLocaleString('en-US')} full, ${summary.incrementalSyncs.toLocaleString('en-US')} incremental` +
      `${summary.resyncedAfterExpiry > 0 ? `, ${summary.resyncedAfterExpiry.toLocaleString('en-US')} re-synced in full after Google expired their sync token` : ''}): ` +
      `${plural(events.added, 'event')} added, ${(events.written - events.added < 0 ? 0 : events.written - events.added).toLocaleString('en-US')} updated, ${events.removed.toLocaleString('en-US')} removed`,
    events.outsideWindow > 0
      ? `${plural(events.outsideWindow, 'change')} outside the window ignored`
      : null,
    events.invalid > 0 ? `${plural(events.invalid, 'item')} without a usable time skipped` : null,
    summary.directory === null
      ? null
      : `${plural(summary.directory.skipped, 'directory user')} skipped (not in the roster, or suspended), ${plural(summary.directory.missing.length, 'roster person', 'roster people')} not in the directory`,
    `${plural(summary.requests, 'request')}${summary.retries > 0 ? ` (${plural(summary.retries, 'retry', 'retries')})` : ''}`,
    summary.failed.length > 0 ? `${plural(summary.failed.length, 'calendar')} failed` : null,
  ];
  return parts.filter((part) => part !== null).join('; ');
}
