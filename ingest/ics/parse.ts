/**
 * Reads one iCalendar file into ical.js components, keeping only what the import needs.
 *
 * Privacy by construction: a property is handed to ical.js only when it is on the allow-list
 * below, so titles, descriptions, locations, comments, attachments, conference details, alarms and
 * any property invented in the future are dropped while reading, before anything can store, log or
 * echo them. Dropped lines are checked only for the shape `NAME[;params]:value`.
 *
 * Every problem in the file is collected (up to a limit) with its line number, and none of them
 * repeats the content of the line. A problem inside one VEVENT rejects that event only (it is
 * skipped with a warning, see expand.ts), and a problem inside a VTIMEZONE only the events that use
 * that zone; a problem in the file's structure (components that do not nest, lines outside any
 * event that cannot be read) refuses the whole file.
 */
import ICAL from 'ical.js';
import { dayNumber } from '../../warehouse/dates.ts';
import { InputError, type Location, type Problem } from '../../warehouse/errors.ts';
import { durationDays, eventLengthProblem, ruleIntervalProblem } from './bounds.ts';
import { unfoldLines } from './lines.ts';

/** Properties read from a VEVENT; everything else on an event is dropped unread. */
const EVENT_PROPERTIES = new Set([
  'UID',
  'DTSTART',
  'DTEND',
  'DURATION',
  'RRULE',
  'RDATE',
  'EXDATE',
  'RECURRENCE-ID',
  'STATUS',
  'TRANSP',
  'SEQUENCE',
  'ORGANIZER',
  'ATTENDEE',
  'X-MICROSOFT-CDO-BUSYSTATUS',
  'X-GOOGLE-EVENT-TYPE',
]);
const TIMEZONE_PROPERTIES = new Set(['TZID']);
const TIMEZONE_RULE_PROPERTIES = new Set([
  'DTSTART',
  'TZOFFSETFROM',
  'TZOFFSETTO',
  'RRULE',
  'RDATE',
]);
const CALENDAR_PROPERTIES = new Set(['X-WR-TIMEZONE']);
const TIME_PROPERTIES = new Set(['DTSTART', 'DTEND', 'RECURRENCE-ID', 'RDATE', 'EXDATE']);

/** Enough to fix a broken file in one go without flooding the terminal. */
const MAX_PROBLEMS = 20;

const CONTENT_LINE = /^([A-Za-z0-9-]+)[;:]/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(Z?)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** What ical.js makes of `DTSTART:20260105` (a date without VALUE=DATE). */
const UNMARKED_DATE = /^(\d{4}-\d{2}-\d{2})T::$/;
const DURATION = /^[+-]?P(?=\d|T\d)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
const UTC_OFFSET = /^([+-])(\d{2}):(\d{2})(:\d{2})?$/;
const NOT_ICALENDAR = 'not an iCalendar file: it must start with BEGIN:VCALENDAR';

type JCalProperty = [
  name: string,
  parameters: Record<string, unknown>,
  type: string,
  ...values: unknown[],
];
type JCalComponent = [name: string, properties: JCalProperty[], components: JCalComponent[]];

export interface ParsedEvent {
  readonly component: ICAL.Component;
  /** The line of `BEGIN:VEVENT`. */
  readonly line: number;
  /** The TZIDs this event's times use, each with the first place it uses it. */
  readonly zones: ReadonlyMap<string, Location>;
  /** The line of the `index`-th property `name` (any case), or the event's first line. */
  lineOf(name: string, index?: number): number;
}

export interface ParsedCalendar {
  /** The VCALENDAR, holding the file's VTIMEZONEs (events are its children but not in its list). */
  readonly root: ICAL.Component;
  /** `X-WR-TIMEZONE` as written, when present. */
  readonly calendarTimezone: { readonly name: string; readonly line: number } | null;
  readonly events: readonly ParsedEvent[];
  /** VEVENTs that cannot be read, each with its problems: skipped, not imported in part. */
  readonly rejectedEvents: readonly RejectedEvent[];
  /** The first problem of each VTIMEZONE that cannot be used, by TZID. */
  readonly zoneProblems: ReadonlyMap<string, Problem>;
  /** TZIDs defined by the file's own VTIMEZONEs, with the line of each `BEGIN:VTIMEZONE`. */
  readonly embeddedZones: ReadonlyMap<string, number>;
  /** Every TZID an event uses, with the first place it is used. */
  readonly zoneReferences: ReadonlyMap<string, Location>;
  /** The first event time with neither a zone nor `Z`, if any. */
  readonly firstFloatingTime: Location | null;
  /** VTODO, VJOURNAL, VFREEBUSY and other components that are not events. */
  readonly otherComponents: number;
  readonly warnings: readonly Problem[];
}

export interface RejectedEvent {
  /** The line of `BEGIN:VEVENT`. */
  readonly line: number;
  readonly problems: readonly Problem[];
}

interface Frame {
  readonly name: string;
  readonly line: number;
  /** Null when the component is dropped, with everything inside it. */
  readonly jcal: JCalComponent | null;
  readonly propertyLines: Map<string, number[]>;
  /** What makes this VEVENT or VTIMEZONE unusable. */
  readonly problems: Problem[];
  /** For a VEVENT: the TZIDs its times use. */
  readonly zones: Map<string, Location>;
}

interface ComponentRead {
  readonly jcal: JCalComponent;
  readonly line: number;
  readonly propertyLines: Map<string, number[]>;
  readonly zones: ReadonlyMap<string, Location>;
}

/** Thrown to stop reading once the file cannot be followed any further. */
class StopReading extends Error {}

export function parseCalendar(text: string, file: string): ParsedCalendar {
  const reader = new CalendarReader(file);
  try {
    for (const { line, text: content } of unfoldLines(text)) reader.read(line, content);
    reader.finish();
  } catch (error) {
    if (!(error instanceof StopReading)) throw error;
  }
  return reader.result();
}

class CalendarReader {
  readonly #file: string;
  readonly #problems: Problem[] = [];
  readonly #warnings: Problem[] = [];
  readonly #stack: Frame[] = [];
  readonly #events: ComponentRead[] = [];
  readonly #timezones: ComponentRead[] = [];
  readonly #rejectedEvents: RejectedEvent[] = [];
  readonly #zoneProblems = new Map<string, Problem>();
  readonly #zoneReferences = new Map<string, Location>();
  #rootJcal: JCalComponent | null = null;
  #calendarTimezone: ParsedCalendar['calendarTimezone'] = null;
  #firstFloatingTime: Location | null = null;
  #otherComponents = 0;
  #finished = false;
  #warnedExrule = false;
  #warnedTrailing = false;

  constructor(file: string) {
    this.#file = file;
  }

  /**
   * A problem belongs to the event it is in, else to the time zone it is in, else to the file;
   * one inside a component that is dropped anyway (a VTODO, say) is of no consequence. Only the
   * file's problems stop the reading.
   */
  #report(location: Omit<Location, 'file'>, message: string): void {
    const problem = { location: { file: this.#file, ...location }, message };
    const top = this.#stack[1];
    if (top === undefined) this.#fileProblem(problem);
    else if (top.name === 'VEVENT' || top.name === 'VTIMEZONE') top.problems.push(problem);
    else if (top.jcal !== null) this.#fileProblem(problem);
  }

  #fileProblem(problem: Problem): void {
    this.#problems.push(problem);
    if (this.#problems.length >= MAX_PROBLEMS) throw new StopReading();
  }

  /** Reports a problem after which nothing in the file can be placed reliably. */
  #fail(location: Omit<Location, 'file'>, message: string): never {
    this.#fileProblem({ location: { file: this.#file, ...location }, message });
    throw new StopReading();
  }

  read(line: number, content: string): void {
    const match = CONTENT_LINE.exec(content);
    const name = (match?.[1] ?? '').toUpperCase();
    if (this.#finished) {
      if (name === 'BEGIN') {
        this.#fail(
          { line },
          'a second VCALENDAR in one file is not supported: export one calendar per file',
        );
      }
      // Stray lines after the end (a signature, a second END) hold no event.
      if (!this.#warnedTrailing) {
        this.#warnedTrailing = true;
        this.#warnings.push({
          location: { file: this.#file, line },
          message: 'content after END:VCALENDAR was ignored',
        });
      }
      return;
    }
    if (!match || !content.includes(':')) {
      if (this.#rootJcal === null) this.#fail({ line }, NOT_ICALENDAR);
      this.#report({ line }, 'not a valid iCalendar line (expected NAME:value)');
      return;
    }
    if (name === 'BEGIN' || name === 'END') {
      const component = content
        .slice(content.indexOf(':') + 1)
        .trim()
        .toUpperCase();
      if (name === 'BEGIN') this.#begin(component, line);
      else this.#end(component, line);
      return;
    }
    const frame = this.#stack.at(-1);
    if (frame === undefined) this.#fail({ line }, NOT_ICALENDAR);
    if (frame.jcal === null) return;
    if (frame.name === 'VEVENT' && name === 'EXRULE' && !this.#warnedExrule) {
      this.#warnedExrule = true;
      this.#warnings.push({
        location: { file: this.#file, line, field: name },
        message: 'EXRULE is obsolete (RFC 5545) and was ignored',
      });
    }
    if (keepsProperty(frame.name, name)) this.#readProperty(frame, frame.jcal, name, line, content);
  }

  #readProperty(
    frame: Frame,
    jcal: JCalComponent,
    name: string,
    line: number,
    content: string,
  ): void {
    let text = content;
    if (name === 'RRULE') {
      // No part of a rule holds a space: `BYDAY=MO, TU` is `BYDAY=MO,TU`.
      const colon = content.indexOf(':');
      const rule = content.slice(colon + 1).replace(/\s+/g, '');
      if (rule === '') {
        this.#warnings.push({
          location: { file: this.#file, line, field: name },
          message: 'an empty RRULE was ignored: the event is read as a single event',
        });
        return;
      }
      text = `${content.slice(0, colon + 1)}${rule}`;
    }
    let property: JCalProperty;
    try {
      property = toJCalProperty(ICAL.parse.property(text, ICAL.design.icalendar));
    } catch {
      this.#report(
        { line, field: name },
        name === 'RRULE' ? 'not a valid recurrence rule' : 'not a valid iCalendar line',
      );
      return;
    }
    const problem = checkValue(name, property) ?? checkZoneRule(frame.name, name, property);
    if (problem !== null) {
      this.#report({ line, field: name }, problem);
      return;
    }
    // An empty UID is no UID: the event gets a key from its content (see expand.ts).
    if (name === 'UID' && String(property[3]).trim() === '') return;
    if (frame.name === 'VEVENT' && TIME_PROPERTIES.has(name))
      this.#noteZone(frame, property, line, name);
    if (frame.name === 'VCALENDAR') {
      this.#calendarTimezone = { name: String(property[3]).trim(), line };
    }
    jcal[1].push(property);
    const lines = frame.propertyLines.get(name);
    if (lines) lines.push(line);
    else frame.propertyLines.set(name, [line]);
  }

  #noteZone(frame: Frame, property: JCalProperty, line: number, field: string): void {
    const tzid = property[1]['tzid'];
    const isUtc = property.slice(3).every((value) => String(value).endsWith('Z'));
    if (isUtc || property[2] !== 'date-time') return;
    const location = { file: this.#file, line, field };
    if (typeof tzid === 'string') {
      if (!this.#zoneReferences.has(tzid)) this.#zoneReferences.set(tzid, location);
      if (!frame.zones.has(tzid)) frame.zones.set(tzid, location);
    } else {
      this.#firstFloatingTime ??= location;
    }
  }

  #begin(component: string, line: number): void {
    const parent = this.#stack.at(-1);
    if (parent === undefined) {
      if (component !== 'VCALENDAR') this.#fail({ line }, NOT_ICALENDAR);
      this.#rootJcal = ['vcalendar', [], []];
      this.#stack.push(newFrame(component, line, this.#rootJcal));
      return;
    }
    const kept = keepsChild(parent, component);
    if (parent.name === 'VCALENDAR' && !kept) this.#otherComponents += 1;
    const jcal: JCalComponent | null = kept ? [component.toLowerCase(), [], []] : null;
    this.#stack.push(newFrame(component, line, jcal));
  }

  #end(component: string, line: number): void {
    const frame = this.#stack.pop();
    if (frame === undefined) this.#fail({ line }, `END:${component} without a matching BEGIN`);
    if (frame.name !== component) {
      this.#fail(
        { line },
        `END:${component} does not close BEGIN:${frame.name} on line ${frame.line}`,
      );
    }
    const parent = this.#stack.at(-1);
    if (parent === undefined) {
      this.#finished = true;
      return;
    }
    if (frame.jcal === null) return;
    const read = {
      jcal: frame.jcal,
      line: frame.line,
      propertyLines: frame.propertyLines,
      zones: frame.zones,
    };
    if (frame.name === 'VEVENT') {
      this.#checkEvent(frame);
      // Events are kept apart from the root: only VTIMEZONEs need to be found through it.
      if (frame.problems.length > 0)
        this.#rejectedEvents.push({ line: frame.line, problems: frame.problems });
      else this.#events.push(read);
      return;
    }
    if (frame.name === 'VTIMEZONE') {
      this.#checkTimezone(frame);
      const tzid = findValue(frame.jcal, 'tzid');
      const problem = frame.problems[0];
      // A broken zone is left out: the events that use it are rejected (time.ts), no others.
      if (problem !== undefined) {
        if (typeof tzid === 'string' && !this.#zoneProblems.has(tzid))
          this.#zoneProblems.set(tzid, problem);
        return;
      }
      this.#timezones.push(read);
    }
    parent.jcal?.[2].push(frame.jcal);
  }

  finish(): void {
    if (this.#rootJcal === null) this.#fail({ line: 1 }, NOT_ICALENDAR);
    for (const open of this.#stack.reverse()) {
      this.#fileProblem({
        location: { file: this.#file, line: open.line },
        message: `BEGIN:${open.name} is never closed (END:${open.name} missing)`,
      });
    }
  }

  /** Called while the event is still on the stack, so its problems are its own. */
  #checkEvent(event: Frame): void {
    const problem = (location: Omit<Location, 'file'>, message: string): void => {
      event.problems.push({ location: { file: this.#file, ...location }, message });
    };
    if (!event.propertyLines.has('DTSTART') && event.problems.length === 0)
      problem({ line: event.line }, 'VEVENT without DTSTART');
    for (const single of ['UID', 'DTSTART', 'DTEND', 'DURATION', 'RECURRENCE-ID']) {
      const second = event.propertyLines.get(single)?.[1];
      if (second !== undefined) problem({ line: second, field: single }, 'appears twice');
    }
  }

  #checkTimezone(timezone: Frame): void {
    if (timezone.jcal === null) return;
    const problem = (message: string): void => {
      timezone.problems.push({ location: { file: this.#file, line: timezone.line }, message });
    };
    if (typeof findValue(timezone.jcal, 'tzid') !== 'string') {
      problem('VTIMEZONE without TZID');
      return;
    }
    const rules = timezone.jcal[2];
    const complete = (rule: JCalComponent): boolean =>
      ['dtstart', 'tzoffsetfrom', 'tzoffsetto'].every(
        (name) => findValue(rule, name) !== undefined,
      );
    if (rules.length === 0 || !rules.every(complete)) {
      problem(
        'incomplete VTIMEZONE: it needs STANDARD or DAYLIGHT parts, each with DTSTART, TZOFFSETFROM and TZOFFSETTO',
      );
    }
  }

  result(): ParsedCalendar {
    if (this.#problems.length > 0 || this.#rootJcal === null) {
      throw problemsError(this.#file, this.#problems);
    }
    const root = new ICAL.Component(this.#rootJcal);
    return {
      root,
      calendarTimezone: this.#calendarTimezone,
      events: this.#events.map((event) => parsedEvent(event, root)),
      rejectedEvents: this.#rejectedEvents,
      zoneProblems: this.#zoneProblems,
      embeddedZones: new Map(
        this.#timezones.map(({ jcal, line }) => [String(findValue(jcal, 'tzid')), line]),
      ),
      zoneReferences: this.#zoneReferences,
      firstFloatingTime: this.#firstFloatingTime,
      otherComponents: this.#otherComponents,
      warnings: this.#warnings,
    };
  }
}

function problemsError(file: string, problems: readonly Problem[]): InputError {
  const count = problems.length;
  const shown =
    count >= MAX_PROBLEMS
      ? `the first ${count} problems (reading stopped there)`
      : `${count} problem${count === 1 ? '' : 's'}`;
  return new InputError(`${file}: ${shown}; nothing was imported`, problems);
}

function newFrame(name: string, line: number, jcal: JCalComponent | null): Frame {
  return { name, line, jcal, propertyLines: new Map(), problems: [], zones: new Map() };
}

function keepsChild(parent: Frame, child: string): boolean {
  if (parent.jcal === null) return false;
  if (parent.name === 'VCALENDAR') return child === 'VEVENT' || child === 'VTIMEZONE';
  if (parent.name === 'VTIMEZONE') return child === 'STANDARD' || child === 'DAYLIGHT';
  return false;
}

function keepsProperty(component: string, property: string): boolean {
  switch (component) {
    case 'VEVENT':
      return EVENT_PROPERTIES.has(property);
    case 'VTIMEZONE':
      return TIMEZONE_PROPERTIES.has(property);
    case 'STANDARD':
    case 'DAYLIGHT':
      return TIMEZONE_RULE_PROPERTIES.has(property);
    case 'VCALENDAR':
      return CALENDAR_PROPERTIES.has(property);
    default:
      return false;
  }
}

function toJCalProperty(value: unknown): JCalProperty {
  if (
    !Array.isArray(value) ||
    typeof value[0] !== 'string' ||
    typeof value[1] !== 'object' ||
    value[1] === null ||
    typeof value[2] !== 'string'
  ) {
    throw new Error('unexpected property shape');
  }
  return value as JCalProperty;
}

/**
 * Checks a property's value as ical.js decoded it, and repairs the one common slip we accept: a
 * date written without `VALUE=DATE`. ical.js decodes lazily and silently rolls impossible dates
 * over (month 13 becomes January), so malformed times must be caught here.
 */
function checkValue(name: string, property: JCalProperty): string | null {
  const values = property.slice(3);
  if (TIME_PROPERTIES.has(name)) {
    if (property[2] === 'period') {
      // RDATE;VALUE=PERIOD: each instance starts at the period's start; the series' length applies.
      const starts = values.map((value): unknown => (Array.isArray(value) ? value[0] : value));
      property.splice(3, values.length, ...starts);
      property[2] = 'date-time';
      return checkValue(name, property);
    }
    if (values.length === 0) return 'a date or date-time is required';
    if (values.every((value) => typeof value === 'string' && UNMARKED_DATE.test(value))) {
      property[2] = 'date';
      property.splice(3, values.length, ...values.map((value) => String(value).slice(0, 10)));
      return null;
    }
    const valid = values.every((value) =>
      property[2] === 'date' ? isDate(value) : property[2] === 'date-time' && isDateTime(value),
    );
    return valid ? null : `not a valid ${property[2] === 'date' ? 'date' : 'date-time'}`;
  }
  switch (name) {
    case 'DURATION':
      return typeof values[0] === 'string' && DURATION.test(values[0])
        ? eventLengthProblem(durationDays(values[0]))
        : 'not a valid duration (expected e.g. PT1H30M or P1D)';
    case 'TZOFFSETFROM':
    case 'TZOFFSETTO': {
      const match = typeof values[0] === 'string' ? UTC_OFFSET.exec(values[0]) : null;
      if (match === null) return 'not a valid UTC offset (expected e.g. +0100)';
      // ical.js wraps an offset past a day around (+23:00 becomes -04:00) without a word.
      const minutes = Number(match[2]) * 60 + Number(match[3]);
      return minutes > (match[1] === '-' ? 12 * 60 : 14 * 60) || Number(match[3]) >= 60
        ? 'not a real UTC offset: zones lie between -12:00 and +14:00'
        : null;
    }
    case 'RRULE': {
      const rule = values[0];
      if (typeof rule !== 'object' || rule === null || !('freq' in rule))
        return 'not a valid recurrence rule: FREQ is required';
      const until = 'until' in rule ? rule.until : undefined;
      if (until !== undefined && !isDate(until) && !isDateTime(until))
        return 'not a valid recurrence rule: UNTIL is not a date or date-time';
      return ruleIntervalProblem(rule.freq, 'interval' in rule ? rule.interval : undefined);
    }
    default:
      return null;
  }
}

/**
 * Time zone rules must recur yearly, as every real one does: ical.js expands them with no limit,
 * and only its yearly iteration gives up on a rule no date satisfies.
 */
function checkZoneRule(component: string, name: string, property: JCalProperty): string | null {
  if (name !== 'RRULE' || (component !== 'STANDARD' && component !== 'DAYLIGHT')) return null;
  const rule = property[3];
  const yearly =
    typeof rule === 'object' && rule !== null && 'freq' in rule && rule.freq === 'YEARLY';
  return yearly ? null : 'time zone rules must recur yearly (FREQ=YEARLY)';
}

function isDate(value: unknown): boolean {
  return typeof value === 'string' && DATE.test(value) && dayNumber(value) !== null;
}

function isDateTime(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = DATE_TIME.exec(value);
  return (
    match !== null &&
    dayNumber(match[1] ?? '') !== null &&
    Number(match[2]) < 24 &&
    Number(match[3]) < 60 &&
    Number(match[4]) <= 60
  );
}

function findValue(component: JCalComponent, name: string): unknown {
  return component[1].find((property) => property[0] === name)?.[3];
}

function parsedEvent(event: ComponentRead, root: ICAL.Component): ParsedEvent {
  return {
    component: new ICAL.Component(event.jcal, root),
    line: event.line,
    zones: event.zones,
    lineOf: (name, index = 0) => event.propertyLines.get(name.toUpperCase())?.[index] ?? event.line,
  };
}
