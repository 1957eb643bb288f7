/** Small builders for iCalendar tests: inline calendars, and expansion of one with a window. */
import { join } from 'node:path';
import { expandEvents, type ExpandOutcome } from '../../ingest/ics/expand.ts';
import { parseCalendar, type ParsedCalendar } from '../../ingest/ics/parse.ts';
import { importWindow, resolveZones } from '../../ingest/ics/time.ts';
import type { Problem } from '../../warehouse/errors.ts';
import type { CalendarEvent } from '../../warehouse/raw/calendar.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { testPseudonymizer } from '../helpers/warehouse.ts';

export const ICS_FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'ics');

/** A VCALENDAR around `lines` (two header lines, so the first given line is line 3). */
export function calendar(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

export function vevent(...lines: string[]): string[] {
  return ['BEGIN:VEVENT', ...lines, 'END:VEVENT'];
}

export interface Expanded {
  readonly calendar: ParsedCalendar;
  readonly events: CalendarEvent[];
  readonly outcome: ExpandOutcome;
  /** Warnings about the file's own zone definitions. */
  readonly zoneWarnings: readonly Problem[];
  /** The instances of the event with this UID. */
  of(uid: string): CalendarEvent[];
}

export interface ExpandOptions {
  readonly from?: string;
  readonly to?: string;
  /** The calendar's zone: window day boundaries and floating times. */
  readonly zone?: string;
  readonly file?: string;
}

/** Parses and expands `text` the way the import does, keeping the instances in memory. */
export function expandText(text: string, options: ExpandOptions = {}): Expanded {
  const file = options.file ?? 'test.ics';
  const zone = options.zone ?? 'UTC';
  const parsed = parseCalendar(text, file);
  const zones = resolveZones(parsed, file);
  const events: CalendarEvent[] = [];
  const outcome = expandEvents(
    parsed,
    {
      file,
      ownerId: testPseudonymizer.person('owner@example.com'),
      window: importWindow(options.from ?? '2026-03-02', options.to ?? '2026-04-30', zone),
      floatingZone: zone,
      pseudonymizer: testPseudonymizer,
      personId: (address) => testPseudonymizer.person(address),
      unusableZones: zones.unusable,
    },
    (event) => events.push(event),
  );
  return {
    calendar: parsed,
    events,
    outcome,
    zoneWarnings: zones.warnings,
    of: (uid) => events.filter((event) => event.eventKey === testPseudonymizer.calendarEvent(uid)),
  };
}

/** `YYYY-MM-DDTHH:MM:SSZ` of a timed instance's start and end, for readable expectations. */
export function span(event: CalendarEvent | undefined): string {
  if (event === undefined) return 'missing';
  if (event.isAllDay) return `${event.startDate}/${event.endDate}`;
  const iso = (micros: bigint): string =>
    `${new Date(Number(micros / 1000n)).toISOString().slice(0, 19)}Z`;
  return `${iso(event.startAt)}/${iso(event.endAt)}`;
}
