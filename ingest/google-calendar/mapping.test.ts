import { describe, expect, it } from 'vitest';
import { Pseudonymizer } from '../../warehouse/identity.ts';
import { googleEventSchema, instantOf, mapItem, type MappedItem } from './mapping.ts';

const keys = new Pseudonymizer('mapping-test-salt-0123456789');
const context = {
  ownerId: keys.person('owner@example.com'),
  pseudonymizer: keys,
  personId: (address: string) => keys.person(address),
};
const map = (item: unknown): MappedItem => mapItem(googleEventSchema.parse(item), context);
const key = (id: string): string => keys.calendarEvent(`google:${id}`);

describe('instantOf', () => {
  it('reads the instant an RFC 3339 offset fixes, whatever zone the machine is in', () => {
    expect(instantOf({ dateTime: '2026-03-29T01:30:00+01:00' })).toBe(1_774_744_200_000_000n);
    expect(instantOf({ dateTime: '2026-03-29T00:30:00Z' })).toBe(1_774_744_200_000_000n);
  });

  it('places a time without offset in the given zone, across a DST change', () => {
    // 03:30 in Berlin on 2026-03-29 is summer time (+02:00): 01:30 UTC.
    expect(instantOf({ dateTime: '2026-03-29T03:30:00', timeZone: 'Europe/Berlin' })).toBe(
      1_774_747_800_000_000n,
    );
    expect(instantOf({ dateTime: '2026-03-29T03:30:00' })).toBeNull();
  });
});

describe('mapItem', () => {
  it('keys an instance of a series by the series and its original start in UTC', () => {
    const mapped = map({
      id: 'abc_20260302T080000Z',
      recurringEventId: 'abc',
      originalStartTime: { dateTime: '2026-03-02T09:00:00+01:00' },
      start: { dateTime: '2026-03-03T10:00:00+01:00' },
      end: { dateTime: '2026-03-03T10:30:00+01:00' },
      eventType: 'focusTime',
      summary: 'never read',
    });
    expect(mapped).toMatchObject({
      kind: 'event',
      event: {
        eventKey: key('abc'),
        recurrenceKey: '2026-03-02T08:00:00Z',
        isRecurring: true,
        eventType: 'focusTime',
        startAt: 1_772_528_400_000_000n,
      },
    });
  });

  it('turns a cancelled instance into the removal of that instance, even when only its id is left', () => {
    expect(
      map({
        id: 'abc_20260302T080000Z',
        status: 'cancelled',
        recurringEventId: 'abc',
        originalStartTime: { dateTime: '2026-03-02T08:00:00Z' },
      }),
    ).toEqual({
      kind: 'removal',
      removal: { eventKey: key('abc'), recurrenceKey: '2026-03-02T08:00:00Z' },
    });
    expect(map({ id: 'abc_20260302T080000Z', status: 'cancelled' })).toEqual({
      kind: 'removal',
      removal: { eventKey: key('abc'), recurrenceKey: '2026-03-02T08:00:00Z' },
    });
    expect(map({ id: 'allday_20260302', status: 'cancelled' })).toEqual({
      kind: 'removal',
      removal: { eventKey: key('allday'), recurrenceKey: '2026-03-02' },
    });
  });

  it('turns a cancelled single event (or whole series) into the removal of every row of it', () => {
    expect(map({ id: 'single', status: 'cancelled' })).toEqual({
      kind: 'removal',
      removal: { eventKey: key('single'), recurrenceKey: null },
    });
  });

  it('tells rooms from people, keeps one row per address and maps unknown responses to needsAction', () => {
    const mapped = map({
      id: 'e',
      start: { date: '2026-03-02' },
      end: { date: '2026-03-03' },
      attendees: [
        { email: 'Ada@Example.com', responseStatus: 'accepted' },
        { email: 'ada@example.com', responseStatus: 'declined' },
        { email: 'room-1@resource.calendar.google.com', responseStatus: 'accepted' },
        { email: 'projector@example.com', resource: true },
        { responseStatus: 'accepted' },
      ],
    });
    expect(mapped.kind === 'event' ? mapped.event.attendees : null).toEqual([
      { attendeeId: keys.person('ada@example.com'), kind: 'person', responseStatus: 'accepted' },
      {
        attendeeId: keys.person('room-1@resource.calendar.google.com'),
        kind: 'room',
        responseStatus: 'accepted',
      },
      {
        attendeeId: keys.person('projector@example.com'),
        kind: 'room',
        responseStatus: 'needsAction',
      },
    ]);
  });

  it('refuses to guess times it cannot read', () => {
    expect(map({ id: 'x', start: { dateTime: 'tomorrow' }, end: { dateTime: 'later' } })).toEqual({
      kind: 'invalid',
    });
    expect(map({ id: 'x', start: { date: '2026-03-03' }, end: { date: '2026-03-02' } })).toEqual({
      kind: 'invalid',
    });
    expect(map({ id: 'x' })).toEqual({ kind: 'invalid' });
  });
});
