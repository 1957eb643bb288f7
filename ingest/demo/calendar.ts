/**
 * Calendar metadata for a generated organisation, one week at a time, through the same
 * `CalendarEvent` shape the importers write. Meetings are shared the way real calendars share
 * them: each internal attendee's calendar holds its own copy, with the same attendee list and every
 * attendee's own response; rooms and customers are attendees without a calendar here.
 *
 * Local times are set in the organiser's zone and converted with the ICU-exact clock, so a
 * 15:00 Berlin stand-up is 09:00 in New York and 21:00 in Singapore, and follows each zone's DST.
 */
import { formatDayNumber } from '../../warehouse/dates.ts';
import type { Pseudonymizer } from '../../warehouse/identity.ts';
import type {
  CalendarAttendee,
  CalendarEvent,
  CalendarWindow,
  EventStatus,
  EventType,
  ResponseStatus,
  Transparency,
} from '../../warehouse/raw/calendar.ts';
import type { IsoWeekday } from '../../warehouse/schedule.ts';
import { MINUTE_US } from './local-time.ts';
import { DEMO_DOMAIN, ROOM_DOMAIN } from './names.ts';
import {
  isWorking,
  membersAt,
  mondayOf,
  STYLES,
  teamAt,
  weekdayOf,
  type Organisation,
  type Group,
  type Person,
  type Team,
  type TeamStyle,
} from './organisation.ts';
import type { Random } from './random.ts';

/** Where generated events go: a `CalendarBatchWriter`, or a test's list. */
export interface CalendarSink {
  addEvent(event: CalendarEvent): void;
  coverWindow(window: CalendarWindow): void;
}

interface Series {
  readonly eventKey: string;
  readonly organiser: Person;
  /** Everyone invited in a given week, organiser included; empty for one's own blocks. */
  readonly attendees: (week: number) => readonly Person[];
  /** Weekdays in the organiser's zone. */
  readonly days: readonly IsoWeekday[];
  readonly atMinutes: number;
  readonly minutes: number;
  readonly everyWeeks: number;
  readonly fromWeek: number;
  /** Exclusive. */
  readonly toWeek: number;
  readonly eventType: EventType;
  readonly room: string | null;
}

interface AllDaySeries {
  readonly eventKey: string;
  readonly owner: Person;
  readonly days: readonly IsoWeekday[];
  readonly eventType: EventType;
}

export function regionOf(zone: string): 'Americas' | 'Europe' | 'Asia-Pacific' {
  if (zone.startsWith('America/')) return 'Americas';
  if (zone.startsWith('Europe/') || zone.startsWith('Atlantic/')) return 'Europe';
  return 'Asia-Pacific';
}

/**
 * People in an ad-hoc meeting (organiser included) on average, after declines: turns the meetings a
 * person attends into the meetings each person organises. Calibrated on the demo.
 */
const MEAN_AD_HOC_SIZE = 3.4;

/** A series instance's key: its original start as a UTC instant (`Date` only formats it, in UTC). */
export function recurrenceKeyOf(startMicros: number): string {
  return `${new Date(startMicros / 1000).toISOString().slice(0, 19)}Z`;
}

export class CalendarGenerator {
  readonly #organisation: Organisation;
  readonly #pseudonymizer: Pseudonymizer;
  readonly #random: Random;
  readonly #meetingFactor: number;
  readonly #series: Series[] = [];
  readonly #allDaySeries: AllDaySeries[] = [];
  readonly #rooms = new Map<string, string[]>();
  readonly #customers: string[] = [];
  readonly #birthdays = new Map<Person, number>();
  /** Accepted meeting intervals per person for the week being generated: [start, end, …]. */
  #busy: number[][] = [];
  #eventCounter = 0;

  constructor(
    organisation: Organisation,
    pseudonymizer: Pseudonymizer,
    random: Random,
    customers: readonly string[],
    meetingFactor: number,
  ) {
    this.#organisation = organisation;
    this.#pseudonymizer = pseudonymizer;
    this.#random = random;
    this.#meetingFactor = meetingFactor;
    this.#customers = customers.map((email) => pseudonymizer.person(email));
    this.#planSeries();
    for (const person of organisation.people) this.#birthdays.set(person, random.int(0, 364));
  }

  /** Declares each person's calendar complete for weeks [fromWeek, toWeek). */
  coverWeeks(sink: CalendarSink, fromWeek: number, toWeek: number): void {
    const organisation = this.#organisation;
    for (const person of organisation.people) {
      const windowStart = Math.max(
        person.periodStart,
        organisation.clock.micros(person.zone, mondayOf(organisation, fromWeek), 0),
      );
      const windowEnd = Math.min(
        person.periodEnd,
        organisation.clock.micros(person.zone, mondayOf(organisation, toWeek), 0),
      );
      if (windowEnd <= windowStart) continue;
      sink.coverWindow({
        ownerId: person.personId,
        start: BigInt(windowStart),
        end: BigInt(windowEnd),
        timezone: person.calendarZone,
      });
    }
  }

  generateWeek(sink: CalendarSink, week: number): void {
    const organisation = this.#organisation;
    this.#busy = organisation.people.map(() => []);
    for (const person of organisation.people) {
      if (person.joinWeek > week) continue;
      this.#absences(sink, person, week);
      this.#ownAllDayEvents(sink, person, week);
    }
    for (const series of this.#series) this.#seriesWeek(sink, series, week);
    for (const series of this.#allDaySeries) this.#allDaySeriesWeek(sink, series, week);
    for (const team of organisation.teams) this.#teamSpecials(sink, team, week);
    for (const person of organisation.people) {
      if (person.joinWeek > week) continue;
      const style = styleOf(person, organisation, week);
      const count = this.#random.poisson(
        (style.adHocPerPersonWeek * this.#meetingFactor) / MEAN_AD_HOC_SIZE,
      );
      for (let index = 0; index < count; index++) this.#adHocMeeting(sink, person, week, style);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Recurring series

  #newKey(): string {
    this.#eventCounter += 1;
    return this.#pseudonymizer.calendarEvent(
      `demo-${this.#organisation.seed}-${this.#eventCounter}@${DEMO_DOMAIN}`,
    );
  }

  #room(zone: string): string {
    let rooms = this.#rooms.get(zone);
    if (!rooms) {
      const city = (zone.split('/').at(-1) ?? zone).toLowerCase().replaceAll('_', '-');
      rooms = [1, 2, 3, 4].map((number) =>
        this.#pseudonymizer.person(`${city}-room-${number}@${ROOM_DOMAIN}`),
      );
      this.#rooms.set(zone, rooms);
    }
    return this.#random.pick(rooms);
  }

  #addSeries(
    series: Omit<Series, 'eventKey' | 'everyWeeks' | 'fromWeek' | 'toWeek' | 'eventType' | 'room'> &
      Partial<Series>,
  ): void {
    this.#series.push({
      eventKey: this.#newKey(),
      everyWeeks: 1,
      fromWeek: 0,
      toWeek: this.#organisation.weeks,
      eventType: 'default',
      room: null,
      ...series,
    });
  }

  /**
   * A start time in the organiser's day, as near after `preferred` as possible, at which the other
   * person is at work too; `preferred` itself when their hours never overlap.
   */
  #slotFor(
    organiser: Person,
    other: Person,
    day: IsoWeekday,
    preferred: number,
    minutes: number,
  ): number {
    const organisation = this.#organisation;
    const week = Math.min(Math.max(organiser.joinWeek, other.joinWeek), organisation.weeks - 1);
    const date = mondayOf(organisation, week) + day - 1;
    const { start, end } = organiser.schedule;
    const latest = (end > start ? end : end + 1440) - minutes;
    const candidates: number[] = [];
    for (let time = start; time <= latest; time += 30) candidates.push(time);
    const first = candidates.findIndex((time) => time >= preferred);
    const ordered =
      first < 0 ? candidates : [...candidates.slice(first), ...candidates.slice(0, first)];
    for (const candidate of ordered) {
      const instant = organisation.clock.micros(organiser.zone, date, candidate);
      if (isWorking(other, instant) && isWorking(other, instant + minutes * MINUTE_US - 1))
        return candidate;
    }
    return preferred;
  }

  #planSeries(): void {
    for (const team of this.#organisation.teams) {
      this.#planTeamSeries(team);
      this.#planOwnBlocks(team);
    }
    for (const group of this.#organisation.groups) this.#planGroupSeries(group);
    this.#planCompanySeries();
  }

  /** The team's stand-up, sync, planning, reviews and the lead's one-to-ones. */
  #planTeamSeries(team: Team): void {
    const organisation = this.#organisation;
    const { weeks, changeWeek } = organisation;
    const style = team.style;
    const lead = team.lead;
    const everyone = (week: number): readonly Person[] => membersAt(team, organisation, week);
    const leadDays = lead.schedule.days;
    const workdays = (days: readonly IsoWeekday[]): IsoWeekday[] =>
      days.filter((day) => leadDays.includes(day));
    const noMeetingDay = style.story === 'noMeetingDay';
    const room = this.#room(lead.zone);
    if (style.standup) {
      const { days, atMinutes, minutes } = style.standup;
      if (noMeetingDay) {
        // The team ends the old series and starts one without Wednesday.
        this.#addSeries({
          organiser: lead,
          attendees: everyone,
          days: workdays(days),
          atMinutes,
          minutes,
          toWeek: changeWeek,
        });
        this.#addSeries({
          organiser: lead,
          attendees: everyone,
          days: workdays(days.filter((day) => day !== 3)),
          atMinutes,
          minutes,
          fromWeek: changeWeek,
        });
      } else {
        this.#addSeries({
          organiser: lead,
          attendees: everyone,
          days: workdays(days),
          atMinutes,
          minutes,
        });
      }
    }
    const sync = style.sync;
    if (noMeetingDay && sync.day === 3) {
      this.#addSeries({
        organiser: lead,
        attendees: everyone,
        days: [3],
        atMinutes: sync.atMinutes,
        minutes: sync.minutes,
        room,
        toWeek: changeWeek,
      });
      this.#addSeries({
        organiser: lead,
        attendees: everyone,
        days: [4],
        atMinutes: sync.atMinutes,
        minutes: sync.minutes,
        room,
        fromWeek: changeWeek,
      });
    } else {
      this.#addSeries({
        organiser: lead,
        attendees: everyone,
        days: [sync.day],
        atMinutes: sync.atMinutes,
        minutes: sync.minutes,
        room,
      });
    }
    if (style.planning) {
      const { day, atMinutes, minutes, everyWeeks } = style.planning;
      this.#addSeries({
        organiser: lead,
        attendees: everyone,
        days: [day],
        atMinutes,
        minutes,
        everyWeeks,
        room,
      });
    }
    if (style.reviews) {
      const reviewers = team.partners.map((partner) => partner.lead);
      this.#addSeries({
        organiser: lead,
        attendees: (week) => [...everyone(week), ...reviewers],
        days: [2, 4],
        atMinutes: 11 * 60,
        minutes: 60,
        room,
      });
    }
    if (style.regionalSync) {
      // Europe and Asia meet in the European morning, when the Americas are asleep.
      this.#addSeries({
        organiser: lead,
        attendees: (week) =>
          everyone(week).filter(
            (person) => person === lead || regionOf(person.zone) !== 'Americas',
          ),
        days: [4],
        atMinutes: 9 * 60,
        minutes: 45,
      });
    }
    // One-to-ones with each report while they are in the team.
    const reports = [...new Set([...team.membersBefore, ...team.membersAfter])].filter(
      (person) => person !== lead,
    );
    reports.forEach((report, position) => {
      const inBefore = team.membersBefore.includes(report);
      const inAfter = team.membersAfter.includes(report);
      const day = leadDays[position % leadDays.length] ?? 1;
      const preferred =
        lead.schedule.start + 60 + 30 * (Math.floor(position / leadDays.length) % 10);
      this.#addSeries({
        organiser: lead,
        attendees: () => [lead, report],
        days: [day],
        atMinutes: this.#slotFor(lead, report, day, preferred, style.oneOnOneMinutes),
        minutes: style.oneOnOneMinutes,
        everyWeeks: style.oneOnOneEveryWeeks,
        fromWeek: inBefore ? 0 : Math.max(changeWeek, report.joinWeek),
        toWeek: inAfter ? weeks : changeWeek,
      });
    });
  }

  /** Each member's focus-time blocks and working locations: their own, never meetings. */
  #planOwnBlocks(team: Team): void {
    const { changeWeek } = this.#organisation;
    const random = this.#random;
    const style = team.style;
    const noMeetingDay = style.story === 'noMeetingDay';
    for (const person of new Set([...team.membersBefore, ...team.membersAfter])) {
      if (random.chance(style.focusSeriesShare)) {
        const { start, end } = person.schedule;
        const length = end > start ? end - start : end + 1440 - start;
        this.#addSeries({
          organiser: person,
          attendees: () => [],
          days: random.sample(person.schedule.days, 2).sort(),
          atMinutes: start + Math.floor(length / 2),
          minutes: Math.min(180, Math.floor(length / 2)),
          eventType: 'focusTime',
          fromWeek: person.joinWeek,
        });
      }
      if (noMeetingDay && person.schedule.days.includes(3)) {
        const { start, end } = person.schedule;
        this.#addSeries({
          organiser: person,
          attendees: () => [],
          days: [3],
          atMinutes: start,
          minutes: end > start ? end - start : end + 1440 - start,
          eventType: 'focusTime',
          fromWeek: Math.max(changeWeek, person.joinWeek),
        });
      }
      if (random.chance(0.15)) {
        this.#allDaySeries.push({
          eventKey: this.#newKey(),
          owner: person,
          days: random.sample(person.schedule.days, 2).sort(),
          eventType: 'workingLocation',
        });
      }
    }
  }

  /** The head's staff meeting with the leads, the group all-hands and the head's one-to-ones. */
  #planGroupSeries(group: Group): void {
    const organisation = this.#organisation;
    const head = group.head;
    const leads = group.teams.map((team) => team.lead);
    const members = (week: number): Person[] => [
      head,
      ...group.teams.flatMap((team) => membersAt(team, organisation, week)),
    ];
    this.#addSeries({
      organiser: head,
      attendees: () => [head, ...leads],
      days: [1],
      atMinutes: 10 * 60,
      minutes: 45,
    });
    const size = members(0).length;
    this.#addSeries({
      organiser: head,
      attendees: members,
      days: [4],
      atMinutes: 16 * 60,
      minutes: 45,
      everyWeeks: size > 200 ? 4 : 2,
      room: this.#room(head.zone),
    });
    leads.forEach((lead, position) => {
      const day = ((position % 5) + 1) as IsoWeekday;
      this.#addSeries({
        organiser: head,
        attendees: () => [head, lead],
        days: [day],
        atMinutes: this.#slotFor(head, lead, day, 13 * 60 + 30 * Math.floor(position / 5), 30),
        minutes: 30,
        everyWeeks: 2,
      });
    });
  }

  /** The executive meeting, the CEO's one-to-ones and (up to 400 people) the company all-hands. */
  #planCompanySeries(): void {
    const organisation = this.#organisation;
    const ceo = organisation.ceo;
    const heads = organisation.groups.map((group) => group.head).filter((head) => head !== ceo);
    this.#addSeries({
      organiser: ceo,
      attendees: () => [ceo, ...heads],
      days: [1],
      atMinutes: 11 * 60 + 30,
      minutes: 60,
      room: this.#room(ceo.zone),
    });
    heads.forEach((head, position) => {
      const day = ((position % 5) + 1) as IsoWeekday;
      this.#addSeries({
        organiser: ceo,
        attendees: () => [ceo, head],
        days: [day],
        atMinutes: this.#slotFor(ceo, head, day, 10 * 60, 30),
        minutes: 30,
      });
    });
    if (organisation.people.length <= 400) {
      const everybody = (week: number): Person[] =>
        organisation.people.filter((person) => person.joinWeek <= week);
      this.#addSeries({
        organiser: ceo,
        attendees: everybody,
        days: [4],
        atMinutes: 11 * 60,
        minutes: 60,
        everyWeeks: 4,
        room: this.#room(ceo.zone),
      });
    }
  }

  #seriesWeek(sink: CalendarSink, series: Series, week: number): void {
    if (week < series.fromWeek || week >= series.toWeek) return;
    if ((week - series.fromWeek) % series.everyWeeks !== 0) return;
    const organisation = this.#organisation;
    const random = this.#random;
    const organiser = series.organiser;
    const invited = series.attendees(week);
    for (const day of series.days) {
      if (!organiser.schedule.days.includes(day)) continue;
      const date = mondayOf(organisation, week) + day - 1;
      const original = organisation.clock.micros(organiser.zone, date, series.atMinutes);
      let start = original;
      let status: EventStatus = 'confirmed';
      if (series.eventType === 'default' && invited.length > 0) {
        // Exceptions: an instance cancelled, or moved (keeping its original start as its key).
        if (random.chance(0.03)) status = 'cancelled';
        else if (random.chance(0.04)) start += random.pick([-60, -30, 30, 60, 90]) * MINUTE_US;
      }
      const end = start + series.minutes * MINUTE_US;
      this.#emit(sink, {
        eventKey: series.eventKey,
        recurrenceKey: recurrenceKeyOf(original),
        organiser,
        invited,
        start,
        end,
        status,
        transparency: 'opaque',
        eventType: series.eventType,
        isRecurring: true,
        room: series.room,
        customers: [],
        week,
      });
    }
  }

  #allDaySeriesWeek(sink: CalendarSink, series: AllDaySeries, week: number): void {
    const owner = series.owner;
    if (week < owner.joinWeek) return;
    for (const day of series.days) {
      const date = mondayOf(this.#organisation, week) + day - 1;
      if (owner.oooDays.has(date)) continue;
      this.#allDay(
        sink,
        owner,
        series.eventKey,
        formatDayNumber(date),
        date,
        date + 1,
        series.eventType,
        'transparent',
        true,
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // One person's own events

  #allDay(
    sink: CalendarSink,
    owner: Person,
    eventKey: string,
    recurrenceKey: string,
    startDay: number,
    endDay: number,
    eventType: EventType,
    transparency: Transparency,
    isRecurring: boolean,
    attendees: readonly CalendarAttendee[] = [],
    organizerId: string = owner.personId,
  ): void {
    sink.addEvent({
      ownerId: owner.personId,
      eventKey,
      recurrenceKey,
      status: 'confirmed',
      transparency,
      eventType,
      isRecurring,
      organizerId,
      attendees,
      isAllDay: true,
      startDate: formatDayNumber(startDay),
      endDate: formatDayNumber(endDay),
    });
  }

  #absences(sink: CalendarSink, person: Person, week: number): void {
    const organisation = this.#organisation;
    const monday = mondayOf(organisation, week);
    for (const vacation of person.vacations) {
      if (vacation.start < monday || vacation.start >= monday + 7) continue;
      const end = Math.min(vacation.end, organisation.lastMonday + 7);
      this.#allDay(
        sink,
        person,
        this.#newKey(),
        '',
        vacation.start,
        end,
        'outOfOffice',
        'opaque',
        false,
      );
    }
    for (const absence of person.partDays) {
      if (absence.day < monday || absence.day >= monday + 7) continue;
      const start = organisation.clock.micros(person.zone, absence.day, absence.startMinutes);
      const end = organisation.clock.micros(person.zone, absence.day, absence.endMinutes);
      sink.addEvent({
        ownerId: person.personId,
        eventKey: this.#newKey(),
        recurrenceKey: '',
        status: 'confirmed',
        transparency: 'opaque',
        eventType: 'outOfOffice',
        isRecurring: false,
        organizerId: person.personId,
        attendees: [],
        isAllDay: false,
        startAt: BigInt(start),
        endAt: BigInt(end),
      });
    }
  }

  #ownAllDayEvents(sink: CalendarSink, person: Person, week: number): void {
    const organisation = this.#organisation;
    const monday = mondayOf(organisation, week);
    const birthday = this.#birthdays.get(person) ?? 0;
    // A yearly all-day series; each year's instance is keyed by its date.
    const yearStart = monday - ((monday - 10957) % 365);
    for (let day = monday; day < monday + 7; day++) {
      if ((day - yearStart + 365) % 365 !== birthday) continue;
      const key = this.#pseudonymizer.calendarEvent(`demo-birthday-${person.index}@${DEMO_DOMAIN}`);
      this.#allDay(
        sink,
        person,
        key,
        formatDayNumber(day),
        day,
        day + 1,
        'birthday',
        'transparent',
        true,
      );
    }
  }

  /** Once-off team events: an all-day offsite, a 9-hour hackathon, a zero-length deadline marker. */
  #teamSpecials(sink: CalendarSink, team: Team, week: number): void {
    const organisation = this.#organisation;
    const special = Math.min(organisation.weeks - 1, organisation.changeWeek + 2);
    if (week !== special) return;
    const members = membersAt(team, organisation, week);
    const lead = team.lead;
    const thursday = mondayOf(organisation, week) + 3;
    const kind = team.index % 4;
    if (kind === 1) {
      const eventKey = this.#newKey();
      const morning = organisation.clock.micros(lead.zone, thursday, 9 * 60);
      const attendees = this.#attendeeList(
        members,
        lead,
        morning,
        morning + 8 * 60 * MINUTE_US,
        week,
        null,
        [],
      );
      for (const member of members) {
        this.#allDay(
          sink,
          member,
          eventKey,
          '',
          thursday,
          thursday + 1,
          'default',
          'opaque',
          false,
          attendees,
          lead.personId,
        );
      }
    } else if (kind === 2 || kind === 3) {
      const start = organisation.clock.micros(
        lead.zone,
        thursday + 1,
        kind === 2 ? 9 * 60 : 12 * 60,
      );
      const minutes = kind === 2 ? 9 * 60 : 0;
      this.#emit(sink, {
        eventKey: this.#newKey(),
        recurrenceKey: '',
        organiser: lead,
        invited: members,
        start,
        end: start + minutes * MINUTE_US,
        status: 'confirmed',
        transparency: 'opaque',
        eventType: 'default',
        isRecurring: false,
        room: null,
        customers: [],
        week,
      });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Ad-hoc meetings

  #adHocMeeting(sink: CalendarSink, organiser: Person, week: number, style: TeamStyle): void {
    const organisation = this.#organisation;
    const random = this.#random;
    const team = teamAt(organiser, organisation, week);
    const monday = mondayOf(organisation, week);
    const noMeetingDay = team?.style.story === 'noMeetingDay' && week >= organisation.changeWeek;
    // Once the team keeps Wednesdays free, what would have been a Wednesday meeting (a fifth of
    // them) mostly becomes a thread instead of moving to another day.
    if (noMeetingDay && random.chance(0.16)) return;
    const days = organiser.schedule.days.filter(
      (day) => !organiser.oooDays.has(monday + day - 1) && !(noMeetingDay && day === 3),
    );
    if (days.length === 0) return;

    const invited = this.#adHocInvitees(organiser, team, week, style);
    const customers = random.chance(style.externalShare)
      ? random.sample(this.#customers, random.int(1, 3))
      : [];
    if (invited.length < 2 && customers.length === 0) return;
    const minutes = random.pick(style.adHocMinutes);
    const { start: dayStart, end: dayEnd } = organiser.schedule;
    const latest = (dayEnd > dayStart ? dayEnd : dayEnd + 1440) - minutes;
    const slots = Math.max(1, Math.floor((latest - dayStart) / 15) + 1);
    let start = 0;
    for (let attempt = 0; attempt < 4; attempt++) {
      const day = random.pick(days);
      let slot = random.int(0, slots - 1);
      if (style.story === 'asyncFirst') {
        // Async-first teams keep meetings at the edges of the day to protect long focus blocks.
        slot = random.chance(0.5)
          ? random.int(0, Math.min(slots - 1, 4))
          : Math.max(0, slots - 1 - random.int(0, 4));
      }
      start = organisation.clock.micros(organiser.zone, monday + day - 1, dayStart + slot * 15);
      const end = start + minutes * MINUTE_US;
      if (invited.every((person) => this.#isFree(person, start, end))) break;
    }
    this.#emit(sink, {
      eventKey: this.#newKey(),
      recurrenceKey: '',
      organiser,
      invited,
      start,
      end: start + minutes * MINUTE_US,
      status: random.chance(0.01) ? 'tentative' : 'confirmed',
      transparency: random.chance(0.02) ? 'transparent' : 'opaque',
      eventType: 'default',
      isRecurring: false,
      room: invited.length >= 3 && random.chance(0.4) ? this.#room(organiser.zone) : null,
      customers,
      week,
    });
  }

  #adHocInvitees(organiser: Person, team: Team | null, week: number, style: TeamStyle): Person[] {
    const organisation = this.#organisation;
    const random = this.#random;
    const size = random.weighted([
      [2, 40],
      [3, 20],
      [4, 15],
      [5, 10],
      [6, 8],
      [8, 5],
      [10, 2],
    ] as const);
    let pool: readonly Person[];
    if (team) {
      pool = membersAt(team, organisation, week);
      if (style.story === 'global' && random.chance(0.7)) {
        const region = regionOf(organiser.zone);
        pool = pool.filter((person) => regionOf(person.zone) === region);
      }
    } else {
      // Executives meet their leads and each other.
      pool = [
        ...organisation.groups.map((group) => group.head),
        ...(organiser.heads?.teams.map((other) => other.lead) ?? []),
      ];
    }
    const others = random.sample(
      pool.filter((person) => person !== organiser && person.joinWeek <= week),
      size - 1,
    );
    if (team && random.chance(0.2)) {
      const partner = random.pick(team.partners.length > 0 ? team.partners : [team]);
      for (const person of random.sample(
        membersAt(partner, organisation, week),
        random.int(1, 2),
      )) {
        if (person !== organiser && person.joinWeek <= week && !others.includes(person))
          others.push(person);
      }
    }
    return [organiser, ...others];
  }

  #isFree(person: Person, start: number, end: number): boolean {
    const busy = this.#busy[person.index] ?? [];
    for (let index = 0; index < busy.length; index += 2) {
      if ((busy[index] ?? 0) < end && start < (busy[index + 1] ?? 0)) return false;
    }
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // Writing one event to every internal attendee's calendar

  #response(
    person: Person,
    organiser: Person,
    start: number,
    end: number,
    week: number,
    large: boolean,
  ): ResponseStatus {
    const organisation = this.#organisation;
    const random = this.#random;
    const working = isWorking(person, start);
    const localDay = working ? localDayOf(person, start) : null;
    if (localDay !== null && person.oooDays.has(localDay)) return 'declined';
    if (person === organiser) return 'accepted';
    const team = teamAt(person, organisation, week);
    if (
      team?.style.story === 'noMeetingDay' &&
      week >= organisation.changeWeek &&
      localDay !== null &&
      weekdayOf(localDay) === 3 &&
      random.chance(0.9)
    )
      return 'declined';
    const style = team?.style ?? STYLES.ordinary;
    const acceptance =
      working && isWorking(person, end - 1) ? style.acceptance : style.afterHoursAcceptance;
    if (random.chance(acceptance)) return 'accepted';
    return large
      ? random.weighted([
          ['needsAction', 45],
          ['tentative', 30],
          ['declined', 25],
        ] as const)
      : random.weighted([
          ['declined', 50],
          ['tentative', 30],
          ['needsAction', 20],
        ] as const);
  }

  #attendeeList(
    invited: readonly Person[],
    organiser: Person,
    start: number,
    end: number,
    week: number,
    room: string | null,
    customers: readonly string[],
  ): CalendarAttendee[] {
    const large = invited.length + customers.length >= 9;
    const attendees: CalendarAttendee[] = invited.map((person) => ({
      attendeeId: person.personId,
      kind: 'person',
      responseStatus: this.#response(person, organiser, start, end, week, large),
    }));
    for (const customer of customers) {
      attendees.push({
        attendeeId: customer,
        kind: 'person',
        responseStatus: this.#random.weighted([
          ['accepted', 80],
          ['needsAction', 15],
          ['tentative', 5],
        ] as const),
      });
    }
    if (room !== null)
      attendees.push({ attendeeId: room, kind: 'room', responseStatus: 'accepted' });
    return attendees;
  }

  #emit(
    sink: CalendarSink,
    event: {
      eventKey: string;
      recurrenceKey: string;
      organiser: Person;
      invited: readonly Person[];
      start: number;
      end: number;
      status: EventStatus;
      transparency: Transparency;
      eventType: EventType;
      isRecurring: boolean;
      room: string | null;
      customers: readonly string[];
      week: number;
    },
  ): void {
    const { organiser, invited, start, end } = event;
    const attendees = this.#attendeeList(
      invited,
      organiser,
      start,
      end,
      event.week,
      event.room,
      event.customers,
    );
    const owners = invited.length === 0 ? [organiser] : invited;
    const base = {
      eventKey: event.eventKey,
      recurrenceKey: event.recurrenceKey,
      status: event.status,
      transparency: event.transparency,
      eventType: event.eventType,
      isRecurring: event.isRecurring,
      organizerId: organiser.personId,
      attendees,
      isAllDay: false as const,
      startAt: BigInt(start),
      endAt: BigInt(end),
    };
    // Only accepted, real meetings keep a person busy for later ad-hoc invitations.
    const blocksTime = event.eventType === 'default' && event.status !== 'cancelled';
    owners.forEach((owner, position) => {
      if (start < owner.periodStart || start >= owner.periodEnd) return;
      sink.addEvent({ ...base, ownerId: owner.personId });
      if (blocksTime && attendees[position]?.responseStatus === 'accepted') {
        this.#busy[owner.index]?.push(start, end);
      }
    });
  }
}

/** The local day on which the person's working interval containing `instant` started. */
function localDayOf(person: Person, instant: number): number | null {
  const starts = person.shiftStarts;
  let low = 0;
  let high = starts.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((starts[middle] ?? 0) <= instant) low = middle + 1;
    else high = middle - 1;
  }
  return high >= 0 ? (person.shiftDays[high] ?? null) : null;
}

function styleOf(person: Person, organisation: Organisation, week: number): TeamStyle {
  return teamAt(person, organisation, week)?.style ?? STYLES.ordinary;
}
