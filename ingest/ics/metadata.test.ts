import { describe, expect, it } from 'vitest';
import type ICAL from 'ical.js';
import { testPseudonymizer } from '../../test/helpers/warehouse.ts';
import { calendar, vevent } from '../../test/ics/support.ts';
import {
  attendeeKindOf,
  eventTypeOf,
  metadataOf,
  responseStatusOf,
  statusOf,
  transparencyOf,
} from './metadata.ts';
import { parseCalendar } from './parse.ts';

function event(...lines: string[]): ICAL.Component {
  const parsed = parseCalendar(
    calendar(...vevent('UID:x', 'DTSTART:20260303T100000Z', ...lines)),
    'cal.ics',
  );
  const component = parsed.events[0]?.component;
  if (component === undefined) throw new Error('no event');
  return component;
}

const person = (email: string): string => testPseudonymizer.person(email);

describe('event status, busy/free and type', () => {
  it('defaults to a confirmed, busy, ordinary event', () => {
    const plain = event();
    expect([statusOf(plain), transparencyOf(plain), eventTypeOf(plain)]).toEqual([
      'confirmed',
      'opaque',
      'default',
    ]);
  });

  it('reads STATUS and TRANSP in any case', () => {
    expect(statusOf(event('STATUS:cancelled'))).toBe('cancelled');
    expect(statusOf(event('STATUS:TENTATIVE'))).toBe('tentative');
    expect(statusOf(event('STATUS:NEEDS-ACTION'))).toBe('confirmed');
    expect(transparencyOf(event('TRANSP:TRANSPARENT'))).toBe('transparent');
  });

  it("maps Google's event type and Outlook's busy status, and nothing else", () => {
    expect(eventTypeOf(event('X-GOOGLE-EVENT-TYPE:focusTime'))).toBe('focusTime');
    expect(eventTypeOf(event('X-GOOGLE-EVENT-TYPE:OUTOFOFFICE'))).toBe('outOfOffice');
    expect(eventTypeOf(event('X-GOOGLE-EVENT-TYPE:workingLocation'))).toBe('workingLocation');
    expect(eventTypeOf(event('X-GOOGLE-EVENT-TYPE:somethingNew'))).toBe('default');
    expect(eventTypeOf(event('X-MICROSOFT-CDO-BUSYSTATUS:OOF'))).toBe('outOfOffice');
    expect(eventTypeOf(event('X-MICROSOFT-CDO-BUSYSTATUS:WORKINGELSEWHERE'))).toBe(
      'workingLocation',
    );
    expect(eventTypeOf(event('X-MICROSOFT-CDO-BUSYSTATUS:BUSY'))).toBe('default');
    // The title is never read, so it cannot decide the type.
    expect(eventTypeOf(event('SUMMARY:Out of office', 'CATEGORIES:Focus time'))).toBe('default');
  });
});

describe('attendees', () => {
  it('tells rooms and resources from people', () => {
    expect(attendeeKindOf('ROOM', 'board-room@example.com')).toBe('room');
    expect(attendeeKindOf('RESOURCE', 'projector@example.com')).toBe('resource');
    expect(attendeeKindOf('RESOURCE', 'c_123@resource.calendar.google.com')).toBe('room');
    expect(attendeeKindOf(null, 'c_123@resource.calendar.google.com')).toBe('room');
    expect(attendeeKindOf('INDIVIDUAL', 'ada@example.com')).toBe('person');
    expect(attendeeKindOf('GROUP', 'team@example.com')).toBe('person');
    expect(attendeeKindOf('UNKNOWN', 'someone@example.com')).toBe('person');
    expect(attendeeKindOf(null, 'ada@example.com')).toBe('person');
  });

  it('maps every participation status', () => {
    expect(
      ['ACCEPTED', 'DECLINED', 'TENTATIVE', 'NEEDS-ACTION', 'DELEGATED', 'X-MAYBE', null].map(
        responseStatusOf,
      ),
    ).toEqual([
      'accepted',
      'declined',
      'tentative',
      'needsAction',
      'declined',
      'needsAction',
      'needsAction',
    ]);
  });

  it('keys attendees and the organizer by the same pseudonym as the roster, once each', () => {
    const metadata = metadataOf(
      event(
        'ORGANIZER;CN=Grace:MAILTO:Grace@Example.com',
        'ATTENDEE;PARTSTAT=ACCEPTED;CN=Ada:mailto:Ada@Example.COM',
        'ATTENDEE;PARTSTAT=DECLINED:mailto:ada@example.com',
        'ATTENDEE;CUTYPE=ROOM;PARTSTAT=ACCEPTED:mailto:board-room@example.com',
        'ATTENDEE;EMAIL=linus@example.com:urn:uuid:2b1e3c1a',
        'ATTENDEE;PARTSTAT=ACCEPTED:urn:uuid:7f00c0de',
        'ATTENDEE:',
      ),
      person,
    );
    expect(metadata.organizerId).toBe(person('grace@example.com'));
    expect(metadata.attendees).toEqual([
      { attendeeId: person('ada@example.com'), kind: 'person', responseStatus: 'accepted' },
      { attendeeId: person('board-room@example.com'), kind: 'room', responseStatus: 'accepted' },
      { attendeeId: person('linus@example.com'), kind: 'person', responseStatus: 'needsAction' },
      { attendeeId: person('urn:uuid:7f00c0de'), kind: 'person', responseStatus: 'accepted' },
    ]);
  });

  it('does not invent an attendee for an organizer who is not listed', () => {
    const metadata = metadataOf(event('ORGANIZER:mailto:grace@example.com'), person);
    expect(metadata.attendees).toEqual([]);
    expect(metadataOf(event(), person).organizerId).toBeNull();
  });
});
