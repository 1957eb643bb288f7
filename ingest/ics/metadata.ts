/**
 * The metadata of one VEVENT (one event, or one modified instance of a series): status, busy or
 * free, event type, organiser and attendees. Names (`CN`) and every other parameter of people are
 * never read; addresses leave this module only as salted hashes.
 */
import type ICAL from 'ical.js';
import type {
  AttendeeKind,
  CalendarAttendee,
  EventStatus,
  EventType,
  ResponseStatus,
  Transparency,
} from '../../warehouse/raw/calendar.ts';
import { EVENT_TYPES } from '../../warehouse/raw/calendar.ts';

export interface EventMetadata {
  readonly status: EventStatus;
  readonly transparency: Transparency;
  readonly eventType: EventType;
  readonly organizerId: string | null;
  readonly attendees: readonly CalendarAttendee[];
}

/** Google Calendar's address domain for rooms (and other bookable resources). */
const GOOGLE_RESOURCE_DOMAIN = '@resource.calendar.google.com';

function text(component: ICAL.Component, name: string): string | null {
  const value: unknown = component.getFirstPropertyValue(name);
  return typeof value === 'string' ? value.trim().toUpperCase() : null;
}

/** `STATUS`: CONFIRMED (also when absent or unknown), TENTATIVE or CANCELLED. */
export function statusOf(component: ICAL.Component): EventStatus {
  switch (text(component, 'status')) {
    case 'TENTATIVE':
      return 'tentative';
    case 'CANCELLED':
      return 'cancelled';
    default:
      return 'confirmed';
  }
}

/** `TRANSP`: OPAQUE (busy; also when absent or unknown) or TRANSPARENT (free). */
export function transparencyOf(component: ICAL.Component): Transparency {
  return text(component, 'transp') === 'TRANSPARENT' ? 'transparent' : 'opaque';
}

/**
 * The event type, only from properties that state it, never guessed from the title:
 * - `X-GOOGLE-EVENT-TYPE` (Google Calendar API's `eventType`, written by tools that export from the
 *   API, such as Thunderbird's Provider for Google Calendar), when it is one of Google's types;
 * - `X-MICROSOFT-CDO-BUSYSTATUS` from Outlook: OOF is out of office, WORKINGELSEWHERE a working
 *   location.
 */
export function eventTypeOf(component: ICAL.Component): EventType {
  const googleType = text(component, 'x-google-event-type');
  const known = EVENT_TYPES.find((type) => type.toUpperCase() === googleType);
  if (known !== undefined) return known;
  switch (text(component, 'x-microsoft-cdo-busystatus')) {
    case 'OOF':
      return 'outOfOffice';
    case 'WORKINGELSEWHERE':
      return 'workingLocation';
    default:
      return 'default';
  }
}

/**
 * The address that identifies a person or room: the `mailto:` address, else the `EMAIL` parameter
 * (RFC 7986), else the whole value (an opaque URI such as `urn:uuid:…`, which then only ever
 * matches itself). Null when there is nothing to identify.
 */
export function addressOf(property: ICAL.Property): string | null {
  const value: unknown = property.getFirstValue();
  const uri = typeof value === 'string' ? value.trim() : '';
  if (/^mailto:/i.test(uri)) return uri.slice('mailto:'.length).trim().toLowerCase() || null;
  const email: unknown = property.getFirstParameter('email');
  if (typeof email === 'string' && email.trim() !== '') return email.trim().toLowerCase();
  return uri === '' ? null : uri.toLowerCase();
}

/**
 * Rooms and resources are not people. `CUTYPE=ROOM` and Google's resource addresses are rooms,
 * `CUTYPE=RESOURCE` a resource; INDIVIDUAL, GROUP (a mailing list of people), UNKNOWN, other values
 * and no CUTYPE at all count as a person.
 */
export function attendeeKindOf(cutype: string | null, address: string): AttendeeKind {
  if (cutype === 'ROOM' || address.endsWith(GOOGLE_RESOURCE_DOMAIN)) return 'room';
  if (cutype === 'RESOURCE') return 'resource';
  return 'person';
}

/**
 * `PARTSTAT`: ACCEPTED, DECLINED and TENTATIVE as they are; DELEGATED counts as declined (the
 * delegate is listed as an attendee of their own); NEEDS-ACTION, no PARTSTAT and any other value
 * are needs-action.
 */
export function responseStatusOf(partstat: string | null): ResponseStatus {
  switch (partstat) {
    case 'ACCEPTED':
      return 'accepted';
    case 'DECLINED':
    case 'DELEGATED':
      return 'declined';
    case 'TENTATIVE':
      return 'tentative';
    default:
      return 'needsAction';
  }
}

function parameter(property: ICAL.Property, name: string): string | null {
  const value: unknown = property.getFirstParameter(name);
  return typeof value === 'string' ? value.trim().toUpperCase() : null;
}

/** `personId` turns an address into its pseudonym (`Pseudonymizer.person`). */
export function metadataOf(
  component: ICAL.Component,
  personId: (address: string) => string,
): EventMetadata {
  const organizer = component.getFirstProperty('organizer');
  const organizerAddress = organizer === null ? null : addressOf(organizer);
  // One row per attendee: an address listed twice keeps its first entry.
  const attendees = new Map<string, CalendarAttendee>();
  for (const property of component.getAllProperties('attendee')) {
    const address = addressOf(property);
    if (address === null) continue;
    const attendeeId = personId(address);
    if (attendees.has(attendeeId)) continue;
    attendees.set(attendeeId, {
      attendeeId,
      kind: attendeeKindOf(parameter(property, 'cutype'), address),
      responseStatus: responseStatusOf(parameter(property, 'partstat')),
    });
  }
  return {
    status: statusOf(component),
    transparency: transparencyOf(component),
    eventType: eventTypeOf(component),
    organizerId: organizerAddress === null ? null : personId(organizerAddress),
    attendees: [...attendees.values()],
  };
}
