/**
 * Calendar API payloads (validated with zod) and their mapping to the raw calendar rows.
 *
 * Only metadata is ever read: the schemas name no title, description, location, conference data,
 * attachment or display name, and zod strips every field they do not name, so even a response that
 * ignored our field mask could not carry free text any further than this module.
 *
 * Keys: an event is `Pseudonymizer.calendarEvent('google:' + id)` of the series' id (its
 * `recurringEventId`) or of the single event's own id; an instance of a series is told apart by
 * its original start, as `RECURRENCE-ID` is in an `.ics` file. Both are known even for a cancelled
 * item in an incremental page, which carries little more than its id.
 */
import { z } from 'zod';
import type { Pseudonymizer } from '../../warehouse/identity.ts';
import type { CalendarRemoval } from '../../warehouse/raw/calendar-sync.ts';
import {
  EVENT_TYPES,
  type AttendeeKind,
  type CalendarAttendee,
  type CalendarEvent,
  type EventType,
} from '../../warehouse/raw/calendar.ts';
import { localTimeToMicros } from '../../warehouse/zoned-time.ts';

/**
 * The partial-response mask sent with every `events.list` request: metadata and paging only.
 * `timeZone` at the top is the calendar's own zone (the fallback when settings are unreadable).
 */
export const EVENTS_FIELDS =
  'nextPageToken,nextSyncToken,timeZone,' +
  'items(id,status,eventType,start(dateTime,date,timeZone),end(dateTime,date,timeZone),' +
  'recurringEventId,originalStartTime(dateTime,date,timeZone),transparency,visibility,' +
  'organizer(email,self),creator(email,self),' +
  'attendees(email,responseStatus,resource,self,optional,organizer),attendeesOmitted)';

/** Every type is asked for by name, so a type Google adds later is never taken in unnoticed. */
export const REQUESTED_EVENT_TYPES: readonly EventType[] = EVENT_TYPES;

const eventTime = z.object({
  dateTime: z.string().optional(),
  date: z.string().optional(),
  timeZone: z.string().optional(),
});
export type EventTime = z.infer<typeof eventTime>;

const person = z.object({ email: z.string().optional(), self: z.boolean().optional() });

export const googleEventSchema = z.object({
  id: z.string().min(1),
  status: z.string().optional(),
  eventType: z.string().optional(),
  start: eventTime.optional(),
  end: eventTime.optional(),
  recurringEventId: z.string().optional(),
  originalStartTime: eventTime.optional(),
  transparency: z.string().optional(),
  organizer: person.optional(),
  attendees: z
    .array(
      z.object({
        email: z.string().optional(),
        responseStatus: z.string().optional(),
        resource: z.boolean().optional(),
      }),
    )
    .optional(),
});
export type GoogleEvent = z.infer<typeof googleEventSchema>;

export const eventsPageSchema = z.object({
  items: z.array(z.unknown()).default([]),
  nextPageToken: z.string().optional(),
  nextSyncToken: z.string().optional(),
  timeZone: z.string().optional(),
});

export const settingSchema = z.object({ value: z.string() });

export const directoryPageSchema = z.object({
  users: z
    .array(z.object({ primaryEmail: z.string(), suspended: z.boolean().optional() }))
    .default([]),
  nextPageToken: z.string().optional(),
});

export const DIRECTORY_FIELDS = 'nextPageToken,users(primaryEmail,suspended)';

/** Google's address domain for rooms and other bookable resources. */
const RESOURCE_DOMAIN = '@resource.calendar.google.com';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The instant of an API date-time in microseconds. Google writes an offset into every `dateTime`,
 * which fixes the instant without any zone rules; a time without one (allowed by the API only with
 * `timeZone`) is placed in that zone by `localTimeToMicros`, never by a JS `Date` guess.
 */
export function instantOf(time: EventTime): bigint | null {
  const text = time.dateTime;
  if (text === undefined) return null;
  if (RFC3339.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : BigInt(ms) * 1000n;
  }
  const local = LOCAL_DATE_TIME.exec(text);
  if (local === null || time.timeZone === undefined) return null;
  const [, date = '', hours = '0', minutes = '0', seconds = '0'] = local;
  return (
    localTimeToMicros(date, Number(hours) * 60 + Number(minutes), time.timeZone) +
    BigInt(seconds) * 1_000_000n
  );
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the form of `recurrenceKey` for timed instances. */
export function utcKey(micros: bigint): string {
  return `${new Date(Number(micros / 1000n)).toISOString().slice(0, 19)}Z`;
}

function recurrenceKeyOf(time: EventTime): string | null {
  if (time.date !== undefined && DATE.test(time.date)) return time.date;
  const instant = instantOf(time);
  return instant === null ? null : utcKey(instant);
}

/** The original start an instance id ends with (`<series>_20260302T090000Z` or `<series>_20260302`). */
const INSTANCE_ID = /^(.+)_(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/;

function instanceOfId(id: string): { seriesId: string; recurrenceKey: string } | null {
  const match = INSTANCE_ID.exec(id);
  if (match === null) return null;
  const [, seriesId = '', year, month, day, hours, minutes, seconds] = match;
  const date = `${year}-${month}-${day}`;
  return {
    seriesId,
    recurrenceKey: hours === undefined ? date : `${date}T${hours}:${minutes}:${seconds}Z`,
  };
}

export interface MapContext {
  readonly ownerId: string;
  readonly pseudonymizer: Pseudonymizer;
  readonly personId: (address: string) => string;
}

export type MappedItem =
  | { readonly kind: 'event'; readonly event: CalendarEvent }
  | { readonly kind: 'removal'; readonly removal: CalendarRemoval }
  /** Unusable: no start or end the API documents. Counted, never guessed. */
  | { readonly kind: 'invalid' };

function eventTypeOf(value: string | undefined): EventType {
  return EVENT_TYPES.find((type) => type === value) ?? 'default';
}

function attendeeKindOf(email: string, resource: boolean | undefined): AttendeeKind {
  return resource === true || email.endsWith(RESOURCE_DOMAIN) ? 'room' : 'person';
}

function responseStatusOf(value: string | undefined): CalendarAttendee['responseStatus'] {
  switch (value) {
    case 'accepted':
    case 'declined':
    case 'tentative':
      return value;
    default:
      return 'needsAction';
  }
}

/** One API item as a row to write, or as the removal of what the warehouse holds for it. */
export function mapItem(item: GoogleEvent, context: MapContext): MappedItem {
  const { pseudonymizer } = context;
  const fromId = item.recurringEventId === undefined ? instanceOfId(item.id) : null;
  const seriesId = item.recurringEventId ?? null;
  const recurrenceKey =
    item.originalStartTime === undefined ? null : recurrenceKeyOf(item.originalStartTime);
  if (item.status === 'cancelled') {
    if (seriesId !== null && recurrenceKey !== null) {
      return {
        kind: 'removal',
        removal: { eventKey: pseudonymizer.calendarEvent(`google:${seriesId}`), recurrenceKey },
      };
    }
    // Only the id: a deleted single event, a whole deleted series, or an instance named by its id.
    if (fromId !== null) {
      return {
        kind: 'removal',
        removal: {
          eventKey: pseudonymizer.calendarEvent(`google:${fromId.seriesId}`),
          recurrenceKey: fromId.recurrenceKey,
        },
      };
    }
    return {
      kind: 'removal',
      removal: { eventKey: pseudonymizer.calendarEvent(`google:${item.id}`), recurrenceKey: null },
    };
  }
  const isInstance = seriesId !== null && recurrenceKey !== null;
  const common = {
    ownerId: context.ownerId,
    eventKey: pseudonymizer.calendarEvent(`google:${isInstance ? seriesId : item.id}`),
    recurrenceKey: isInstance ? recurrenceKey : '',
    status: item.status === 'tentative' ? ('tentative' as const) : ('confirmed' as const),
    transparency:
      item.transparency === 'transparent' ? ('transparent' as const) : ('opaque' as const),
    eventType: eventTypeOf(item.eventType),
    isRecurring: isInstance,
    organizerId:
      item.organizer?.email === undefined || item.organizer.email.trim() === ''
        ? null
        : context.personId(item.organizer.email),
    attendees: attendeesOf(item, context),
  };
  const { start, end } = item;
  if (start === undefined || end === undefined) return { kind: 'invalid' };
  if (start.date !== undefined || end.date !== undefined) {
    const startDate = start.date;
    const endDate = end.date;
    if (
      startDate === undefined ||
      endDate === undefined ||
      !DATE.test(startDate) ||
      !DATE.test(endDate) ||
      endDate <= startDate
    ) {
      return { kind: 'invalid' };
    }
    return { kind: 'event', event: { ...common, isAllDay: true, startDate, endDate } };
  }
  const startAt = instantOf(start);
  const endAt = instantOf(end);
  if (startAt === null || endAt === null || endAt < startAt) return { kind: 'invalid' };
  return { kind: 'event', event: { ...common, isAllDay: false, startAt, endAt } };
}

function attendeesOf(item: GoogleEvent, context: MapContext): CalendarAttendee[] {
  // One row per attendee: an address listed twice keeps its first entry.
  const attendees = new Map<string, CalendarAttendee>();
  for (const attendee of item.attendees ?? []) {
    const email = attendee.email?.trim().toLowerCase();
    if (email === undefined || email === '') continue;
    const attendeeId = context.personId(email);
    if (attendees.has(attendeeId)) continue;
    attendees.set(attendeeId, {
      attendeeId,
      kind: attendeeKindOf(email, attendee.resource),
      responseStatus: responseStatusOf(attendee.responseStatus),
    });
  }
  return [...attendees.values()];
}

/** Whether an event starts inside a window (the rule by which windows are replaced). */
export function startsIn(
  event: CalendarEvent,
  window: { start: bigint; end: bigint; allDayStart: string; allDayEnd: string },
): boolean {
  return event.isAllDay
    ? event.startDate >= window.allDayStart && event.startDate < window.allDayEnd
    : event.startAt >= window.start && event.startAt < window.end;
}
