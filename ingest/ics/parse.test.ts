import { describe, expect, it } from 'vitest';
import { InputError, type Problem } from '../../warehouse/errors.ts';
import { calendar, vevent } from '../../test/ics/support.ts';
import { parseCalendar } from './parse.ts';

function problemsOf(text: string): readonly Problem[] {
  try {
    parseCalendar(text, 'cal.ics');
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error('expected the calendar to be rejected');
}

/** The problems of each event the reading rejected, first problem first. */
function rejectedOf(text: string): readonly Problem[] {
  return parseCalendar(text, 'cal.ics').rejectedEvents.flatMap(({ problems }) => problems);
}

function where(problems: readonly Problem[]): string[] {
  return problems.map(
    ({ location, message }) =>
      `${location.line ?? '?'}${location.field ? ` ${location.field}` : ''}: ${message}`,
  );
}

describe('parseCalendar keeps only allow-listed metadata', () => {
  const text = calendar(
    'X-WR-CALNAME:Secret project calendar',
    'X-WR-TIMEZONE:Europe/Berlin',
    ...vevent(
      'UID:one@example.com',
      'DTSTART:20260303T100000Z',
      'SUMMARY:Secret title',
      'DESCRIPTION:Secret description',
      'LOCATION:Secret location',
      'X-GOOGLE-CONFERENCE:https://meet.example/secret',
      'ATTENDEE;CN=Secret Name;PARTSTAT=ACCEPTED:mailto:ada@example.com',
      'BEGIN:VALARM',
      'DESCRIPTION:Secret reminder',
      'END:VALARM',
    ),
    'BEGIN:VTODO',
    'SUMMARY:Secret to-do',
    'END:VTODO',
  );

  it('drops titles, descriptions, locations, conference links and alarms while reading', () => {
    const parsed = parseCalendar(text, 'cal.ics');
    const [event] = parsed.events;
    const kept = `${event?.component.toString() ?? ''}\n${parsed.root.toString()}`;
    expect(kept).not.toMatch(/Secret (title|description|location|reminder|project|to-do)/);
    expect(kept).not.toContain('meet.example');
    expect(event?.component.getAllSubcomponents()).toEqual([]);
    expect(event?.component.getFirstPropertyValue('uid')).toBe('one@example.com');
    expect(event?.component.getFirstProperty('attendee')?.getFirstValue()).toBe(
      'mailto:ada@example.com',
    );
  });

  it('reads X-WR-TIMEZONE and counts components that are not events', () => {
    const parsed = parseCalendar(text, 'cal.ics');
    expect(parsed.calendarTimezone).toEqual({ name: 'Europe/Berlin', line: 4 });
    expect(parsed.otherComponents).toBe(1);
  });

  it('knows the line of every kept property, across folded lines', () => {
    const parsed = parseCalendar(
      calendar(
        ...vevent(
          'UID:folded@example.com',
          'ATTENDEE;CN=Long',
          ' Name:mailto:a@example.com',
          'ATTENDEE:mailto:b@example.com',
          'DTSTART:20260303T100000Z',
        ),
      ),
      'cal.ics',
    );
    const [event] = parsed.events;
    expect(event?.line).toBe(3);
    expect(event?.lineOf('attendee', 1)).toBe(7);
    expect(event?.lineOf('DTSTART')).toBe(8);
    expect(event?.lineOf('DTEND')).toBe(3);
  });

  it('notes zones used by events and the first floating time', () => {
    const parsed = parseCalendar(
      calendar(
        ...vevent('UID:a', 'DTSTART;TZID=America/New_York:20260303T100000'),
        ...vevent('UID:b', 'DTSTART:20260303T100000Z'),
        ...vevent('UID:c', 'DTSTART:20260304T100000', 'EXDATE;TZID=Asia/Tokyo:20260305T100000'),
      ),
      'cal.ics',
    );
    expect([...parsed.zoneReferences.entries()]).toEqual([
      ['America/New_York', { file: 'cal.ics', line: 5, field: 'DTSTART' }],
      ['Asia/Tokyo', { file: 'cal.ics', line: 14, field: 'EXDATE' }],
    ]);
    expect(parsed.firstFloatingTime).toEqual({ file: 'cal.ics', line: 13, field: 'DTSTART' });
  });

  it('reads a date written without VALUE=DATE as a date', () => {
    const parsed = parseCalendar(
      calendar(...vevent('UID:a', 'DTSTART:20260305', 'DTEND:20260306')),
      'cal.ics',
    );
    const start = parsed.events[0]?.component.getFirstPropertyValue('dtstart');
    expect(start?.toString()).toBe('2026-03-05');
  });
});

describe('parseCalendar rejects bad input with file and line, never the content', () => {
  it('refuses a file that is not iCalendar', () => {
    expect(where(problemsOf('From: someone\nSecret body\n'))).toEqual([
      '1: not an iCalendar file: it must start with BEGIN:VCALENDAR',
    ]);
    expect(where(problemsOf(''))).toEqual([
      '1: not an iCalendar file: it must start with BEGIN:VCALENDAR',
    ]);
  });

  it('rejects the event holding a line that is not NAME:value, without repeating it', () => {
    const problems = rejectedOf(
      calendar(...vevent('UID:a', 'DTSTART:20260303T100000Z', 'Secret words with no colon')),
    );
    expect(where(problems)).toEqual(['6: not a valid iCalendar line (expected NAME:value)']);
    expect(JSON.stringify(problems)).not.toContain('Secret');
  });

  it('rejects an event with a property ical.js cannot read, without echoing ical.js', () => {
    const problems = rejectedOf(
      calendar(
        ...vevent('UID:a', 'DTSTART:20260303T100000Z', 'ATTENDEE;CN="Secret Name:mailto:x@y.z'),
      ),
    );
    expect(where(problems)).toEqual(['6 ATTENDEE: not a valid iCalendar line']);
    expect(JSON.stringify(problems)).not.toContain('Secret');
  });

  it('rejects events with impossible dates that ical.js would silently roll over', () => {
    expect(
      where(
        rejectedOf(
          calendar(...vevent('UID:a', 'DTSTART:20261301T100000Z', 'DTEND;VALUE=DATE:20260230')),
        ),
      ),
    ).toEqual(['5 DTSTART: not a valid date-time', '6 DTEND: not a valid date']);
  });

  it('rejects events with malformed rules and durations, and zones with malformed offsets and rules', () => {
    const parsed = parseCalendar(
      calendar(
        ...vevent('UID:a', 'DTSTART:20260303T100000Z', 'RRULE:FREQ=FORTNIGHTLY'),
        ...vevent('UID:b', 'DTSTART:20260303T100000Z', 'RRULE:INTERVAL=2'),
        ...vevent('UID:c', 'DTSTART:20260303T100000Z', 'RRULE:FREQ=DAILY;UNTIL=2026'),
        ...vevent('UID:d', 'DTSTART:20260303T100000Z', 'DURATION:one hour'),
        'BEGIN:VTIMEZONE',
        'TZID:Custom',
        'BEGIN:STANDARD',
        'DTSTART:19700101T000000',
        'TZOFFSETFROM:+1',
        'TZOFFSETTO:+0100',
        'END:STANDARD',
        'BEGIN:DAYLIGHT',
        'DTSTART:19700329T020000',
        'TZOFFSETFROM:+0100',
        'TZOFFSETTO:+0200',
        'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
        'END:DAYLIGHT',
        'END:VTIMEZONE',
      ),
      'cal.ics',
    );
    expect(where(parsed.rejectedEvents.flatMap(({ problems }) => problems))).toEqual([
      '6 RRULE: not a valid recurrence rule',
      '11 RRULE: not a valid recurrence rule: FREQ is required',
      '16 RRULE: not a valid recurrence rule: UNTIL is not a date or date-time',
      '21 DURATION: not a valid duration (expected e.g. PT1H30M or P1D)',
    ]);
    expect(where([...parsed.zoneProblems.values()])).toEqual([
      '27 TZOFFSETFROM: not a valid UTC offset (expected e.g. +0100)',
    ]);
    expect(parsed.embeddedZones.size).toBe(0);
  });

  it('requires DTSTART once per event, and takes an event without UID', () => {
    const parsed = parseCalendar(
      calendar(
        ...vevent('DTSTART:20260303T100000Z'),
        ...vevent('UID:b', 'DTSTART:20260303T100000Z', 'DTSTART:20260304T100000Z'),
        ...vevent('UID:c'),
        ...vevent('UID:', 'DTSTART:20260303T100000Z'),
      ),
      'cal.ics',
    );
    expect(where(parsed.rejectedEvents.flatMap(({ problems }) => problems))).toEqual([
      '9 DTSTART: appears twice',
      '11: VEVENT without DTSTART',
    ]);
    expect(parsed.events.map((event) => event.line)).toEqual([3, 14]);
    expect(parsed.events[1]?.component.hasProperty('uid')).toBe(false);
  });

  it('reads BYDAY=MO, TU with spaces, and ignores an empty RRULE with a warning', () => {
    const parsed = parseCalendar(
      calendar(
        ...vevent('UID:a', 'DTSTART:20260302T100000Z', 'RRULE:FREQ=WEEKLY; BYDAY=MO, TU'),
        ...vevent('UID:b', 'DTSTART:20260302T100000Z', 'RRULE:'),
      ),
      'cal.ics',
    );
    expect(parsed.rejectedEvents).toEqual([]);
    expect(String(parsed.events[0]?.component.getFirstPropertyValue('rrule'))).toBe(
      'FREQ=WEEKLY;BYDAY=MO,TU',
    );
    expect(parsed.events[1]?.component.hasProperty('rrule')).toBe(false);
    expect(where(parsed.warnings)).toEqual([
      '11 RRULE: an empty RRULE was ignored: the event is read as a single event',
    ]);
  });

  it('reports unclosed and mismatched components where they begin', () => {
    expect(where(problemsOf(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'UID:a'].join('\n')))).toEqual([
      '2: BEGIN:VEVENT is never closed (END:VEVENT missing)',
      '1: BEGIN:VCALENDAR is never closed (END:VCALENDAR missing)',
    ]);
    expect(where(problemsOf(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'END:VTODO'].join('\n')))).toEqual([
      '3: END:VTODO does not close BEGIN:VEVENT on line 2',
    ]);
  });

  it('refuses a second calendar, and ignores other content after the end with a warning', () => {
    expect(where(problemsOf(`${calendar()}BEGIN:VCALENDAR\r\n`))).toEqual([
      '4: a second VCALENDAR in one file is not supported: export one calendar per file',
    ]);
    const parsed = parseCalendar(`${calendar()}UID:stray\r\nno colon at all\r\n`, 'cal.ics');
    expect(where(parsed.warnings)).toEqual(['4: content after END:VCALENDAR was ignored']);
  });

  it('sets incomplete VTIMEZONE definitions aside with their problem, and ignores one without TZID', () => {
    const parsed = parseCalendar(
      calendar(
        'BEGIN:VTIMEZONE',
        'TZID:Custom',
        'BEGIN:STANDARD',
        'END:STANDARD',
        'END:VTIMEZONE',
        'BEGIN:VTIMEZONE',
        'END:VTIMEZONE',
      ),
      'cal.ics',
    );
    expect(where([...parsed.zoneProblems.values()])).toEqual([
      '3: incomplete VTIMEZONE: it needs STANDARD or DAYLIGHT parts, each with DTSTART, TZOFFSETFROM and TZOFFSETTO',
    ]);
    expect(parsed.embeddedZones.size).toBe(0);
    expect(parsed.root.getAllSubcomponents('vtimezone')).toEqual([]);
  });

  it('stops after 20 problems and says so', () => {
    const broken = Array.from({ length: 30 }, (_, index) => `broken line ${index}`);
    try {
      parseCalendar(calendar(...broken), 'cal.ics');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems).toHaveLength(20);
      expect((error as InputError).message).toBe(
        'cal.ics: the first 20 problems (reading stopped there); nothing was imported',
      );
    }
  });

  it('warns that EXRULE is ignored', () => {
    const parsed = parseCalendar(
      calendar(...vevent('UID:a', 'DTSTART:20260303T100000Z', 'EXRULE:FREQ=DAILY')),
      'cal.ics',
    );
    expect(where(parsed.warnings)).toEqual([
      '6 EXRULE: EXRULE is obsolete (RFC 5545) and was ignored',
    ]);
  });
});
