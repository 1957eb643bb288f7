import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testPseudonymizer } from '../../test/helpers/warehouse.ts';
import { calendar, expandText, ICS_FIXTURES, span, vevent } from '../../test/ics/support.ts';
import { InputError } from '../../warehouse/errors.ts';
import type { CalendarEvent } from '../../warehouse/raw/calendar.ts';

const fixture = (name: string): string => readFileSync(join(ICS_FIXTURES, name), 'utf8');
const person = (email: string): string => testPseudonymizer.person(email);
const keys = (events: CalendarEvent[]): string[] => events.map((event) => event.recurrenceKey);
const spans = (events: CalendarEvent[]): string[] => events.map(span);

describe('a Berlin team calendar (X-WR-TIMEZONE and VTIMEZONE Europe/Berlin), March-April 2026', () => {
  const berlin = expandText(fixture('berlin-team.ics'), {
    file: 'berlin-team.ics',
    zone: 'Europe/Berlin',
  });

  it('keeps a weekly meeting at 10:00 local on both sides of the 29 March DST change', () => {
    const planning = berlin.of('weekly-planning@example.com');
    expect(keys(planning)).toEqual([
      '2026-03-09T09:00:00Z',
      '2026-03-16T09:00:00Z',
      '2026-03-23T09:00:00Z',
      '2026-03-30T08:00:00Z',
      '2026-04-06T08:00:00Z',
      '2026-04-13T08:00:00Z',
      '2026-04-27T08:00:00Z',
    ]);
    expect(span(planning[1])).toBe('2026-03-16T09:00:00Z/2026-03-16T10:00:00Z');
    expect(span(planning[3])).toBe('2026-03-30T08:00:00Z/2026-03-30T09:00:00Z');
    expect(planning.every((event) => event.isRecurring)).toBe(true);
  });

  it('moves the overridden instance, keeping the original start as its key', () => {
    const moved = berlin
      .of('weekly-planning@example.com')
      .find((event) => event.recurrenceKey === '2026-03-23T09:00:00Z');
    expect(span(moved)).toBe('2026-03-24T13:00:00Z/2026-03-24T14:00:00Z');
    expect(moved?.attendees.map((attendee) => attendee.responseStatus)).toEqual([
      'accepted',
      'tentative',
    ]);
  });

  it('keeps the cancelled instance as cancelled, and drops the EXDATE instance entirely', () => {
    const planning = berlin.of('weekly-planning@example.com');
    const cancelled = planning.filter((event) => event.status === 'cancelled');
    expect(keys(cancelled)).toEqual(['2026-04-06T08:00:00Z']);
    expect(keys(planning)).not.toContain('2026-04-20T08:00:00Z');
  });

  it("records the owner's decline on one instance and the series' attendees on the others", () => {
    const planning = berlin.of('weekly-planning@example.com');
    const ada = (event: CalendarEvent | undefined): string | undefined =>
      event?.attendees.find((attendee) => attendee.attendeeId === person('ada@example.com'))
        ?.responseStatus;
    expect(ada(planning.find((e) => e.recurrenceKey === '2026-04-13T08:00:00Z'))).toBe('declined');
    const regular = planning.find((e) => e.recurrenceKey === '2026-03-30T08:00:00Z');
    expect(ada(regular)).toBe('accepted');
    expect(regular?.organizerId).toBe(person('grace@example.com'));
    expect(regular?.attendees).toEqual([
      { attendeeId: person('grace@example.com'), kind: 'person', responseStatus: 'accepted' },
      { attendeeId: person('ada@example.com'), kind: 'person', responseStatus: 'accepted' },
      {
        attendeeId: person('c_1887aa2c0bd1@resource.calendar.google.com'),
        kind: 'room',
        responseStatus: 'accepted',
      },
      {
        attendeeId: person('partner@outside.example'),
        kind: 'person',
        responseStatus: 'needsAction',
      },
    ]);
  });

  it('expands RDATE, including DTSTART as the first instance', () => {
    expect(spans(berlin.of('design-review@example.com'))).toEqual([
      '2026-03-05T14:00:00Z/2026-03-05T15:00:00Z',
      '2026-03-19T14:00:00Z/2026-03-19T15:00:00Z',
      '2026-04-02T14:00:00Z/2026-04-02T15:00:00Z',
    ]);
  });

  it('honours COUNT and UNTIL, and an override moved out of the window leaves it', () => {
    expect(keys(berlin.of('launch-week-standup@example.com'))).toEqual([
      '2026-03-02T08:30:00Z',
      '2026-03-03T08:30:00Z',
      '2026-03-04T08:30:00Z',
      '2026-03-05T08:30:00Z',
      '2026-03-06T08:30:00Z',
    ]);
    // UNTIL 25 March 12:00Z includes that day's 13:00 CET instance, but it was moved to May.
    expect(keys(berlin.of('one-to-one-ken@example.com'))).toEqual([
      '2026-03-04T12:00:00Z',
      '2026-03-11T12:00:00Z',
      '2026-03-18T12:00:00Z',
    ]);
  });

  it('brings in an instance moved into the window from a series that started before it', () => {
    expect(spans(berlin.of('all-hands@example.com'))).toEqual([
      '2026-03-03T16:00:00Z/2026-03-03T17:00:00Z',
      '2026-03-05T16:00:00Z/2026-03-05T17:00:00Z',
    ]);
    expect(keys(berlin.of('all-hands@example.com'))[0]).toBe('2026-02-05T16:00:00Z');
  });

  it('stops an unbounded series from 2016 at the end of the window', () => {
    const daily = berlin.of('morning-routine@example.com');
    expect(daily).toHaveLength(60);
    expect(span(daily[0])).toBe('2026-03-02T07:00:00Z/2026-03-02T07:15:00Z');
    expect(span(daily.at(-1))).toBe('2026-04-30T06:00:00Z/2026-04-30T06:15:00Z');
    expect(daily.every((event) => event.transparency === 'transparent')).toBe(true);
  });

  it('keeps all-day out of office, focus time and UTC events, and nothing outside the window', () => {
    expect(berlin.of('ooo-ski-week@example.com')).toEqual([
      expect.objectContaining({
        isAllDay: true,
        startDate: '2026-03-16',
        endDate: '2026-03-21',
        eventType: 'outOfOffice',
        transparency: 'opaque',
        recurrenceKey: '',
        isRecurring: false,
      }),
    ]);
    expect(berlin.of('focus-block@example.com')[0]?.eventType).toBe('focusTime');
    expect(berlin.of('vendor-call@example.com')).toEqual([
      expect.objectContaining({ status: 'tentative', transparency: 'transparent' }),
    ]);
    expect(span(berlin.of('vendor-call@example.com')[0])).toBe(
      '2026-03-10T16:00:00Z/2026-03-10T16:30:00Z',
    );
    expect(berlin.of('summer-offsite@example.com')).toEqual([]);
    expect(berlin.calendar.otherComponents).toBe(1);
    expect(berlin.outcome).toEqual({ badEvents: 0, duplicates: 0, unexpandable: 0, warnings: [] });
  });
});

describe('zones without VTIMEZONE, floating times and dates', () => {
  const zones = (zone: string) => expandText(fixture('zones.ics'), { zone });

  it('converts an IANA TZID with no VTIMEZONE hour-exact across the New York DST change', () => {
    expect(spans(zones('UTC').of('new-york-sync@example.com'))).toEqual([
      '2026-03-02T14:00:00Z/2026-03-02T14:30:00Z',
      '2026-03-09T13:00:00Z/2026-03-09T13:30:00Z',
      '2026-03-16T13:00:00Z/2026-03-16T13:30:00Z',
    ]);
  });

  it("reads floating times in the calendar's zone", () => {
    expect(span(zones('America/New_York').of('floating-workshop@example.com')[0])).toBe(
      '2026-03-10T13:00:00Z/2026-03-10T16:00:00Z',
    );
    expect(span(zones('UTC').of('floating-workshop@example.com')[0])).toBe(
      '2026-03-10T09:00:00Z/2026-03-10T12:00:00Z',
    );
  });

  it('keeps UTC times, DURATION, a one-day default and dates written without VALUE=DATE', () => {
    const expanded = zones('America/New_York');
    expect(span(expanded.of('utc-release@example.com')[0])).toBe(
      '2026-03-11T15:00:00Z/2026-03-11T15:45:00Z',
    );
    expect(span(expanded.of('company-holiday@example.com')[0])).toBe('2026-03-12/2026-03-13');
    expect(span(expanded.of('unmarked-date@example.com')[0])).toBe('2026-03-13/2026-03-15');
  });
});

describe('event lengths', () => {
  it('gives a date-time event without an end no length, and an all-day event ending on its first day one day', () => {
    const expanded = expandText(
      calendar(
        ...vevent('UID:instant', 'DTSTART:20260303T100000Z'),
        ...vevent('UID:one-day', 'DTSTART;VALUE=DATE:20260303', 'DTEND;VALUE=DATE:20260303'),
      ),
    );
    expect(span(expanded.of('instant')[0])).toBe('2026-03-03T10:00:00Z/2026-03-03T10:00:00Z');
    expect(span(expanded.of('one-day')[0])).toBe('2026-03-03/2026-03-04');
  });

  it('counts whole days of a DURATION in wall-clock time across DST, hours exactly', () => {
    const expanded = expandText(
      calendar(
        ...vevent('UID:day', 'DTSTART;TZID=Europe/Berlin:20260328T120000', 'DURATION:P1D'),
        ...vevent('UID:hours', 'DTSTART;TZID=Europe/Berlin:20260328T120000', 'DURATION:PT24H'),
      ),
    );
    expect(span(expanded.of('day')[0])).toBe('2026-03-28T11:00:00Z/2026-03-29T10:00:00Z');
    expect(span(expanded.of('hours')[0])).toBe('2026-03-28T11:00:00Z/2026-03-29T11:00:00Z');
  });

  it('rejects an end before the start, a mixed DTEND and a partial all-day DURATION', () => {
    try {
      expandText(
        calendar(
          ...vevent('UID:a', 'DTSTART:20260303T100000Z', 'DTEND:20260303T090000Z'),
          ...vevent('UID:b', 'DTSTART;VALUE=DATE:20260303', 'DTEND:20260303T090000Z'),
          ...vevent('UID:c', 'DTSTART;VALUE=DATE:20260303', 'DURATION:PT12H'),
          ...vevent('UID:d', 'DTSTART:20260303T100000Z', 'DURATION:-PT1H'),
          ...vevent('UID:e', 'DTSTART:20260303T100000Z', 'RDATE;VALUE=DATE:20260304'),
        ),
        { file: 'cal.ics' },
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).details).toEqual([
        'cal.ics:6 DTEND: the event ends before it starts',
        'cal.ics:11 DTEND: must be a date like DTSTART',
        'cal.ics:16 DURATION: an all-day event must last whole days',
        'cal.ics:21 DURATION: a negative duration: the event ends before it starts',
        'cal.ics:26 RDATE: must be a date-time like DTSTART',
      ]);
    }
  });
});

describe('overrides and duplicates', () => {
  it('keeps an override whose series is not in the file as an instance of that series', () => {
    const expanded = expandText(
      calendar(
        ...vevent(
          'UID:someone-elses-series',
          'RECURRENCE-ID:20260310T090000Z',
          'DTSTART:20260310T100000Z',
          'DTEND:20260310T103000Z',
        ),
      ),
    );
    expect(expanded.events).toEqual([
      expect.objectContaining({ recurrenceKey: '2026-03-10T09:00:00Z', isRecurring: true }),
    ]);
  });

  it('matches an override written in another zone than its series by instant', () => {
    const expanded = expandText(
      calendar(
        ...vevent(
          'UID:s',
          'DTSTART;TZID=America/New_York:20260309T090000',
          'DTEND;TZID=America/New_York:20260309T100000',
          'RRULE:FREQ=DAILY;COUNT=3',
        ),
        ...vevent(
          'UID:s',
          'RECURRENCE-ID:20260310T130000Z',
          'DTSTART;TZID=America/New_York:20260310T150000',
          'DTEND;TZID=America/New_York:20260310T160000',
        ),
      ),
    );
    expect(spans(expanded.of('s'))).toEqual([
      '2026-03-09T13:00:00Z/2026-03-09T14:00:00Z',
      '2026-03-10T19:00:00Z/2026-03-10T20:00:00Z',
      '2026-03-11T13:00:00Z/2026-03-11T14:00:00Z',
    ]);
  });

  it('keeps the newest SEQUENCE when an event appears twice, and counts the duplicate', () => {
    const expanded = expandText(
      calendar(
        ...vevent('UID:d', 'SEQUENCE:2', 'DTSTART:20260303T100000Z', 'STATUS:CANCELLED'),
        ...vevent('UID:d', 'SEQUENCE:1', 'DTSTART:20260303T100000Z'),
      ),
    );
    expect(expanded.events.map((event) => event.status)).toEqual(['cancelled']);
    expect(expanded.outcome.duplicates).toBe(1);
  });

  it('ends a timed series on the day of a date UNTIL, and reads a local UNTIL in its zone', () => {
    const expanded = expandText(
      calendar(
        ...vevent(
          'UID:date-until',
          'DTSTART;TZID=America/New_York:20260302T090000',
          'RRULE:FREQ=WEEKLY;UNTIL=20260316',
        ),
        ...vevent(
          'UID:local-until',
          'DTSTART;TZID=America/New_York:20260302T090000',
          'RRULE:FREQ=WEEKLY;UNTIL=20260316T090000',
        ),
      ),
    );
    expect(keys(expanded.of('date-until'))).toEqual([
      '2026-03-02T14:00:00Z',
      '2026-03-09T13:00:00Z',
      '2026-03-16T13:00:00Z',
    ]);
    expect(keys(expanded.of('local-until'))).toEqual(keys(expanded.of('date-until')));
  });
});

describe('bounded expansion', () => {
  // A hang would show as the test's own timeout; no wall-clock assertion, since load varies.
  it('skips, with a warning, series it cannot expand within the step bound, and keeps everything else', () => {
    const expanded = expandText(
      calendar(
        // A tiny interval with a huge COUNT, and a rule no date satisfies (ical.js loops forever).
        ...vevent('UID:seconds', 'DTSTART:20260302T000000Z', 'RRULE:FREQ=SECONDLY;COUNT=999999999'),
        ...vevent(
          'UID:impossible',
          'DTSTART:20260302T090000Z',
          'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
        ),
        ...vevent('UID:fine', 'DTSTART:20260303T100000Z'),
      ),
      { file: 'cal.ics' },
    );
    expect(keys(expanded.events)).toEqual(['']);
    expect(expanded.outcome.unexpandable).toBe(2);
    expect(expanded.outcome.warnings.map((warning) => warning.location)).toEqual([
      { file: 'cal.ics', line: 6 },
      { file: 'cal.ics', line: 11 },
    ]);
    for (const warning of expanded.outcome.warnings) {
      expect(warning.message).toMatch(
        /^recurring series skipped: expanding its rule to the end of the window takes more than 50,000 steps/,
      );
    }
  });
});
