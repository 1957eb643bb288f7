/**
 * `syncbalance import ics PATH... [--owner EMAIL] [--from DATE] [--to DATE]`: iCalendar files, one
 * calendar per file, into the raw calendar tables. All files land in one transaction: a problem in
 * any of them leaves the warehouse as it was. For each calendar the window is replaced as a whole,
 * so a re-import never duplicates and events deleted at the source disappear. See
 * docs/imports-ics.md.
 */
import { z } from 'zod';
import type { Warehouse } from '../../warehouse/db.ts';
import { readTextFile } from '../../warehouse/files.ts';
import {
  InputError,
  RuntimeFailure,
  SyncbalanceError,
  formatProblem,
  type Problem,
} from '../../warehouse/errors.ts';
import type { Pseudonymizer } from '../../warehouse/identity.ts';
import {
  describeRange,
  isPlausible,
  MAX_IMPORT_WINDOW_DAYS,
  plausibleRange,
  type PlausibleRange,
} from '../../warehouse/bounds.ts';
import {
  CalendarBatchWriter,
  EVENT_STATUSES,
  type CalendarEvent,
  type EventStatus,
} from '../../warehouse/raw/calendar.ts';
import type { Reporter } from '../../warehouse/reporter.ts';
import { beginRun, recordRun } from '../../warehouse/runs.ts';
import { isTimeZone } from '../../warehouse/schedule.ts';
import { expandEvents } from './expand.ts';
import { parseCalendar } from './parse.ts';
import { calendarSources, findCalendarFiles, type CalendarSource } from './sources.ts';
import { importWindow, printable, resolveZones } from './time.ts';

export interface IcsImportOptions {
  readonly db: Warehouse;
  readonly pseudonymizer: Pseudonymizer;
  /** `.ics` files, or folders searched for them. */
  readonly paths: readonly string[];
  /** The owner of every calendar given; null to take it from each file's name. */
  readonly owner: string | null;
  /** First and last day of the window, `YYYY-MM-DD`, inclusive. */
  readonly from: string;
  readonly to: string;
  readonly reporter: Reporter;
  /** The import's clock, for the plausible range (warehouse/bounds.ts); default now. */
  readonly now?: Date;
}

export interface IcsImportSummary {
  /** Files read, one calendar each. */
  readonly calendars: number;
  /** Distinct calendar owners. */
  readonly owners: number;
  /** Event instances written: single events plus the instances of series in the window. */
  readonly events: number;
  readonly recurringInstances: number;
  readonly byStatus: Readonly<Record<EventStatus, number>>;
  /** Attendee entries written (one per attendee per instance). */
  readonly attendees: number;
  /** Distinct attendees who are people (not rooms or resources), and how many are in the roster. */
  readonly people: number;
  readonly peopleInRoster: number;
  /** Instances that were in the warehouse inside a replaced window and are gone at the source. */
  readonly removed: number;
  readonly skipped: {
    /** VTODO, VJOURNAL, VFREEBUSY and other components that are not events. */
    readonly otherComponents: number;
    /** Second copies of one event or instance in a file. */
    readonly duplicates: number;
    /** Series whose recurrence could not be expanded within the step limit. */
    readonly unexpandableSeries: number;
    /** VEVENTs that could not be read, each with a warning naming its line and reason. */
    readonly badEvents: number;
    /** Instances starting or ending outside the plausible range (warehouse/bounds.ts). */
    readonly implausibleTimes: number;
  };
  readonly warnings: number;
}

interface OwnerFacts {
  /** The owner's zone in the latest roster snapshot that lists them, if any. */
  readonly timezone: string | null;
}

const rosterRow = z.object({ person_id: z.string(), timezone: z.string().nullable() });
const statusRow = z.object({
  status: z.enum(EVENT_STATUSES),
  recurring: z.boolean(),
  n: z.number(),
});
const attendeeRow = z.object({ people: z.number(), in_roster: z.number() });

export async function importIcs(options: IcsImportOptions): Promise<IcsImportSummary> {
  const { db, reporter, from, to } = options;
  if (from > to) throw new InputError(`--from ${from} is after --to ${to}: nothing to import`);
  const range = plausibleRange(options.now ?? new Date());
  checkWindow(from, to, range);
  const sources = calendarSources(findCalendarFiles(options.paths), options.owner);
  const roster = await rosterFacts(db);
  const personIds = new Map<string, string>();
  const personId = (address: string): string => {
    let id = personIds.get(address);
    if (id === undefined) {
      id = options.pseudonymizer.person(address);
      personIds.set(address, id);
    }
    return id;
  };
  const skipped = {
    otherComponents: 0,
    duplicates: 0,
    unexpandableSeries: 0,
    badEvents: 0,
    implausibleTimes: 0,
  };
  let warnings = 0;
  const warn = (problem: Problem): void => {
    warnings += 1;
    reporter.warn(formatProblem(problem));
  };

  const summary = await db.transaction(async () => {
    const run = await beginRun(db, 'ics', options.pseudonymizer);
    const writer = await CalendarBatchWriter.begin(db, run);
    try {
      const progress = reporter.progress('Reading calendars', 'files', sources.length);
      for (const source of sources) {
        const outcome = readCalendar(source, {
          ...options,
          writer,
          roster,
          warn,
          personId,
          range,
        });
        skipped.otherComponents += outcome.otherComponents;
        skipped.implausibleTimes += outcome.implausible;
        skipped.duplicates += outcome.duplicates;
        skipped.unexpandableSeries += outcome.unexpandable;
        skipped.badEvents += outcome.badEvents;
        progress.advance();
      }
      progress.done();
      const counts = await writer.finish();
      const result: IcsImportSummary = {
        calendars: sources.length,
        owners: counts.owners,
        events: counts.events,
        attendees: counts.attendees,
        removed: counts.removed,
        ...(await writtenDetails(db, run.runId)),
        skipped,
        warnings,
      };
      await recordRun(db, run, {
        calendars: result.calendars,
        owners: result.owners,
        from,
        to,
        events: result.events,
        recurring_instances: result.recurringInstances,
        confirmed: result.byStatus.confirmed,
        tentative: result.byStatus.tentative,
        cancelled: result.byStatus.cancelled,
        attendees: result.attendees,
        people: result.people,
        people_in_roster: result.peopleInRoster,
        removed: result.removed,
        skipped_other_components: skipped.otherComponents,
        skipped_duplicates: skipped.duplicates,
        skipped_unexpandable_series: skipped.unexpandableSeries,
        skipped_bad_events: skipped.badEvents,
        skipped_implausible_times: skipped.implausibleTimes,
        warnings,
      });
      return result;
    } catch (error) {
      await writer.abandon();
      throw error;
    }
  });
  reporter.result(summaryLine(summary, from, to));
  return summary;
}

interface ReadContext extends IcsImportOptions {
  readonly writer: CalendarBatchWriter;
  readonly roster: ReadonlyMap<string, OwnerFacts>;
  readonly warn: (problem: Problem) => void;
  readonly personId: (address: string) => string;
  readonly range: PlausibleRange;
}

interface ReadOutcome {
  readonly otherComponents: number;
  readonly duplicates: number;
  readonly unexpandable: number;
  readonly badEvents: number;
  readonly implausible: number;
}

function readCalendar(source: CalendarSource, context: ReadContext): ReadOutcome {
  const { file } = source;
  try {
    return readCalendarFile(source, context);
  } catch (error) {
    if (error instanceof SyncbalanceError) throw error;
    // A library error may quote the line it choked on, which could hold a title: say where, not what.
    throw new RuntimeFailure(
      `${file}: unexpected failure while reading this calendar (${error instanceof Error ? error.name : 'unknown error'}); nothing was imported`,
      [],
      { cause: error },
    );
  }
}

function readCalendarFile(source: CalendarSource, context: ReadContext): ReadOutcome {
  const { file, ownerEmail } = source;
  const { writer, pseudonymizer, warn } = context;
  const calendar = parseCalendar(readTextFile(file, 'calendar'), file);
  for (const warning of calendar.warnings) warn(warning);
  const zones = resolveZones(calendar, file);
  for (const warning of zones.warnings) warn(warning);

  const ownerId = pseudonymizer.person(ownerEmail);
  const owner = context.roster.get(ownerId);
  if (owner === undefined) {
    warn({
      location: { file },
      message:
        'the owner of this calendar is not in the roster: it is imported, but counts for no team until they are added',
    });
  }
  let calendarZone: string | null = null;
  if (calendar.calendarTimezone !== null) {
    const { name, line } = calendar.calendarTimezone;
    if (isTimeZone(name)) calendarZone = name;
    else
      warn({
        location: { file, line, field: 'X-WR-TIMEZONE' },
        message: `unknown time zone '${printable(name)}' ignored (expected an IANA name such as Europe/Berlin)`,
      });
  }
  const zone = calendarZone ?? owner?.timezone ?? null;
  if (zone === null && calendar.firstFloatingTime !== null) {
    warn({
      location: calendar.firstFloatingTime,
      message:
        'times without a zone are read as UTC: the file has no X-WR-TIMEZONE and the roster gives its owner no time zone',
    });
  }
  const window = importWindow(context.from, context.to, zone ?? 'UTC');
  const implausible: ('DTSTART' | 'DTEND')[] = [];
  writer.coverWindow({
    ownerId,
    start: window.startUs,
    end: window.endUs,
    timezone: calendarZone,
    allDayStart: window.allDayStart,
    allDayEnd: window.allDayEnd,
  });
  const outcome = expandEvents(
    calendar,
    {
      file,
      ownerId,
      window,
      floatingZone: zone ?? 'UTC',
      pseudonymizer,
      personId: context.personId,
      unusableZones: zones.unusable,
    },
    (event) => {
      const field = implausibleField(event, context.range);
      if (field === null) writer.addEvent(event);
      else implausible.push(field);
    },
  );
  for (const warning of outcome.warnings) warn(warning);
  if (implausible.length > 0) {
    warn({
      location: { file, field: [...new Set(implausible)].join('/') },
      message: `${plural(implausible.length, 'event instance')} skipped: the time is outside ${describeRange(context.range)}, the range syncbalance accepts`,
    });
  }
  return {
    otherComponents: calendar.otherComponents,
    duplicates: outcome.duplicates,
    unexpandable: outcome.unexpandable,
    badEvents: outcome.badEvents,
    implausible: implausible.length,
  };
}

/** Refuses a window outside the plausible range or longer than the documented maximum. */
function checkWindow(from: string, to: string, range: PlausibleRange): void {
  if (from < range.startDate || to >= range.endDate) {
    throw new InputError(
      `--from ${from} --to ${to} reaches outside ${describeRange(range)}, the range syncbalance accepts (see docs/imports-ics.md, "Bounds")`,
    );
  }
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_IMPORT_WINDOW_DAYS) {
    throw new InputError(
      `--from ${from} --to ${to} is ${days.toLocaleString('en-US')} days long; the longest window is ${MAX_IMPORT_WINDOW_DAYS.toLocaleString('en-US')} days: import in parts`,
    );
  }
}

/** The field of an instance that lies outside the plausible range, or null when it is inside. */
function implausibleField(event: CalendarEvent, range: PlausibleRange): 'DTSTART' | 'DTEND' | null {
  if (event.isAllDay) {
    if (event.startDate < range.startDate || event.startDate >= range.endDate) return 'DTSTART';
    return event.endDate > range.endDate ? 'DTEND' : null;
  }
  if (!isPlausible(range, event.startAt)) return 'DTSTART';
  return event.endAt > range.endUs ? 'DTEND' : null;
}

/** Everyone in any roster snapshot, with their zone in the latest snapshot that lists them. */
async function rosterFacts(db: Warehouse): Promise<Map<string, OwnerFacts>> {
  const rows = await db.parse(
    rosterRow,
    `SELECT person_id, arg_max(timezone, as_of) AS timezone FROM raw.roster_people GROUP BY person_id`,
  );
  return new Map(rows.map((row) => [row.person_id, { timezone: row.timezone }]));
}

/** Counts of what this run wrote, from the tables themselves. */
async function writtenDetails(
  db: Warehouse,
  runId: number,
): Promise<
  Pick<IcsImportSummary, 'byStatus' | 'recurringInstances' | 'people' | 'peopleInRoster'>
> {
  const statuses = await db.parse(
    statusRow,
    `SELECT status, is_recurring AS recurring, count(*)::INTEGER AS n
     FROM raw.calendar_events WHERE run_id = $1 GROUP BY ALL`,
    [runId],
  );
  const byStatus: Record<EventStatus, number> = { confirmed: 0, tentative: 0, cancelled: 0 };
  let recurringInstances = 0;
  for (const row of statuses) {
    byStatus[row.status] += row.n;
    if (row.recurring) recurringInstances += row.n;
  }
  const [attendees] = await db.parse(
    attendeeRow,
    `SELECT count(DISTINCT a.attendee_id)::INTEGER AS people,
            count(DISTINCT r.person_id)::INTEGER AS in_roster
     FROM raw.calendar_attendees AS a
     JOIN raw.calendar_events AS e USING (owner_id, event_key, recurrence_key)
     LEFT JOIN (SELECT DISTINCT person_id FROM raw.roster_people) AS r ON r.person_id = a.attendee_id
     WHERE e.run_id = $1 AND a.attendee_kind = 'person'`,
    [runId],
  );
  return {
    byStatus,
    recurringInstances,
    people: attendees?.people ?? 0,
    peopleInRoster: attendees?.in_roster ?? 0,
  };
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : nouns}`;
}

export function summaryLine(summary: IcsImportSummary, from: string, to: string): string {
  const { byStatus, skipped } = summary;
  const count = (value: number): string => value.toLocaleString('en-US');
  const skippedParts = [
    skipped.otherComponents > 0
      ? plural(
          skipped.otherComponents,
          'component that is not an event',
          'components that are not events',
        )
      : null,
    skipped.duplicates > 0 ? plural(skipped.duplicates, 'duplicate') : null,
    skipped.unexpandableSeries > 0
      ? `${plural(skipped.unexpandableSeries, 'series', 'series')} that could not be expanded`
      : null,
    skipped.badEvents > 0
      ? plural(skipped.badEvents, 'event with problems', 'events with problems')
      : null,
    skipped.implausibleTimes > 0
      ? `${plural(skipped.implausibleTimes, 'instance')} at an implausible time`
      : null,
  ].filter((part) => part !== null);
  return [
    `Imported ${plural(summary.calendars, 'calendar')} of ${plural(summary.owners, 'person', 'people')} (${from} to ${to}): ` +
      `${plural(summary.events, 'event')} (${count(byStatus.confirmed)} confirmed, ${count(byStatus.tentative)} tentative, ` +
      `${count(byStatus.cancelled)} cancelled; ${count(summary.recurringInstances)} from recurring series), ` +
      `${plural(summary.attendees, 'attendee entry', 'attendee entries')} (${plural(summary.people, 'person', 'people')}, ` +
      `${count(summary.peopleInRoster)} of them in the roster), ${count(summary.removed)} removed as deleted at the source`,
    skippedParts.length > 0 ? `skipped ${skippedParts.join(', ')}` : null,
    summary.warnings > 0 ? plural(summary.warnings, 'warning') : null,
  ]
    .filter((part) => part !== null)
    .join('; ');
}
