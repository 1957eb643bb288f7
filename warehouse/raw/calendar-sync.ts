/**
 * Writers for calendars kept in step with a live source (Google Calendar), beside the batch writer
 * of `calendar.ts`: removing single events or whole series that the source reports as deleted,
 * clearing one calendar's window before a full re-sync, the calendar's zone, and each calendar's
 * sync state (`meta.google_calendar_sync`). Every function joins the caller's transaction, so a
 * calendar's rows and its new sync token land together or not at all.
 */
import { z } from 'zod';
import type { Warehouse } from '../db.ts';
import type { ImportRun } from '../runs.ts';
import { StagingTable } from './append.ts';

export interface CalendarRemoval {
  readonly eventKey: string;
  /** One instance of a series (`recurrenceKey` as in `CalendarEvent`), or null for every row of the event. */
  readonly recurrenceKey: string | null;
}

/** Deletes the given events or instances from one owner's calendar; returns the instances removed. */
export async function removeCalendarEvents(
  db: Warehouse,
  ownerId: string,
  removals: readonly CalendarRemoval[],
): Promise<number> {
  if (removals.length === 0) return 0;
  const staging = await StagingTable.create(db, 'calendar_removals', {
    event_key: 'VARCHAR',
    recurrence_key: 'VARCHAR',
  });
  try {
    for (const removal of removals) staging.append([removal.eventKey, removal.recurrenceKey]);
    staging.flush();
    const matches = `t.owner_id = $1 AND EXISTS (
        SELECT 1 FROM ${staging.name} AS r
        WHERE r.event_key = t.event_key AND (r.recurrence_key IS NULL OR r.recurrence_key = t.recurrence_key))`;
    const row = await db.one(
      `SELECT count(*)::INTEGER AS n FROM raw.calendar_events AS t WHERE ${matches}`,
      [ownerId],
    );
    for (const table of ['raw.calendar_attendees', 'raw.calendar_events']) {
      await db.run(`DELETE FROM ${table} AS t WHERE ${matches}`, [ownerId]);
    }
    return Number(row?.['n'] ?? 0);
  } finally {
    await staging.drop();
  }
}

export interface OwnerWindow {
  readonly ownerId: string;
  /** Microseconds since the epoch: timed events starting in [start, end). */
  readonly start: bigint;
  readonly end: bigint;
  /** `YYYY-MM-DD`: all-day events starting on a date in [allDayStart, allDayEnd). */
  readonly allDayStart: string;
  readonly allDayEnd: string;
}

/**
 * Deletes one owner's events in a window (before a full re-sync after the source invalidated its
 * sync token); returns the instances removed. Coverage stays: the re-sync in the same
 * transaction covers the window again.
 */
export async function clearCalendarWindow(db: Warehouse, window: OwnerWindow): Promise<number> {
  const params = {
    owner: window.ownerId,
    start_us: window.start,
    end_us: window.end,
    all_day_start: window.allDayStart,
    all_day_end: window.allDayEnd,
  };
  const matches = `t.owner_id = $owner AND EXISTS (
      SELECT 1 FROM raw.calendar_events AS e
      WHERE e.owner_id = t.owner_id AND e.event_key = t.event_key AND e.recurrence_key = t.recurrence_key
        AND ((NOT e.is_all_day AND e.start_at >= make_timestamptz($start_us::BIGINT) AND e.start_at < make_timestamptz($end_us::BIGINT))
          OR (e.is_all_day AND e.start_date >= $all_day_start::DATE AND e.start_date < $all_day_end::DATE)))`;
  const row = await db.one(
    `SELECT count(*)::INTEGER AS n FROM raw.calendar_events AS t WHERE ${matches}`,
    params,
  );
  // Attendees first: their rows are found through the events that are about to go.
  for (const table of ['raw.calendar_attendees', 'raw.calendar_events']) {
    await db.run(`DELETE FROM ${table} AS t WHERE ${matches}`, params);
  }
  return Number(row?.['n'] ?? 0);
}

/** Records a calendar's own zone (the source's setting), as the batch writer does for a window. */
export async function saveCalendarZone(
  db: Warehouse,
  run: ImportRun,
  ownerId: string,
  timezone: string,
): Promise<void> {
  await db.run(
    `INSERT INTO raw.calendar_settings VALUES ($1, $2, $3, $4)
     ON CONFLICT (owner_id) DO UPDATE SET timezone = excluded.timezone, source = excluded.source, run_id = excluded.run_id`,
    [ownerId, timezone, run.source, run.runId],
  );
}

let diffCounter = 0;

/**
 * Remembers an owner's event keys now, to tell at `finish()` (in the same transaction, after the
 * writes) how many instances the sync added and removed.
 */
export async function beginKeyDiff(
  db: Warehouse,
  ownerId: string,
): Promise<{ finish(): Promise<{ added: number; removed: number }> }> {
  diffCounter += 1;
  const name = `staging_calendar_keys_${process.pid}_${diffCounter}`;
  await db.run(
    `CREATE TEMP TABLE ${name} AS SELECT event_key, recurrence_key FROM raw.calendar_events WHERE owner_id = $1`,
    [ownerId],
  );
  return {
    async finish() {
      try {
        const row = await db.one(
          `WITH after AS (SELECT event_key, recurrence_key FROM raw.calendar_events WHERE owner_id = $1)
           SELECT (SELECT count(*) FROM (SELECT * FROM after EXCEPT SELECT * FROM ${name}))::INTEGER AS added,
                  (SELECT count(*) FROM (SELECT * FROM ${name} EXCEPT SELECT * FROM after))::INTEGER AS removed`,
          [ownerId],
        );
        return { added: Number(row?.['added'] ?? 0), removed: Number(row?.['removed'] ?? 0) };
      } finally {
        await db.run(`DROP TABLE IF EXISTS ${name}`);
      }
    },
  };
}

export interface CalendarSyncState {
  readonly ownerId: string;
  /** Google's `nextSyncToken` from the last complete sync; null forces a full sync. */
  readonly syncToken: string | null;
  /** The window the calendar holds, as in `OwnerWindow`; null before the first success. */
  readonly window: Omit<OwnerWindow, 'ownerId'> | null;
  readonly lastAttemptAt: string;
  readonly lastSuccessAt: string | null;
  /** A short description of the last failure (status and reason, never a payload). */
  readonly lastError: string | null;
  readonly consecutiveFailures: number;
}

const stateRow = z.object({
  owner_id: z.string(),
  sync_token: z.string().nullable(),
  start_us: z.string().nullable(),
  end_us: z.string().nullable(),
  all_day_start: z.string().nullable(),
  all_day_end: z.string().nullable(),
  last_attempt_at: z.string(),
  last_success_at: z.string().nullable(),
  last_error: z.string().nullable(),
  consecutive_failures: z.number(),
});

/** Every calendar's sync state, by owner. */
export async function readCalendarSyncStates(
  db: Warehouse,
): Promise<Map<string, CalendarSyncState>> {
  const rows = await db.parse(
    stateRow,
    `SELECT owner_id, sync_token, epoch_us(window_start)::VARCHAR AS start_us, epoch_us(window_end)::VARCHAR AS end_us,
            all_day_start::VARCHAR AS all_day_start, all_day_end::VARCHAR AS all_day_end,
            strftime(last_attempt_at, '%Y-%m-%dT%H:%M:%SZ') AS last_attempt_at,
            strftime(last_success_at, '%Y-%m-%dT%H:%M:%SZ') AS last_success_at,
            last_error, consecutive_failures
     FROM meta.google_calendar_sync`,
  );
  return new Map(
    rows.map((row) => [
      row.owner_id,
      {
        ownerId: row.owner_id,
        syncToken: row.sync_token,
        window:
          row.start_us === null ||
          row.end_us === null ||
          row.all_day_start === null ||
          row.all_day_end === null
            ? null
            : {
                start: BigInt(row.start_us),
                end: BigInt(row.end_us),
                allDayStart: row.all_day_start,
                allDayEnd: row.all_day_end,
              },
        lastAttemptAt: row.last_attempt_at,
        lastSuccessAt: row.last_success_at,
        lastError: row.last_error,
        consecutiveFailures: row.consecutive_failures,
      },
    ]),
  );
}

/** After a complete sync of one calendar: its new token and window, in the rows' transaction. */
export async function saveCalendarSyncSuccess(
  db: Warehouse,
  ownerId: string,
  syncToken: string,
  window: Omit<OwnerWindow, 'ownerId'>,
  at: Date,
): Promise<void> {
  await db.run(
    `INSERT INTO meta.google_calendar_sync
     VALUES ($owner, $token, make_timestamptz($start_us::BIGINT), make_timestamptz($end_us::BIGINT), $all_day_start::DATE,
             $all_day_end::DATE, $at::TIMESTAMPTZ, $at::TIMESTAMPTZ, NULL, 0)
     ON CONFLICT (owner_id) DO UPDATE SET
       sync_token = excluded.sync_token, window_start = excluded.window_start, window_end = excluded.window_end,
       all_day_start = excluded.all_day_start, all_day_end = excluded.all_day_end,
       last_attempt_at = excluded.last_attempt_at, last_success_at = excluded.last_success_at,
       last_error = NULL, consecutive_failures = 0`,
    {
      owner: ownerId,
      token: syncToken,
      start_us: window.start,
      end_us: window.end,
      all_day_start: window.allDayStart,
      all_day_end: window.allDayEnd,
      at: at.toISOString(),
    },
  );
}

/**
 * After a failed sync of one calendar: the error, keeping its token and window, so the next run
 * continues from the last complete sync.
 */
export async function saveCalendarSyncFailure(
  db: Warehouse,
  ownerId: string,
  error: string,
  at: Date,
): Promise<void> {
  await db.run(
    `INSERT INTO meta.google_calendar_sync
     VALUES ($owner, NULL, NULL, NULL, NULL, NULL, $at::TIMESTAMPTZ, NULL, $error, 1)
     ON CONFLICT (owner_id) DO UPDATE SET
       last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error,
       consecutive_failures = meta.google_calendar_sync.consecutive_failures + 1`,
    { owner: ownerId, error, at: at.toISOString() },
  );
}
