/**
 * Turning iCalendar times into UTC instants, and the import window.
 *
 * Three kinds of local time reach us, and none of them ever goes through a JS `Date` built from
 * local fields:
 * - a TZID that is, or maps to, an IANA zone (`Europe/Berlin`, Windows' `W. Europe Standard
 *   Time`, `(UTC-05:00) Eastern Time (US & Canada)`, `UTC+01`): an `IanaZone` whose offsets come
 *   from `warehouse/zoned-time.ts`, so they match DuckDB's ICU to the second. The file's own
 *   VTIMEZONE for it is set aside: the tz database knows the zone's history better than any
 *   exporter, and ical.js misreads some definitions (DTSTART + RDATE observances);
 * - any other TZID defined by a VTIMEZONE in the same file: ical.js converts with that definition,
 *   found in the file's own component tree (one file's definitions never leak into another's),
 *   after checking that it gives the offsets it declares;
 * - floating times (no zone at all): expanded by ical.js as wall-clock times, then placed in the
 *   calendar's zone with `localTimeToMicros`.
 */
import ICAL from 'ical.js';
import { addDays, utcMillis } from '../../warehouse/dates.ts';
import type { Problem } from '../../warehouse/errors.ts';
import { isTimeZone } from '../../warehouse/schedule.ts';
import { localTimeToMicros } from '../../warehouse/zoned-time.ts';
import type { ParsedCalendar } from './parse.ts';
import { windowsZone } from './windows-zones.ts';

const MICROS_PER_SECOND = 1_000_000n;

/**
 * An IANA zone for ical.js, under the TZID the file uses. Registered process-wide on purpose: a
 * TZID that maps to an IANA zone means that zone in every file.
 */
export class IanaZone extends ICAL.Timezone {
  readonly iana: string;

  constructor(tzid: string, iana: string = tzid) {
    super({ tzid });
    this.iana = iana;
  }

  override utcOffset(time: ICAL.Time): number {
    const wallMinutes = time.hour * 60 + time.minute;
    const instantMs = Number(localTimeToMicros(dateOf(time), wallMinutes, this.iana) / 1000n);
    const wallMs = utcMillis(time.year, time.month, time.day, time.hour, time.minute);
    return (wallMs - instantMs) / 1000;
  }
}

/**
 * The IANA zone a TZID names: the name itself, the tail of an old Mozilla-style path
 * (`/mozilla.org/20050126_1/Europe/Berlin`), or a Windows zone name (CLDR's table).
 */
export function ianaZoneFor(tzid: string): string | null {
  if (isTimeZone(tzid)) return tzid;
  const parts = tzid.trim().split('/');
  if (parts.length > 2 && parts[0] === '') {
    for (let first = 1; first < parts.length - 1; first += 1) {
      const tail = parts.slice(first).join('/');
      if (isTimeZone(tail)) return tail;
    }
  }
  return windowsZone(tzid);
}

export interface ZoneResolution {
  /** Definitions that look wrong but are used. */
  readonly warnings: readonly Problem[];
  /** TZIDs no time can be read in, with the reason: events using them are skipped. */
  readonly unusable: ReadonlyMap<string, string>;
}

/**
 * Makes every TZID the file uses resolvable: the IANA zone it is or maps to, else its own
 * VTIMEZONE (repaired and checked, see `checkDefinition`). A TZID that is neither, or whose
 * VTIMEZONE is broken, is unusable: the events using it are skipped, not read in a wrong zone.
 */
export function resolveZones(calendar: ParsedCalendar, file: string): ZoneResolution {
  const warnings: Problem[] = [];
  const unusable = new Map<string, string>();
  const definitions = new Map(
    calendar.root
      .getAllSubcomponents('vtimezone')
      .map((component) => [String(component.getFirstPropertyValue('tzid')), component] as const),
  );
  for (const [tzid, location] of calendar.zoneReferences) {
    const iana = ianaZoneFor(tzid);
    const definition = definitions.get(tzid);
    const broken = calendar.zoneProblems.get(tzid);
    if (iana !== null) {
      if (definition !== undefined) calendar.root.removeSubcomponent(definition);
      const registered: unknown = ICAL.TimezoneService.get(tzid);
      if (!(registered instanceof IanaZone && registered.iana === iana)) {
        ICAL.TimezoneService.register(new IanaZone(tzid, iana), tzid);
      }
    } else if (definition !== undefined) {
      const problem = checkDefinition(definition, tzid);
      if (problem !== null) {
        const line = calendar.embeddedZones.get(tzid) ?? location.line;
        warnings.push({ location: { file, line }, message: problem });
      }
    } else if (broken !== undefined) {
      unusable.set(
        tzid,
        `the VTIMEZONE of '${printable(tzid)}' on line ${broken.location.line ?? '?'} cannot be used (${broken.message})`,
      );
    } else {
      unusable.set(
        tzid,
        `unknown time zone '${printable(tzid)}': the file has no VTIMEZONE for it and it is not an IANA or Windows zone name such as Europe/Berlin`,
      );
    }
  }
  return { warnings, unusable };
}

function offsetSeconds(value: unknown): number | null {
  return value instanceof ICAL.UtcOffset ? value.toSeconds() : null;
}

function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const minutes = Math.abs(seconds) / 60;
  const pad = (value: number): string => String(Math.floor(value)).padStart(2, '0');
  return `${sign}${pad(minutes / 60)}:${pad(minutes % 60)}`;
}

/**
 * A file's own zone definition, made readable and checked. ical.js ignores the DTSTART of an
 * observance that has RDATEs, and reads only the first date of an RDATE list, so a zone given as
 * one onset in DTSTART and the next in RDATE (iCalcreator, some CalDAV servers) is read as UTC.
 * Listing DTSTART among the RDATEs, one date each, is the same definition in a shape ical.js reads.
 * Then every explicit onset must give the offset it declares (offsets beyond those of real zones
 * are refused while reading); otherwise times in this zone may be off by hours, which is worth a
 * warning.
 */
function checkDefinition(definition: ICAL.Component, tzid: string): string | null {
  const onsets: { readonly start: ICAL.Time; readonly to: number }[] = [];
  for (const observance of definition.getAllSubcomponents()) {
    const start = observance.getFirstPropertyValue('dtstart');
    const to = offsetSeconds(observance.getFirstPropertyValue('tzoffsetto'));
    if (!(start instanceof ICAL.Time) || to === null) continue;
    const rdates = observance
      .getAllProperties('rdate')
      .flatMap((property): unknown[] => property.getValues())
      .filter((value): value is ICAL.Time => value instanceof ICAL.Time);
    if (rdates.length > 0) {
      for (const property of observance.getAllProperties('rdate'))
        observance.removeProperty(property);
      const seen = new Set<string>();
      for (const onset of [start, ...rdates]) {
        if (seen.has(onset.toString())) continue;
        seen.add(onset.toString());
        observance.addPropertyWithValue('rdate', onset);
      }
    }
    // With an RRULE, DTSTART need not be an onset itself (Microsoft writes 1601-01-01).
    if (!observance.hasProperty('rrule')) {
      for (const onset of [start, ...rdates]) onsets.push({ start: onset, to });
    }
  }
  const zone = new ICAL.Timezone({ component: definition, tzid });
  for (const { start, to } of onsets) {
    // Half a day after the onset, the new offset is in force whatever the onset's hour.
    const probe = start.clone();
    probe.isDate = false;
    probe.adjust(0, 12, 0, 0);
    const read = zone.utcOffset(probe);
    if (read !== to) {
      return `the VTIMEZONE '${printable(tzid)}' gives ${formatOffset(read)} after its onset of ${dateOf(start)} where it declares ${formatOffset(to)}: its times may be wrong`;
    }
  }
  return null;
}

/** A zone name from a file, safe to print: no control characters, bounded length. */
export function printable(text: string): string {
  const clean = text.replace(/[\p{Cc}\p{Cf}]/gu, '?');
  return clean.length > 60 ? `${clean.slice(0, 57)}...` : clean;
}

/** `YYYY-MM-DD` of a time's own (wall-clock) date. */
export function dateOf(time: ICAL.Time): string {
  const pad = (value: number, width: number): string => String(value).padStart(width, '0');
  return `${pad(time.year, 4)}-${pad(time.month, 2)}-${pad(time.day, 2)}`;
}

/** The UTC instant of a date-time in microseconds; floating times are read in `floatingZone`. */
export function instantOf(time: ICAL.Time, floatingZone: string): bigint {
  if (time.zone === ICAL.Timezone.localTimezone) {
    const wallMinutes = time.hour * 60 + time.minute;
    return (
      localTimeToMicros(dateOf(time), wallMinutes, floatingZone) +
      BigInt(time.second) * MICROS_PER_SECOND
    );
  }
  return BigInt(Math.round(time.toUnixTime())) * MICROS_PER_SECOND;
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the form of `recurrenceKey` for timed instances. */
export function utcKey(micros: bigint): string {
  return `${new Date(Number(micros / 1000n)).toISOString().slice(0, 19)}Z`;
}

export interface ImportWindow {
  /** First and last day asked for, inclusive. */
  readonly from: string;
  readonly to: string;
  /** Timed instances starting in [startUs, endUs) are imported. */
  readonly startUs: bigint;
  readonly endUs: bigint;
  /** All-day instances starting on a date in [allDayStart, allDayEnd) are imported. */
  readonly allDayStart: string;
  readonly allDayEnd: string;
}

/**
 * The window from the first to the last day (inclusive), with day boundaries at midnight in the
 * calendar's zone. All-day events are the calendar's own dates, so they are kept (and replaced)
 * by the days asked for, whatever the zone.
 */
export function importWindow(from: string, to: string, zone: string): ImportWindow {
  return {
    from,
    to,
    startUs: localTimeToMicros(from, 0, zone),
    endUs: localTimeToMicros(addDays(to, 1), 0, zone),
    allDayStart: from,
    allDayEnd: addDays(to, 1),
  };
}
