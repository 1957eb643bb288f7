/**
 * From VEVENTs to the instances one calendar holds in the import window.
 *
 * Series are expanded by `series.ts`. Overrides (`RECURRENCE-ID`) replace the instance whose
 * original start they name, whatever zone each side is written in, and an override counts where
 * it now starts: moved into the window it is kept, moved out it is not, even when its series lies
 * elsewhere or is missing from the file. A series that cannot be expanded within the step limit
 * is skipped with a warning rather than imported in part.
 *
 * One bad event does not cost the calendar: a VEVENT that cannot be read (a bad value, a missing
 * DTSTART, a zone no time can be read in) is skipped with a warning naming its line and reason,
 * and counted. Only a file whose every event is bad is refused. An event without UID (Exchange 2010
 * OWA, Data::ICal, khal) is keyed by what is kept of it: its start, organiser and sequence.
 */
import ICAL from 'ical.js';
import { addDays, dayNumber } from '../../warehouse/dates.ts';
import { InputError, type Problem } from '../../warehouse/errors.ts';
import type { Pseudonymizer } from '../../warehouse/identity.ts';
import type { CalendarEvent } from '../../warehouse/raw/calendar.ts';
import { eventLengthProblem } from './bounds.ts';
import { addressOf, metadataOf, type EventMetadata } from './metadata.ts';
import type { ParsedCalendar, ParsedEvent } from './parse.ts';
import {
  dateDenoted,
  fromWallClock,
  RecurrenceLimit,
  toWallClock,
  wallClockOccurrences,
} from './series.ts';
import { dateOf, instantOf, utcKey, type ImportWindow } from './time.ts';

const MICROS_PER_SECOND = 1_000_000n;
/** As many problems as a refused file lists, like parse.ts. */
const MAX_LISTED_PROBLEMS = 20;

export interface ExpandContext {
  readonly file: string;
  readonly ownerId: string;
  readonly window: ImportWindow;
  /** The zone floating (zone-less) times are read in. */
  readonly floatingZone: string;
  readonly pseudonymizer: Pseudonymizer;
  /** `pseudonymizer.person`, remembered: the same people attend thousands of events. */
  readonly personId: (address: string) => string;
  /** TZIDs no time can be read in (`resolveZones`), with the reason: their events are skipped. */
  readonly unusableZones: ReadonlyMap<string, string>;
}

export interface ExpandOutcome {
  /** VEVENTs skipped because they cannot be read; each has a warning. */
  readonly badEvents: number;
  /** Copies of one event or instance found twice in the file (the newest SEQUENCE, then the last, is kept). */
  readonly duplicates: number;
  /** Series skipped because their recurrence could not be expanded within the limit. */
  readonly unexpandable: number;
  readonly warnings: readonly Problem[];
}

type Length =
  | { readonly allDay: true; readonly days: number }
  | { readonly allDay: false; readonly nominalDays: number; readonly exactMicros: bigint };

interface Definition {
  readonly source: ParsedEvent;
  readonly uid: string;
  /** True when the file gives no UID and `uid` is made from the event's content. */
  readonly derivedUid: boolean;
  readonly sequence: number;
  readonly start: ICAL.Time;
  readonly length: Length;
  /** The original start of the instance this VEVENT overrides; null for a series or single event. */
  readonly recurrenceId: ICAL.Time | null;
  /** `recurrenceId` as a recurrence key. */
  readonly overrides: string | null;
  readonly isSeries: boolean;
  /** Read when the first instance lands in the window: most events in a long export never do. */
  readonly metadata: () => EventMetadata;
}

interface EventGroup {
  main: Definition | null;
  readonly overrides: Map<string, Definition>;
}

/** Expands every event of a parsed calendar and hands each instance in the window to `emit`. */
export function expandEvents(
  calendar: ParsedCalendar,
  context: ExpandContext,
  emit: (event: CalendarEvent) => void,
): ExpandOutcome {
  const groups = new Map<string, EventGroup>();
  const warnings: Problem[] = [];
  /** The problems of each skipped event, its first one leading. */
  const rejected: (readonly Problem[])[] = calendar.rejectedEvents.map(({ problems }) => problems);
  let duplicates = 0;
  let withoutUid: ParsedEvent | null = null;
  let withoutUidCount = 0;
  for (const source of calendar.events) {
    const problems: Problem[] = [];
    const definition = define(source, context, problems);
    if (definition === null) {
      rejected.push(problems);
      continue;
    }
    if (definition.derivedUid) {
      withoutUid ??= source;
      withoutUidCount += 1;
    }
    let group = groups.get(definition.uid);
    if (group === undefined) {
      group = { main: null, overrides: new Map() };
      groups.set(definition.uid, group);
    }
    const previous =
      definition.overrides === null ? group.main : group.overrides.get(definition.overrides);
    if (previous != null) {
      duplicates += 1;
      if (previous.sequence > definition.sequence) continue;
    }
    if (definition.overrides === null) group.main = definition;
    else group.overrides.set(definition.overrides, definition);
  }
  if (groups.size === 0 && rejected.length > 0) {
    const problems = rejected.flat().slice(0, MAX_LISTED_PROBLEMS);
    throw new InputError(
      `${context.file}: every event has problems (${rejected.length} event${rejected.length === 1 ? '' : 's'}); nothing was imported`,
      problems,
    );
  }
  for (const problems of rejected) {
    const [first, ...more] = problems;
    if (first === undefined) continue;
    const others =
      more.length > 0 ? ` (and ${more.length} more problem${more.length === 1 ? '' : 's'})` : '';
    warnings.push({ ...first, message: `event skipped: ${first.message}${others}` });
  }
  if (withoutUid !== null) {
    warnings.push({
      location: { file: context.file, line: withoutUid.line },
      message: `${withoutUidCount} event${withoutUidCount === 1 ? ' has' : 's have'} no UID: keyed by start, organiser and sequence, so a changed start or organiser makes a new event`,
    });
  }

  let unexpandable = 0;
  for (const group of groups.values()) {
    try {
      for (const event of instancesOf(group, context)) emit(event);
    } catch (error) {
      if (!(error instanceof RecurrenceLimit) || group.main === null) throw error;
      unexpandable += 1;
      warnings.push({
        location: { file: context.file, line: group.main.source.lineOf('rrule') },
        message: `recurring series skipped: ${error.message}`,
      });
    }
  }
  return { badEvents: rejected.length, duplicates, unexpandable, warnings };
}

function memo<T>(compute: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= compute());
}

function recurrenceKeyOf(time: ICAL.Time, floatingZone: string): string {
  return time.isDate ? dateOf(time) : utcKey(instantOf(time, floatingZone));
}

function timeValue(source: ParsedEvent, name: string): ICAL.Time | null {
  const value = source.component.getFirstPropertyValue(name);
  return value instanceof ICAL.Time ? value : null;
}

/** Reads one VEVENT's identity, times and metadata, reporting what makes it unusable. */
function define(
  source: ParsedEvent,
  context: ExpandContext,
  problems: Problem[],
): Definition | null {
  const component = source.component;
  const at = (name: string, message: string): null => {
    problems.push({
      location: { file: context.file, line: source.lineOf(name), field: name },
      message,
    });
    return null;
  };
  for (const [tzid, location] of source.zones) {
    const reason = context.unusableZones.get(tzid);
    if (reason !== undefined) {
      problems.push({ location, message: reason });
      return null;
    }
  }
  const start = timeValue(source, 'dtstart');
  if (start === null) return at('DTSTART', 'not a date or date-time');
  const uid = component.getFirstPropertyValue('uid');
  const sequenceValue = component.getFirstPropertyValue('sequence');
  const sequence = typeof sequenceValue === 'number' ? sequenceValue : 0;

  for (const property of component.getAllProperties('rdate')) {
    if ((property.type === 'date') !== start.isDate)
      return at('RDATE', `must be a ${start.isDate ? 'date' : 'date-time'} like DTSTART`);
  }
  const length = lengthOf(source, start, context.floatingZone, at);
  if (length === null) return null;

  const recurrenceId = timeValue(source, 'recurrence-id');
  return {
    source,
    uid: typeof uid === 'string' ? uid : contentKey(component, sequence),
    derivedUid: typeof uid !== 'string',
    sequence,
    start,
    length,
    recurrenceId,
    overrides: recurrenceId === null ? null : recurrenceKeyOf(recurrenceId, context.floatingZone),
    isSeries: component.hasProperty('rrule') || component.hasProperty('rdate'),
    metadata: memo(() => metadataOf(component, context.personId)),
  };
}

/**
 * A stand-in UID for an event without one, from what is kept of it: its start as written (with its
 * zone), its organiser and its sequence. It is hashed like a UID, so it is stable across imports
 * of the same file and never stored as such. The NUL prefix keeps it apart from every real UID.
 */
function contentKey(component: ICAL.Component, sequence: number): string {
  const start = component.getFirstProperty('dtstart');
  const organizer = component.getFirstProperty('organizer');
  const address = organizer === null ? '' : (addressOf(organizer) ?? '');
  return ['\u0000no-uid', start?.toICALString() ?? '', address, String(sequence)].join('\u0000');
}

/**
 * How long each instance lasts (RFC 5545 3.6.1): DTEND, else DURATION, else one day for a date and
 * no time at all for a date-time. An end before the start is bad input; an all-day event ending on
 * the day it starts lasts that one day. DTEND wins over DURATION when a file has both.
 */
function lengthOf(
  source: ParsedEvent,
  start: ICAL.Time,
  floatingZone: string,
  at: (name: string, message: string) => null,
): Length | null {
  const end = timeValue(source, 'dtend');
  const duration = source.component.getFirstPropertyValue('duration');
  if (end !== null) {
    if (end.isDate !== start.isDate)
      return at('DTEND', `must be a ${start.isDate ? 'date' : 'date-time'} like DTSTART`);
    if (start.isDate) {
      const days = (dayNumber(dateOf(end)) ?? 0) - (dayNumber(dateOf(start)) ?? 0);
      if (days < 0) return at('DTEND', 'the event ends before it starts');
      const tooLong = eventLengthProblem(days);
      if (tooLong !== null) return at('DTEND', tooLong);
      return { allDay: true, days: Math.max(days, 1) };
    }
    const exactMicros = instantOf(end, floatingZone) - instantOf(start, floatingZone);
    if (exactMicros < 0n) return at('DTEND', 'the event ends before it starts');
    const tooLong = eventLengthProblem(Number(exactMicros / MICROS_PER_SECOND) / 86_400);
    if (tooLong !== null) return at('DTEND', tooLong);
    return { allDay: false, nominalDays: 0, exactMicros };
  }
  if (duration instanceof ICAL.Duration) {
    if (duration.isNegative && duration.toSeconds() !== 0)
      return at('DURATION', 'a negative duration: the event ends before it starts');
    const days = duration.weeks * 7 + duration.days;
    const seconds = duration.hours * 3600 + duration.minutes * 60 + duration.seconds;
    if (start.isDate) {
      if (seconds !== 0) return at('DURATION', 'an all-day event must last whole days');
      return { allDay: true, days: Math.max(days, 1) };
    }
    return {
      allDay: false,
      nominalDays: days,
      exactMicros: BigInt(seconds) * MICROS_PER_SECOND,
    };
  }
  return start.isDate
    ? { allDay: true, days: 1 }
    : { allDay: false, nominalDays: 0, exactMicros: 0n };
}

function* instancesOf(group: EventGroup, context: ExpandContext): Generator<CalendarEvent> {
  const { main, overrides } = group;
  const uid = main?.uid ?? overrides.values().next().value?.uid;
  if (uid === undefined) return;
  const eventKey = context.pseudonymizer.calendarEvent(uid);
  const used = new Set<string>();
  if (main !== null && main.isSeries) {
    // Buffered, so a series that hits the step limit contributes nothing rather than a part.
    yield* [...seriesInstances(main, overrides, used, eventKey, context)];
  } else if (main !== null) {
    const instance = instanceOf(main, main.start, '', eventKey, context);
    if (instance !== null) yield instance;
  }
  for (const [key, override] of overrides) {
    if (used.has(key)) continue;
    // Unmatched here (its original day is outside the window), an override of an all-day series
    // still takes the date key its instance has when the window includes that day.
    const ownKey =
      main?.start.isDate === true && override.recurrenceId !== null
        ? dateDenoted(override.recurrenceId, context.floatingZone)
        : key;
    const instance = instanceOf(override, override.start, ownKey, eventKey, context);
    if (instance !== null) yield instance;
  }
}

/** The series' instances in the window, with the overrides of its instances (noted in `used`). */
function* seriesInstances(
  series: Definition,
  overrides: ReadonlyMap<string, Definition>,
  used: Set<string>,
  eventKey: string,
  context: ExpandContext,
): Generator<CalendarEvent> {
  const { window, floatingZone } = context;
  const zone = series.start.zone;
  const allDay = series.start.isDate;
  const overrideByWallClock = new Map<string, string>();
  const overrideByDate = new Map<string, string>();
  for (const [key, override] of overrides) {
    const id = override.recurrenceId;
    if (id === null) continue;
    // Exchange names an instance of an all-day series by local midnight in a zone
    // (`RECURRENCE-ID;TZID=…:20240102T000000`), and some writers name a timed instance by its
    // date: either way the id denotes the series' instance on that day.
    if (allDay || id.isDate) overrideByDate.set(dateDenoted(id, floatingZone), key);
    else overrideByWallClock.set(toWallClock(id, zone, floatingZone).toString(), key);
  }
  // Wall-clock dates are within a day of UTC ones: two days of margin on either side is safe,
  // and the exact test is made on the instant.
  const lastDate = allDay ? addDays(window.allDayEnd, -1) : addDays(window.to, 2);
  const firstDate = allDay ? window.allDayStart : addDays(window.from, -2);
  const occurrences = wallClockOccurrences(
    series.source.component,
    series.start,
    floatingZone,
    lastDate,
  );
  for (const wall of occurrences) {
    const start = fromWallClock(wall, zone);
    const key = recurrenceKeyOf(start, floatingZone);
    let overrideKey = overrideByWallClock.get(wall.toString());
    if (overrideKey === undefined && overrideByDate.size > 0) {
      // The first instance of the day takes an override named by its date.
      overrideKey = overrideByDate.get(dateOf(wall));
      if (overrideKey !== undefined) overrideByDate.delete(dateOf(wall));
    }
    const override = overrideKey === undefined ? undefined : overrides.get(overrideKey);
    if (overrideKey !== undefined && override !== undefined) {
      used.add(overrideKey);
      // Keyed like the instance it replaces, whatever form its RECURRENCE-ID has.
      const instance = instanceOf(override, override.start, key, eventKey, context);
      if (instance !== null) yield instance;
      continue;
    }
    if (dateOf(wall) < firstDate) continue;
    const instance = instanceOf(series, start, key, eventKey, context);
    if (instance !== null) yield instance;
  }
}

/** The instance of `definition` starting at `start`, or null when it starts outside the window. */
function instanceOf(
  definition: Definition,
  start: ICAL.Time,
  recurrenceKey: string,
  eventKey: string,
  context: ExpandContext,
): CalendarEvent | null {
  const { window, floatingZone } = context;
  const { length } = definition;
  if (length.allDay) {
    const startDate = dateOf(start);
    if (startDate < window.allDayStart || startDate >= window.allDayEnd) return null;
    const endDate = addDays(startDate, length.days);
    return {
      ...common(definition, recurrenceKey, eventKey, context),
      isAllDay: true,
      startDate,
      endDate,
    };
  }
  const startAt = instantOf(start, floatingZone);
  if (startAt < window.startUs || startAt >= window.endUs) return null;
  let endAt = startAt + length.exactMicros;
  if (length.nominalDays !== 0) {
    // Whole days of a DURATION are calendar days: the same wall-clock time, across DST changes.
    const end = start.clone();
    end.adjust(length.nominalDays, 0, 0, 0);
    endAt = instantOf(end, floatingZone) + length.exactMicros;
  }
  return {
    ...common(definition, recurrenceKey, eventKey, context),
    isAllDay: false,
    startAt,
    endAt,
  };
}

function common(
  definition: Definition,
  recurrenceKey: string,
  eventKey: string,
  context: ExpandContext,
): Omit<CalendarEvent, 'isAllDay' | 'startAt' | 'endAt' | 'startDate' | 'endDate'> {
  const metadata = definition.metadata();
  return {
    ownerId: context.ownerId,
    eventKey,
    recurrenceKey,
    status: metadata.status,
    transparency: metadata.transparency,
    eventType: metadata.eventType,
    isRecurring: recurrenceKey !== '',
    organizerId: metadata.organizerId,
    attendees: metadata.attendees,
  };
}
