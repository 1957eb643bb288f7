/**
 * The one mapping of calendar metadata to raw tables, shared by the iCalendar importer, the
 * Google Calendar ingest and the demo generator. There is no field for a title, description,
 * location or conference link, so no caller can store one.
 *
 * Each person's calendar is its own copy: a meeting with five people appears on five calendars,
 * each with the owner's own response. A batch names, per owner, the window it covers; at
 * `finish()` the owner's events starting in that window are replaced by the batch's, so events
 * deleted at the source disappear and a re-import never duplicates. Coverage windows are merged
 * per owner and source (`./coverage.ts`), so re-importing the same window adds no row.
 */
import type { Warehouse } from '../db.ts';
import type { ImportRun } from '../runs.ts';
import { StagingTable } from './append.ts';
import { CALENDAR_COVERAGE, mergeCoverage } from './coverage.ts';

export const EVENT_STATUSES = ['confirmed', 'tentative', 'cancelled'] as const;
export const TRANSPARENCIES = ['opaque', 'transparent'] as const;
export const EVENT_TYPES = [
  'default',
  'focusTime',
  'outOfOffice',
  'workingLocation',
  'birthday',
  'fromGmail',
] as const;
export const ATTENDEE_KINDS = ['person', 'room', 'resource'] as const;
export const RESPONSE_STATUSES = ['accepted', 'declined', 'tentative', 'needsAction'] as const;

export type EventStatus = (typeof EVENT_STATUSES)[number];
export type Transparency = (typeof TRANSPARENCIES)[number];
export type EventType = (typeof EVENT_TYPES)[number];
export type AttendeeKind = (typeof ATTENDEE_KINDS)[number];
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

export interface CalendarAttendee {
  /** `Pseudonymizer.person(email)` for people and for rooms and resources alike. */
  readonly attendeeId: string;
  readonly kind: AttendeeKind;
  readonly responseStatus: ResponseStatus;
}

interface CalendarEventBase {
  /** `Pseudonymizer.person(email)` of the calendar's owner. */
  readonly ownerId: string;
  /** `Pseudonymizer.calendarEvent(uid)`: shared by every instance of a recurring series. */
  readonly eventKey: string;
  /**
   * Which instance of a series: the original start (`RECURRENCE-ID`) in UTC as
   * `YYYY-MM-DDTHH:MM:SSZ`, or `YYYY-MM-DD` for all-day series; empty for a single event.
   */
  readonly recurrenceKey: string;
  readonly status: EventStatus;
  readonly transparency: Transparency;
  readonly eventType: EventType;
  readonly isRecurring: boolean;
  readonly organizerId: string | null;
  readonly attendees: readonly CalendarAttendee[];
}

export interface TimedCalendarEvent extends CalendarEventBase {
  readonly isAllDay: false;
  /** Microseconds since the epoch (UTC instants). */
  readonly startAt: bigint;
  readonly endAt: bigint;
}

export interface AllDayCalendarEvent extends CalendarEventBase {
  readonly isAllDay: true;
  /** `YYYY-MM-DD`, a date in the owner's own calendar; the end date is exclusive. */
  readonly startDate: string;
  readonly endDate: string;
}

export type CalendarEvent = TimedCalendarEvent | AllDayCalendarEvent;

export interface CalendarWindow {
  readonly ownerId: string;
  /** Microseconds since the epoch; events starting in [start, end) are replaced. */
  readonly start: bigint;
  readonly end: bigint;
  /** The calendar's own zone (Google's setting, or an export's `X-WR-TIMEZONE`), when known. */
  readonly timezone: string | null;
  /**
   * All-day events starting on a date in [allDayStart, allDayEnd) are replaced: the window's days
   * in the calendar's own zone. Default: the UTC dates of `start` and `end`.
   */
  readonly allDayStart?: string;
  readonly allDayEnd?: string;
}

export interface CalendarWriteCounts {
  readonly owners: number;
  readonly events: number;
  readonly attendees: number;
  /** Events that were in the warehouse inside a replaced window and are no longer at the source. */
  readonly removed: number;
}

export class CalendarBatchWriter {
  readonly #db: Warehouse;
  readonly #run: ImportRun;
  readonly #windows: StagingTable;
  readonly #events: StagingTable;
  readonly #attendees: StagingTable;

  private constructor(
    db: Warehouse,
    run: ImportRun,
    windows: StagingTable,
    events: StagingTable,
    attendees: StagingTable,
  ) {
    this.#db = db;
    this.#run = run;
    this.#windows = windows;
    this.#events = events;
    this.#attendees = attendees;
  }

  /** Starts a batch; call inside the import's transaction. */
  static async begin(db: Warehouse, run: ImportRun): Promise<CalendarBatchWriter> {
    const windows = await StagingTable.create(db, 'calendar_windows', {
      owner_id: 'VARCHAR',
      start_us: 'BIGINT',
      end_us: 'BIGINT',
      timezone: 'VARCHAR',
      all_day_start: 'VARCHAR',
      all_day_end: 'VARCHAR',
    });
    const events = await StagingTable.create(db, 'calendar_events', {
      owner_id: 'VARCHAR',
      event_key: 'VARCHAR',
      recurrence_key: 'VARCHAR',
      start_us: 'BIGINT',
      end_us: 'BIGINT',
      start_date: 'VARCHAR',
      end_date: 'VARCHAR',
      is_all_day: 'BOOLEAN',
      status: 'VARCHAR',
      transparency: 'VARCHAR',
      event_type: 'VARCHAR',
      is_recurring: 'BOOLEAN',
      organizer_id: 'VARCHAR',
    });
    const attendees = await StagingTable.create(db, 'calendar_attendees', {
      event_seq: 'BIGINT',
      owner_id: 'VARCHAR',
      event_key: 'VARCHAR',
      recurrence_key: 'VARCHAR',
      attendee_id: 'VARCHAR',
      attendee_kind: 'VARCHAR',
      response_status: 'VARCHAR',
    });
    return new CalendarBatchWriter(db, run, windows, events, attendees);
  }

  /** Declares that this batch holds the complete calendar of `window.ownerId` in the window. */
  coverWindow(window: CalendarWindow): void {
    this.#windows.append([
      window.ownerId,
      window.start,
      window.end,
      window.timezone,
      window.allDayStart ?? null,
      window.allDayEnd ?? null,
    ]);
  }

  addEvent(event: CalendarEvent): void {
    const eventSeq = BigInt(this.#events.rowCount);
    this.#events.append([
      event.ownerId,
      event.eventKey,
      event.recurrenceKey,
      event.isAllDay ? null : event.startAt,
      event.isAllDay ? null : event.endAt,
      event.isAllDay ? event.startDate : null,
      event.isAllDay ? event.endDate : null,
      event.isAllDay,
      event.status,
      event.transparency,
      event.eventType,
      event.isRecurring,
      event.organizerId,
    ]);
    for (const attendee of event.attendees) {
      this.#attendees.append([
        eventSeq,
        event.ownerId,
        event.eventKey,
        event.recurrenceKey,
        attendee.attendeeId,
        attendee.kind,
        attendee.responseStatus,
      ]);
    }
  }

  get eventsAdded(): number {
    return this.#events.rowCount;
  }

  /** Replaces each covered window with the batch's events and drops the staging tables. */
  async finish(): Promise<CalendarWriteCounts> {
    const db = this.#db;
    const windows = this.#windows.name;
    const events = this.#events.name;
    const attendees = this.#attendees.name;
    try {
      for (const table of [this.#windows, this.#events, this.#attendees]) table.flush();
      // The keys to clear: everything already stored in a covered window, plus every key the batch
      // brings (an event moved into the window from outside it must not stay twice).
      await db.run(
        `CREATE OR REPLACE TEMP TABLE ${events}_replaced AS
         SELECT e.owner_id, e.event_key, e.recurrence_key, true AS in_window
         FROM raw.calendar_events AS e
         JOIN ${windows} AS w ON e.owner_id = w.owner_id
         WHERE (NOT e.is_all_day AND e.start_at >= make_timestamptz(w.start_us) AND e.start_at < make_timestamptz(w.end_us))
            OR (e.is_all_day AND e.start_date >= coalesce(w.all_day_start::DATE, make_timestamptz(w.start_us)::DATE) AND e.start_date < coalesce(w.all_day_end::DATE, make_timestamptz(w.end_us)::DATE))
         UNION
         SELECT owner_id, event_key, recurrence_key, false FROM ${events}`,
      );
      const removedRow = await db.one(
        `SELECT count(*)::INTEGER AS n FROM (SELECT DISTINCT owner_id, event_key, recurrence_key FROM ${events}_replaced WHERE in_window) AS r
         WHERE NOT EXISTS (SELECT 1 FROM ${events} AS b
                           WHERE b.owner_id = r.owner_id AND b.event_key = r.event_key AND b.recurrence_key = r.recurrence_key)`,
      );
      for (const table of ['raw.calendar_events', 'raw.calendar_attendees']) {
        await db.run(
          `DELETE FROM ${table} AS t USING ${events}_replaced AS r
           WHERE t.owner_id = r.owner_id AND t.event_key = r.event_key AND t.recurrence_key = r.recurrence_key`,
        );
      }
      await db.run(`DROP TABLE ${events}_replaced`);
      await db.run(
        `INSERT INTO raw.calendar_events
         SELECT owner_id, event_key, recurrence_key, make_timestamptz(start_us), make_timestamptz(end_us),
                start_date::DATE, end_date::DATE, is_all_day, status, transparency, event_type,
                is_recurring, organizer_id, $1, $2
         FROM ${events}
         QUALIFY row_number() OVER (PARTITION BY owner_id, event_key, recurrence_key ORDER BY seq DESC) = 1`,
        [this.#run.source, this.#run.runId],
      );
      // Attendees of the surviving copy of each event only (an event added twice keeps its last list).
      await db.run(
        `INSERT INTO raw.calendar_attendees
         SELECT a.owner_id, a.event_key, a.recurrence_key, a.attendee_id,
                arg_max(a.attendee_kind, a.seq), arg_max(a.response_status, a.seq)
         FROM ${attendees} AS a
         JOIN (SELECT owner_id, event_key, recurrence_key, max(seq) AS event_seq FROM ${events} GROUP BY ALL) AS e
           ON a.owner_id = e.owner_id AND a.event_key = e.event_key AND a.recurrence_key = e.recurrence_key
          AND a.event_seq = e.event_seq
         GROUP BY a.owner_id, a.event_key, a.recurrence_key, a.attendee_id`,
      );
      await db.run(
        `INSERT INTO raw.calendar_coverage
         SELECT owner_id, make_timestamptz(start_us), make_timestamptz(end_us), $1, $2 FROM ${windows}`,
        [this.#run.source, this.#run.runId],
      );
      await mergeCoverage(
        db,
        CALENDAR_COVERAGE,
        `source = $source AND owner_id IN (SELECT owner_id FROM ${windows})`,
        { source: this.#run.source },
      );
      await db.run(
        `INSERT INTO raw.calendar_settings
         SELECT owner_id, arg_max(timezone, seq), $1, $2 FROM ${windows} WHERE timezone IS NOT NULL GROUP BY owner_id
         ON CONFLICT (owner_id) DO UPDATE SET timezone = excluded.timezone, source = excluded.source, run_id = excluded.run_id`,
        [this.#run.source, this.#run.runId],
      );
      const counts = await db.one(
        `SELECT (SELECT count(DISTINCT owner_id) FROM ${windows})::INTEGER AS owners,
                (SELECT count(*) FROM (SELECT DISTINCT owner_id, event_key, recurrence_key FROM ${events}))::INTEGER AS events,
                (SELECT count(*) FROM (SELECT DISTINCT owner_id, event_key, recurrence_key, attendee_id FROM ${attendees}))::INTEGER AS attendees`,
      );
      return {
        owners: Number(counts?.['owners'] ?? 0),
        events: Number(counts?.['events'] ?? 0),
        attendees: Number(counts?.['attendees'] ?? 0),
        removed: Number(removedRow?.['n'] ?? 0),
      };
    } finally {
      await this.abandon();
    }
  }

  /** Drops the staging tables without merging (the import failed). */
  async abandon(): Promise<void> {
    for (const table of [this.#windows, this.#events, this.#attendees]) await table.drop();
  }
}
