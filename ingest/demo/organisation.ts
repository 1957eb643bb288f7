/**
 * Who works where, when and for whom: the people, teams and groups of a generated organisation,
 * their working schedules, absences and the identifiers every source knows them by. Pure: built
 * from a seed and a plan; the calendar and Slack generators only read it.
 *
 * Two plans feed the same builder: the demo's hand-written one (every team tells a story, see
 * docs/demo.md) and a scaled one for the benchmark that repeats the same team kinds.
 */
import { dayNumber } from '../../warehouse/dates.ts';
import type { Pseudonymizer } from '../../warehouse/identity.ts';
import type { IsoWeekday } from '../../warehouse/schedule.ts';
import { LocalClock } from './local-time.ts';
import { NameBook } from './names.ts';
import { Random } from './random.ts';

export type Story =
  'ordinary' | 'meetingHeavy' | 'asyncFirst' | 'offHours' | 'noMeetingDay' | 'global' | 'support';

interface Slot {
  readonly day: IsoWeekday;
  /** Minutes after local midnight, in the team lead's zone. */
  readonly atMinutes: number;
  readonly minutes: number;
}

/** How a kind of team works: the knobs that make its story show in the metrics. */
export interface TeamStyle {
  readonly story: Story;
  readonly standup: {
    readonly days: readonly IsoWeekday[];
    readonly atMinutes: number;
    readonly minutes: number;
  } | null;
  readonly sync: Slot;
  readonly planning: (Slot & { readonly everyWeeks: number }) | null;
  readonly oneOnOneEveryWeeks: number;
  readonly oneOnOneMinutes: number;
  /** Twice-weekly reviews with the leads of partner teams (large meetings). */
  readonly reviews: boolean;
  /** A weekly sync of the members outside the Americas, in the European morning. */
  readonly regionalSync: boolean;
  /** Ad-hoc meetings a member attends per week (before the organisation-wide factor). */
  readonly adHocPerPersonWeek: number;
  readonly adHocMinutes: readonly number[];
  /** Share of ad-hoc meetings that include people outside the company (customers). */
  readonly externalShare: number;
  /** Share of members who keep recurring focus-time blocks. */
  readonly focusSeriesShare: number;
  /** Probability of accepting an invitation inside one's working hours, and outside them. */
  readonly acceptance: number;
  readonly afterHoursAcceptance: number;
  readonly messagesPerPersonWeek: number;
  /** Probability that a conversation starts outside the starter's working hours. */
  readonly offHoursStart: number;
  /** Probability of answering right away when a message arrives outside one's working hours. */
  readonly offHoursReply: number;
  readonly replyMedianMinutes: number;
  /** Relative frequency of direct messages, group DMs, channel threads and plain channel posts. */
  readonly mix: {
    readonly dm: number;
    readonly mpim: number;
    readonly thread: number;
    readonly post: number;
  };
}

const WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5];

const ORDINARY: TeamStyle = {
  story: 'ordinary',
  standup: { days: WEEKDAYS, atMinutes: 9 * 60 + 45, minutes: 15 },
  sync: { day: 2, atMinutes: 14 * 60, minutes: 60 },
  planning: { day: 1, atMinutes: 11 * 60, minutes: 60, everyWeeks: 2 },
  oneOnOneEveryWeeks: 2,
  oneOnOneMinutes: 30,
  reviews: false,
  regionalSync: false,
  adHocPerPersonWeek: 9,
  adHocMinutes: [30, 30, 45, 60, 60, 90],
  externalShare: 0,
  focusSeriesShare: 0.2,
  acceptance: 0.86,
  afterHoursAcceptance: 0.25,
  messagesPerPersonWeek: 90,
  offHoursStart: 0.04,
  offHoursReply: 0.1,
  replyMedianMinutes: 25,
  mix: { dm: 0.45, mpim: 0.1, thread: 0.3, post: 0.15 },
};

export const STYLES: Readonly<Record<Story, TeamStyle>> = {
  ordinary: ORDINARY,
  meetingHeavy: {
    ...ORDINARY,
    story: 'meetingHeavy',
    standup: { days: WEEKDAYS, atMinutes: 9 * 60 + 30, minutes: 30 },
    sync: { day: 2, atMinutes: 15 * 60, minutes: 60 },
    planning: { day: 1, atMinutes: 13 * 60, minutes: 90, everyWeeks: 1 },
    oneOnOneEveryWeeks: 1,
    reviews: true,
    adHocPerPersonWeek: 20,
    adHocMinutes: [30, 45, 60, 60, 60, 90, 90],
    focusSeriesShare: 0.1,
    acceptance: 0.93,
    messagesPerPersonWeek: 75,
    replyMedianMinutes: 50,
    mix: { dm: 0.5, mpim: 0.15, thread: 0.2, post: 0.15 },
  },
  asyncFirst: {
    ...ORDINARY,
    story: 'asyncFirst',
    standup: null,
    sync: { day: 2, atMinutes: 10 * 60, minutes: 45 },
    planning: { day: 1, atMinutes: 10 * 60, minutes: 60, everyWeeks: 4 },
    adHocPerPersonWeek: 2.5,
    adHocMinutes: [25, 30, 30, 45],
    focusSeriesShare: 1,
    acceptance: 0.82,
    messagesPerPersonWeek: 85,
    offHoursStart: 0.02,
    offHoursReply: 0.03,
    replyMedianMinutes: 110,
    mix: { dm: 0.2, mpim: 0.05, thread: 0.6, post: 0.15 },
  },
  offHours: {
    ...ORDINARY,
    story: 'offHours',
    standup: { days: [1, 3, 5], atMinutes: 9 * 60 + 30, minutes: 15 },
    sync: { day: 1, atMinutes: 15 * 60, minutes: 60 },
    planning: null,
    oneOnOneEveryWeeks: 1,
    adHocPerPersonWeek: 9,
    adHocMinutes: [30, 30, 45, 60],
    externalShare: 0.6,
    focusSeriesShare: 0.05,
    messagesPerPersonWeek: 120,
    offHoursStart: 0.36,
    offHoursReply: 0.7,
    replyMedianMinutes: 8,
    mix: { dm: 0.5, mpim: 0.15, thread: 0.15, post: 0.2 },
  },
  noMeetingDay: {
    ...ORDINARY,
    story: 'noMeetingDay',
    sync: { day: 3, atMinutes: 14 * 60, minutes: 60 },
    adHocPerPersonWeek: 11,
    focusSeriesShare: 0.1,
  },
  global: {
    ...ORDINARY,
    story: 'global',
    // In the lead's zone (Europe): the morning of the Americas, the evening of Asia.
    standup: { days: [1, 2, 3, 4], atMinutes: 15 * 60, minutes: 30 },
    sync: { day: 3, atMinutes: 16 * 60, minutes: 60 },
    regionalSync: true,
    adHocPerPersonWeek: 8,
    afterHoursAcceptance: 0.6,
    offHoursStart: 0.06,
    offHoursReply: 0.18,
    replyMedianMinutes: 40,
    mix: { dm: 0.35, mpim: 0.1, thread: 0.4, post: 0.15 },
  },
  support: {
    ...ORDINARY,
    story: 'support',
    standup: null,
    sync: { day: 3, atMinutes: 13 * 60, minutes: 45 },
    planning: null,
    adHocPerPersonWeek: 5,
    adHocMinutes: [15, 30, 30, 45],
    focusSeriesShare: 0,
    messagesPerPersonWeek: 110,
    offHoursStart: 0.03,
    offHoursReply: 0.08,
    replyMedianMinutes: 10,
    mix: { dm: 0.35, mpim: 0.1, thread: 0.35, post: 0.2 },
  },
};

/** A working schedule as the generator uses it: the roster's, or the defaults the build applies. */
export interface WorkSchedule {
  readonly days: readonly IsoWeekday[];
  /** Minutes after local midnight; an end before the start is a shift crossing midnight. */
  readonly start: number;
  readonly end: number;
}

/** The configuration defaults (`workingHours` in syncbalance.config.yaml) the build falls back to. */
export const DEFAULT_SCHEDULE: WorkSchedule = { days: WEEKDAYS, start: 9 * 60, end: 17 * 60 };

/** Where the build finds a person's zone: the roster, else the calendar, else Slack, else config. */
export type ZoneSource = 'roster' | 'calendar' | 'slack' | 'none';

export type Role = 'ceo' | 'head' | 'lead' | 'member';

export interface Absence {
  /** Day numbers; `end` exclusive. */
  readonly start: number;
  readonly end: number;
}

export interface PartDayAbsence {
  readonly day: number;
  readonly startMinutes: number;
  readonly endMinutes: number;
}

export interface Person {
  readonly index: number;
  readonly name: string;
  readonly email: string;
  readonly role: Role;
  /** The zone the person really lives in; the sources below may or may not say so. */
  readonly zone: string;
  readonly schedule: WorkSchedule;
  readonly rosterTimezone: string | null;
  readonly rosterDays: readonly IsoWeekday[] | null;
  readonly rosterHours: { readonly start: number; readonly end: number } | null;
  readonly calendarZone: string | null;
  readonly slackZone: string | null;
  readonly slackUserId: string;
  /** False when the Slack profile hides the address: matched through the roster's Slack id. */
  readonly slackHasEmail: boolean;
  readonly rosterSlackId: boolean;
  /** First generated week (0 for everyone but new joiners). */
  readonly joinWeek: number;
  readonly personId: string;
  readonly slackKey: string;
  /**
   * The team and manager before and from the organisation's change week; no team before joining,
   * and none for the executives, who sit at their group's path.
   */
  teamBefore: Team | null;
  teamAfter: Team | null;
  heads: Group | null;
  managerBefore: Person | null;
  managerAfter: Person | null;
  /** Full days out of office (vacations, sick days): working days only. */
  readonly vacations: Absence[];
  readonly partDays: PartDayAbsence[];
  readonly oooDays: Set<number>;
  /** Working intervals (instants in µs) and the local day each starts on, in time order. */
  shiftStarts: Float64Array;
  shiftEnds: Float64Array;
  shiftDays: Int32Array;
  /** This person's part of the period, [start, end) in µs. */
  periodStart: number;
  periodEnd: number;
}

export interface Team {
  readonly index: number;
  readonly path: string;
  readonly group: Group;
  readonly style: TeamStyle;
  lead: Person;
  membersBefore: Person[];
  membersAfter: Person[];
  /** Teams this one meets and talks with most. */
  partners: Team[];
}

export interface Group {
  readonly path: string;
  head: Person;
  readonly teams: Team[];
}

export interface Organisation {
  readonly seed: number;
  readonly people: readonly Person[];
  readonly teams: readonly Team[];
  readonly groups: readonly Group[];
  readonly ceo: Person;
  readonly weeks: number;
  /** Day numbers of the first and last generated Mondays. */
  readonly firstMonday: number;
  readonly lastMonday: number;
  /** Week of the second roster snapshot: moves, joiners and the no-meeting day start here. */
  readonly changeWeek: number;
  readonly clock: LocalClock;
  /** Earliest and latest instant of anyone's period. */
  readonly periodStart: number;
  readonly periodEnd: number;
}

export function teamAt(person: Person, organisation: Organisation, week: number): Team | null {
  return week < organisation.changeWeek ? person.teamBefore : person.teamAfter;
}

export function membersAt(team: Team, organisation: Organisation, week: number): Person[] {
  return week < organisation.changeWeek ? team.membersBefore : team.membersAfter;
}

export function mondayOf(organisation: Organisation, week: number): number {
  return organisation.firstMonday + 7 * week;
}

/** Index of the last working interval starting at or before `instant`, or -1. */
function shiftIndexAt(person: Person, instant: number): number {
  const starts = person.shiftStarts;
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((starts[middle] ?? 0) <= instant) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** Whether `instant` lies in the person's working hours (ignoring absences). */
export function isWorking(person: Person, instant: number): boolean {
  const index = shiftIndexAt(person, instant);
  return index >= 0 && instant < (person.shiftEnds[index] ?? 0);
}

/**
 * `instant` itself when the person is at work then, else the start of their next working interval
 * that is not an out-of-office day; Infinity when the period ends first.
 */
export function nextAtWork(person: Person, instant: number): number {
  let index = shiftIndexAt(person, instant);
  if (index >= 0 && instant < (person.shiftEnds[index] ?? 0)) {
    if (!person.oooDays.has(person.shiftDays[index] ?? 0)) return instant;
  }
  for (index += 1; index < person.shiftStarts.length; index++) {
    if (!person.oooDays.has(person.shiftDays[index] ?? 0)) return person.shiftStarts[index] ?? 0;
  }
  return Infinity;
}

/** Indexes of the person's working intervals in `week`, out-of-office days left out. */
export function shiftsInWeek(person: Person, organisation: Organisation, week: number): number[] {
  const monday = mondayOf(organisation, week);
  const days = person.shiftDays;
  let low = 0;
  let high = days.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((days[middle] ?? 0) < monday) low = middle + 1;
    else high = middle;
  }
  const shifts: number[] = [];
  for (let index = low; index < days.length && (days[index] ?? 0) < monday + 7; index++) {
    if (!person.oooDays.has(days[index] ?? 0)) shifts.push(index);
  }
  return shifts;
}

// ---------------------------------------------------------------------------------------------
// Plans

interface SeatPlan {
  readonly zone: string;
  readonly count: number;
  readonly zoneSource?: ZoneSource;
  readonly shift?: 'night';
}

export interface TeamPlan {
  readonly path: string;
  readonly story: Story;
  /** The first seat is the lead's. */
  readonly seats: readonly SeatPlan[];
}

export interface OrganisationPlan {
  readonly ceoZone: string;
  /** Zone of each group's head, by group path; the CEO heads the group of `ceoGroup`. */
  readonly headZones: Readonly<Record<string, string>>;
  readonly ceoGroup: string;
  readonly teams: readonly TeamPlan[];
  /** People who change team at the change week: [from team, to team]. */
  readonly moves: readonly (readonly [string, string])[];
  /** Teams that gain a new joiner at the change week, with the joiner's zone. */
  readonly joiners: readonly (readonly [string, string])[];
}

/** The demo organisation: see docs/demo.md for what each team shows. */
export const DEMO_PLAN: OrganisationPlan = {
  ceoZone: 'America/New_York',
  ceoGroup: 'Business',
  headZones: { Engineering: 'Europe/Berlin', Product: 'America/New_York' },
  teams: [
    {
      path: 'Engineering/Platform',
      story: 'asyncFirst',
      seats: [
        { zone: 'Europe/Berlin', count: 10 },
        { zone: 'Europe/London', count: 5 },
        { zone: 'Europe/Lisbon', count: 4 },
        { zone: 'Europe/Warsaw', count: 3 },
      ],
    },
    {
      path: 'Engineering/Payments',
      story: 'global',
      seats: [
        { zone: 'Europe/Berlin', count: 4 },
        { zone: 'Europe/Warsaw', count: 1 },
        { zone: 'America/New_York', count: 5 },
        { zone: 'America/Sao_Paulo', count: 2 },
        { zone: 'Asia/Singapore', count: 3 },
        { zone: 'Asia/Kolkata', count: 3 },
      ],
    },
    {
      path: 'Engineering/Mobile',
      story: 'noMeetingDay',
      seats: [
        { zone: 'Europe/London', count: 9 },
        { zone: 'Europe/Dublin', count: 4 },
        { zone: 'Europe/Lisbon', count: 4 },
      ],
    },
    {
      path: 'Engineering/Data',
      story: 'ordinary',
      seats: [
        { zone: 'Europe/Berlin', count: 8 },
        { zone: 'Asia/Kolkata', count: 4 },
        { zone: 'Asia/Kolkata', count: 1, zoneSource: 'slack' },
        { zone: 'Europe/London', count: 3 },
      ],
    },
    {
      path: 'Engineering/Security',
      story: 'ordinary',
      seats: [
        { zone: 'Europe/Berlin', count: 2 },
        { zone: 'Europe/London', count: 1 },
        { zone: 'America/New_York', count: 1 },
      ],
    },
    {
      path: 'Product/Management',
      story: 'meetingHeavy',
      seats: [
        { zone: 'America/New_York', count: 8 },
        { zone: 'America/Chicago', count: 4 },
        { zone: 'America/Los_Angeles', count: 3 },
      ],
    },
    {
      path: 'Product/Design',
      story: 'ordinary',
      seats: [
        { zone: 'Europe/London', count: 5 },
        { zone: 'Europe/Lisbon', count: 3 },
        { zone: 'Europe/Lisbon', count: 1, zoneSource: 'slack' },
        { zone: 'America/New_York', count: 5 },
      ],
    },
    {
      path: 'Business/Sales',
      story: 'offHours',
      seats: [
        { zone: 'America/Los_Angeles', count: 7 },
        { zone: 'America/Denver', count: 4 },
        { zone: 'America/New_York', count: 6 },
        { zone: 'America/Chicago', count: 3 },
      ],
    },
    {
      path: 'Business/Support',
      story: 'support',
      seats: [
        { zone: 'Europe/Dublin', count: 2 },
        { zone: 'Europe/Dublin', count: 2, shift: 'night' },
        { zone: 'Asia/Manila', count: 5 },
        { zone: 'America/Mexico_City', count: 4 },
        { zone: 'Australia/Sydney', count: 3 },
        { zone: 'America/Sao_Paulo', count: 2 },
      ],
    },
    {
      path: 'Business/Operations',
      story: 'ordinary',
      seats: [
        { zone: 'Europe/London', count: 6 },
        { zone: 'America/New_York', count: 4 },
        // Iceland keeps UTC all year, so the configuration's default zone (UTC) is right for them.
        { zone: 'Atlantic/Reykjavik', count: 1, zoneSource: 'none' },
      ],
    },
  ],
  moves: [
    ['Engineering/Data', 'Engineering/Platform'],
    ['Product/Design', 'Product/Management'],
  ],
  joiners: [['Business/Sales', 'America/Los_Angeles']],
};

const REGIONS: readonly (readonly string[])[] = [
  [
    'America/New_York',
    'America/Chicago',
    'America/Denver',
    'America/Los_Angeles',
    'America/Sao_Paulo',
  ],
  ['Europe/London', 'Europe/Berlin', 'Europe/Lisbon', 'Europe/Warsaw', 'Europe/Dublin'],
  ['Asia/Singapore', 'Asia/Kolkata', 'Asia/Manila', 'Asia/Tokyo', 'Australia/Sydney'],
];

const GROUP_NAMES = ['Engineering', 'Product', 'Business', 'Research', 'Operations', 'Customer'];
const TEAM_NAMES = (
  'Atlas Beacon Comet Delta Ember Falcon Garnet Harbor Iris Juniper Kestrel Lumen Meridian ' +
  'Nimbus Orbit Pioneer Quartz Raven Summit Tundra Umber Vector Willow Zephyr'
).split(' ');
const SCALED_STORIES: readonly Story[] = [
  'ordinary',
  'meetingHeavy',
  'asyncFirst',
  'offHours',
  'noMeetingDay',
  'global',
  'ordinary',
  'support',
];

/** `Atlas`, …, `Zephyr`, then `Atlas 2`, …: a name for every index. */
function numbered(names: readonly string[], index: number): string {
  const round = Math.floor(index / names.length);
  const name = names[index % names.length] ?? 'Team';
  return round === 0 ? name : `${name} ${round + 1}`;
}

/**
 * The same kinds of team as the demo, repeated until about `people` people: eight teams of 6 to 18
 * per group, every twentieth team a small one of four.
 */
export function scaledPlan(random: Random, people: number): OrganisationPlan {
  const teams: TeamPlan[] = [];
  let seats = 1;
  for (let index = 0; seats < people; index++) {
    const story = SCALED_STORIES[index % SCALED_STORIES.length] ?? 'ordinary';
    const size = Math.min(index % 20 === 19 ? 4 : random.int(6, 18), Math.max(2, people - seats));
    const groupName = numbered(GROUP_NAMES, Math.floor(index / 8));
    const teamName = numbered(TEAM_NAMES, index);
    const region = random.pick(REGIONS);
    const teamSeats: SeatPlan[] = [];
    for (let seat = 0; seat < size; seat++) {
      const zone = story === 'global' ? random.pick(random.pick(REGIONS)) : random.pick(region);
      teamSeats.push({
        zone,
        count: 1,
        ...(random.chance(0.02) ? { zoneSource: 'slack' as const } : {}),
      });
    }
    teams.push({ path: `${groupName}/${teamName}`, story, seats: teamSeats });
    seats += size + (index % 8 === 0 ? 1 : 0);
  }
  const groups = [...new Set(teams.map((team) => team.path.split('/')[0] ?? ''))];
  const headZones: Record<string, string> = {};
  for (const group of groups.slice(1)) headZones[group] = random.pick(random.pick(REGIONS));
  const movable = teams.filter((team) => team.seats.length > 6);
  const moves: (readonly [string, string])[] = [];
  const joiners: (readonly [string, string])[] = [];
  const changes = movable.length > 0 ? Math.max(1, Math.round(people / 100)) : 0;
  for (let index = 0; index < changes; index++) {
    moves.push([random.pick(movable).path, random.pick(movable).path]);
    joiners.push([random.pick(movable).path, random.pick(random.pick(REGIONS))]);
  }
  return {
    ceoZone: 'America/New_York',
    ceoGroup: groups[0] ?? 'Business',
    headZones,
    teams,
    moves: moves.filter(([from, to]) => from !== to),
    joiners,
  };
}

// ---------------------------------------------------------------------------------------------
// Building

interface PersonDraft {
  zone: string;
  zoneSource: ZoneSource;
  schedule: WorkSchedule;
  rosterDays: readonly IsoWeekday[] | null;
  rosterHours: { start: number; end: number } | null;
}

const SUPPORT_SHIFTS: readonly (readonly [WorkSchedule, number])[] = [
  [{ days: [2, 3, 4, 5, 6], start: 8 * 60, end: 16 * 60 }, 3],
  [{ days: [7, 1, 2, 3, 4], start: 7 * 60, end: 15 * 60 }, 2],
  [{ days: WEEKDAYS, start: 12 * 60, end: 20 * 60 }, 2],
  [{ days: WEEKDAYS, start: 6 * 60, end: 14 * 60 }, 2],
  [DEFAULT_SCHEDULE, 3],
];
const NIGHT_SHIFT: WorkSchedule = { days: [7, 1, 2, 3, 4], start: 22 * 60, end: 6 * 60 };

function draftSchedule(random: Random, story: Story, seat: SeatPlan, role: Role): PersonDraft {
  const zoneSource: ZoneSource =
    seat.zoneSource ?? (role === 'member' && random.chance(0.1) ? 'calendar' : 'roster');
  const explicit = (schedule: WorkSchedule): PersonDraft => ({
    zone: seat.zone,
    zoneSource,
    schedule,
    rosterDays: schedule.days,
    rosterHours: { start: schedule.start, end: schedule.end },
  });
  if (seat.shift === 'night') return explicit(NIGHT_SHIFT);
  if (story === 'support' && role === 'member') return explicit(random.weighted(SUPPORT_SHIFTS));
  const variant = random.weighted([
    ['standard', 55],
    ['blank', role === 'member' ? 12 : 0],
    ['early', 10],
    ['late', 10],
    ['long', 8],
    ['fourDays', role === 'member' ? 5 : 0],
  ] as const);
  switch (variant) {
    case 'standard':
      return explicit(DEFAULT_SCHEDULE);
    case 'blank':
      // The roster leaves the schedule open; the build applies the configuration's default.
      return {
        zone: seat.zone,
        zoneSource,
        schedule: DEFAULT_SCHEDULE,
        rosterDays: null,
        rosterHours: null,
      };
    case 'early':
      return explicit({ days: WEEKDAYS, start: 8 * 60, end: 16 * 60 });
    case 'late':
      return explicit({ days: WEEKDAYS, start: 10 * 60, end: 18 * 60 });
    case 'long':
      return explicit({ days: WEEKDAYS, start: 8 * 60 + 30, end: 17 * 60 + 30 });
    case 'fourDays': {
      // Part-time: the roster gives the days only, the hours are the default.
      const days: IsoWeekday[] = [1, 2, 3, 4];
      return {
        zone: seat.zone,
        zoneSource,
        schedule: { ...DEFAULT_SCHEDULE, days },
        rosterDays: days,
        rosterHours: null,
      };
    }
  }
}

export interface BuildOptions {
  readonly seed: number;
  /** Monday (`YYYY-MM-DD`) of the last week. */
  readonly lastWeek: string;
  readonly weeks: number;
}

class SlackIds {
  readonly #random: Random;
  readonly #used = new Set<string>();
  constructor(random: Random) {
    this.#random = random;
  }
  /** A fresh id such as `U07QK3M2ZL`: the prefix, a zero, then nine characters. */
  next(prefix: string): string {
    for (;;) {
      const id = `${prefix}0${this.#random.code(9)}`;
      if (!this.#used.has(id)) {
        this.#used.add(id);
        return id;
      }
    }
  }
}

export interface BuiltOrganisation extends Organisation {
  readonly names: NameBook;
  readonly slackIds: SlackIds;
}

export function buildOrganisation(
  plan: OrganisationPlan | ((random: Random) => OrganisationPlan),
  pseudonymizer: Pseudonymizer,
  options: BuildOptions,
): BuiltOrganisation {
  const random = new Random(options.seed, 1);
  const resolvedPlan = typeof plan === 'function' ? plan(random) : plan;
  const names = new NameBook(random);
  const slackIds = new SlackIds(random);
  const lastMonday = dayNumber(options.lastWeek);
  if (lastMonday === null) throw new Error(`not a date: ${options.lastWeek}`);
  const firstMonday = lastMonday - 7 * (options.weeks - 1);
  const changeWeek = Math.floor(options.weeks / 2);
  const people: Person[] = [];

  const addPerson = (draft: PersonDraft, role: Role, joinWeek: number): Person => {
    const { name, email } = names.person();
    const slackUserId = slackIds.next('U');
    const slackHasEmail = role === 'member' ? !random.chance(0.03) : true;
    const person: Person = {
      index: people.length,
      name,
      email,
      role,
      zone: draft.zone,
      schedule: draft.schedule,
      rosterTimezone: draft.zoneSource === 'roster' ? draft.zone : null,
      rosterDays: draft.rosterDays,
      rosterHours: draft.rosterHours,
      calendarZone:
        draft.zoneSource === 'roster' || draft.zoneSource === 'calendar' ? draft.zone : null,
      slackZone: draft.zoneSource === 'none' ? null : draft.zone,
      slackUserId,
      slackHasEmail,
      rosterSlackId: !slackHasEmail || random.chance(0.3),
      joinWeek,
      personId: pseudonymizer.person(email),
      slackKey: pseudonymizer.slackUser(slackUserId),
      teamBefore: null,
      teamAfter: null,
      heads: null,
      managerBefore: null,
      managerAfter: null,
      vacations: [],
      partDays: [],
      oooDays: new Set(),
      shiftStarts: new Float64Array(0),
      shiftEnds: new Float64Array(0),
      shiftDays: new Int32Array(0),
      periodStart: 0,
      periodEnd: 0,
    };
    people.push(person);
    return person;
  };

  const executive = (zone: string): PersonDraft => ({
    zone,
    zoneSource: 'roster',
    schedule: DEFAULT_SCHEDULE,
    rosterDays: DEFAULT_SCHEDULE.days,
    rosterHours: { start: DEFAULT_SCHEDULE.start, end: DEFAULT_SCHEDULE.end },
  });
  const ceo = addPerson(executive(resolvedPlan.ceoZone), 'ceo', 0);
  const groups = new Map<string, Group>();
  for (const teamPlan of resolvedPlan.teams) {
    const path = teamPlan.path.split('/')[0] ?? teamPlan.path;
    if (groups.has(path)) continue;
    const head =
      path === resolvedPlan.ceoGroup
        ? ceo
        : addPerson(executive(resolvedPlan.headZones[path] ?? resolvedPlan.ceoZone), 'head', 0);
    const group: Group = { path, head, teams: [] };
    head.heads = group;
    if (head !== ceo) {
      head.managerBefore = ceo;
      head.managerAfter = ceo;
    }
    groups.set(path, group);
  }

  const teams: Team[] = [];
  for (const teamPlan of resolvedPlan.teams) {
    const group = groups.get(teamPlan.path.split('/')[0] ?? teamPlan.path);
    if (!group) throw new Error(`no group for ${teamPlan.path}`);
    const members: Person[] = [];
    for (const seat of teamPlan.seats) {
      for (let count = 0; count < seat.count; count++) {
        const role: Role = members.length === 0 ? 'lead' : 'member';
        members.push(addPerson(draftSchedule(random, teamPlan.story, seat, role), role, 0));
      }
    }
    const lead = members[0];
    if (!lead) throw new Error(`team ${teamPlan.path} has no seats`);
    const team: Team = {
      index: teams.length,
      path: teamPlan.path,
      group,
      style: STYLES[teamPlan.story],
      lead,
      membersBefore: members,
      membersAfter: members.slice(),
      partners: [],
    };
    teams.push(team);
    group.teams.push(team);
  }
  const teamByPath = new Map(teams.map((team) => [team.path, team]));
  const teamNamed = (path: string): Team => {
    const team = teamByPath.get(path);
    if (!team) throw new Error(`the plan names an unknown team ${path}`);
    return team;
  };

  // Moves: the newest member of the source team (never its lead) joins the target team.
  for (const [from, to] of resolvedPlan.moves) {
    const source = teamNamed(from);
    const target = teamNamed(to);
    const mover = source.membersAfter.filter((person) => person.role === 'member').at(-1);
    if (!mover || source.membersAfter.length <= 5) continue;
    source.membersAfter = source.membersAfter.filter((person) => person !== mover);
    target.membersAfter.push(mover);
  }
  for (const [path, zone] of resolvedPlan.joiners) {
    const team = teamNamed(path);
    const draft = draftSchedule(random, team.style.story, { zone, count: 1 }, 'member');
    team.membersAfter.push(addPerson(draft, 'member', changeWeek));
  }
  for (const team of teams) {
    for (const person of team.membersBefore) {
      person.teamBefore = team;
      person.managerBefore = person === team.lead ? team.group.head : team.lead;
    }
    for (const person of team.membersAfter) {
      person.teamAfter = team;
      person.managerAfter = person === team.lead ? team.group.head : team.lead;
    }
  }

  // Partners: two teams of the same group and one of another, for shared meetings and DMs.
  for (const team of teams) {
    const sameGroup = team.group.teams.filter((other) => other !== team);
    const otherGroups = teams.filter((other) => other.group !== team.group);
    team.partners = [...random.sample(sameGroup, 2), ...random.sample(otherGroups, 1)];
  }

  const clock = new LocalClock();
  const bounds = { first: firstMonday, lastMonday };
  for (const person of people) {
    planAbsences(random, bounds, person);
    computeShifts(clock, bounds, person);
  }
  return {
    seed: options.seed,
    people,
    teams,
    groups: [...groups.values()],
    ceo,
    weeks: options.weeks,
    firstMonday,
    lastMonday,
    changeWeek,
    clock,
    periodStart: Math.min(...people.map((person) => person.periodStart)),
    periodEnd: Math.max(...people.map((person) => person.periodEnd)),
    names,
    slackIds,
  };
}

interface PeriodBounds {
  readonly first: number;
  readonly lastMonday: number;
}

/** Vacations of three to five working days, single sick days and the odd part-day appointment. */
function planAbsences(random: Random, bounds: PeriodBounds, person: Person): void {
  const first = bounds.first + 7 * person.joinWeek;
  const end = bounds.lastMonday + 7;
  const workdays = new Set(person.schedule.days);
  const isWorkday = (day: number): boolean => workdays.has(weekdayOf(day));
  const vacations = random.poisson((end - first) / 70);
  for (let count = 0; count < vacations; count++) {
    let day = random.int(first, end - 1);
    while (day < end && !isWorkday(day)) day += 1;
    if (day >= end) continue;
    const start = day;
    let taken = 0;
    const length = random.int(3, 5);
    while (day < end && taken < length) {
      if (isWorkday(day)) {
        person.oooDays.add(day);
        taken += 1;
      }
      day += 1;
    }
    person.vacations.push({ start, end: day });
  }
  for (let day = first; day < end; day++) {
    if (!isWorkday(day) || person.oooDays.has(day)) continue;
    if (random.chance(0.006)) {
      person.oooDays.add(day);
      person.vacations.push({ start: day, end: day + 1 });
    } else if (random.chance(0.008)) {
      const startMinutes = random.chance(0.5)
        ? person.schedule.start
        : person.schedule.start + 4 * 60;
      person.partDays.push({ day, startMinutes, endMinutes: startMinutes + 4 * 60 });
    }
  }
}

/** ISO weekday of a day number (1970-01-01, day 0, was a Thursday). */
export function weekdayOf(day: number): IsoWeekday {
  return (((((day + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

function computeShifts(clock: LocalClock, bounds: PeriodBounds, person: Person): void {
  const first = bounds.first + 7 * person.joinWeek;
  const end = bounds.lastMonday + 7;
  const workdays = new Set(person.schedule.days);
  const starts: number[] = [];
  const ends: number[] = [];
  const days: number[] = [];
  const { start, end: finish } = person.schedule;
  const length = finish > start ? finish - start : finish + 1440 - start;
  for (let day = first; day < end; day++) {
    if (!workdays.has(weekdayOf(day))) continue;
    const shiftStart = clock.micros(person.zone, day, start);
    const shiftEnd = clock.micros(person.zone, day, start + length);
    starts.push(shiftStart);
    ends.push(shiftEnd);
    days.push(day);
  }
  person.shiftStarts = Float64Array.from(starts);
  person.shiftEnds = Float64Array.from(ends);
  person.shiftDays = Int32Array.from(days);
  person.periodStart = clock.micros(person.zone, first, 0);
  person.periodEnd = clock.micros(person.zone, end, 0);
}
