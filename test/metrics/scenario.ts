/**
 * Small hand-made organisations for the metric tests. Times are written as local wall-clock times
 * in a named zone ('2026-03-02 10:00') and turned into instants the same way DuckDB does, so each
 * test reads like the worked examples in docs/metrics.md. Everything goes through the same raw
 * writers as the real importers, then the real model build.
 */
import { z } from 'zod';
import { buildModels } from '../../warehouse/build.ts';
import { parseConfig, type Config } from '../../warehouse/config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import {
  CalendarBatchWriter,
  type AttendeeKind,
  type EventType,
  type ResponseStatus,
} from '../../warehouse/raw/calendar.ts';
import { replaceRosterSnapshot, type RosterEntry } from '../../warehouse/raw/roster.ts';
import { SlackBatchWriter, type ConversationType } from '../../warehouse/raw/slack.ts';
import { beginRun, recordRun } from '../../warehouse/runs.ts';
import { parseClockTime, parseWorkDays } from '../../warehouse/schedule.ts';
import { localTimeToMicros } from '../../warehouse/zoned-time.ts';
import { tempWarehouse, testPseudonymizer as keys } from '../helpers/warehouse.ts';

export interface PersonOptions {
  readonly team: string;
  readonly timezone?: string;
  readonly days?: string;
  readonly start?: string;
  readonly end?: string;
  /** Slack user id; the person has no Slack account when absent. */
  readonly slack?: string;
  /** Further Slack accounts of the same person (same email). */
  readonly otherSlackAccounts?: readonly string[];
  /** Whether an imported calendar covers the person (default true). */
  readonly calendar?: boolean;
  /** The calendar's own zone (Google's setting or X-WR-TIMEZONE). */
  readonly calendarTimezone?: string;
  /** The Slack profile's zone. */
  readonly slackTimezone?: string;
  /** The roster's manager_email. */
  readonly manager?: string;
  /** The Monday of the first roster snapshot the person is in (default: every snapshot). */
  readonly joins?: string;
}

export interface MeetingOptions {
  /** `YYYY-MM-DD HH:MM` in `zone` (default: the owner's zone). */
  readonly start: string;
  readonly end: string;
  readonly zone?: string;
  /** Other people invited (emails); rooms are added with `rooms`. */
  readonly with?: readonly string[];
  readonly rooms?: number;
  readonly response?: ResponseStatus | 'unlisted';
  readonly organizer?: 'owner' | 'other' | 'none';
  readonly status?: 'confirmed' | 'tentative' | 'cancelled';
  readonly transparency?: 'opaque' | 'transparent';
  readonly type?: EventType;
  readonly recurring?: boolean;
}

export interface MessageOptions {
  readonly at: string;
  /** The exact instant in microseconds, instead of `at` in `zone` (for instants no date can write). */
  readonly ts?: bigint;
  readonly zone: string;
  readonly conversation: string;
  readonly type?: ConversationType;
  /** `at` of the thread's parent, for replies (and the parent itself). */
  readonly thread?: string;
  readonly subtype?: string;
  readonly bot?: boolean;
}

function splitLocal(value: string): { date: string; minutes: number } {
  const [date, time] = value.split(' ');
  const minutes = parseClockTime(time ?? '');
  if (!date || !minutes.ok) throw new Error(`expected 'YYYY-MM-DD HH:MM', got '${value}'`);
  return { date, minutes: minutes.value };
}

export function instant(local: string, zone: string): bigint {
  const { date, minutes } = splitLocal(local);
  return localTimeToMicros(date, minutes, zone);
}

const personWeekSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);

export class Scenario {
  readonly #people = new Map<string, PersonOptions>();
  /** Later roster snapshots: from `asOf`, the person's options change as given. */
  readonly #moves: { asOf: string; email: string; changes: Partial<PersonOptions> }[] = [];
  readonly #meetings: { owner: string; options: MeetingOptions; key: string }[] = [];
  readonly #allDay: { owner: string; type: EventType; startDate: string; endDate: string }[] = [];
  readonly #messages: { user: string; options: MessageOptions }[] = [];
  readonly #config: Config;
  #slackCoverage: { start: bigint; end: bigint } | null = null;
  #calendarCoverage: { start: bigint; end: bigint } | null = null;
  #meetingCounter = 0;
  readonly #strangers: { account: string; email: string; bot: boolean; deleted: boolean }[] = [];
  readonly #strangerCalendars: string[] = [];

  constructor(config: unknown = {}) {
    this.#config = parseConfig(config);
  }

  person(email: string, options: PersonOptions): this {
    this.#people.set(email, options);
    return this;
  }

  /** The period the imported Slack data and calendars cover (default: all of 2026, and more). */
  covering(source: 'slack' | 'calendar', start: string, end: string): this {
    const window = { start: instant(start, 'UTC'), end: instant(end, 'UTC') };
    if (source === 'slack') this.#slackCoverage = window;
    else this.#calendarCoverage = window;
    return this;
  }

  /** A later roster snapshot, dated `asOf` (a Monday), in which the person's options change. */
  move(asOf: string, email: string, changes: Partial<PersonOptions>): this {
    this.#moves.push({ asOf, email, changes });
    return this;
  }

  /** A Slack account whose email is nobody's on the roster (a guest, a bot, someone who left). */
  slackStranger(account: string, options: { bot?: boolean; deleted?: boolean } = {}): this {
    this.#strangers.push({
      account,
      email: `${account.toLowerCase()}@elsewhere.example`,
      bot: options.bot ?? false,
      deleted: options.deleted ?? false,
    });
    return this;
  }

  /** An imported calendar of someone not on the roster. */
  calendarStranger(email: string): this {
    this.#strangerCalendars.push(email);
    return this;
  }

  /** An event on `owner`'s calendar (a meeting unless the options say otherwise). */
  meeting(owner: string, options: MeetingOptions): this {
    this.#meetingCounter += 1;
    this.#meetings.push({ owner, options, key: `meeting-${this.#meetingCounter}` });
    return this;
  }

  allDay(owner: string, type: EventType, startDate: string, endDate: string): this {
    this.#allDay.push({ owner, type, startDate, endDate });
    return this;
  }

  message(slackUser: string, options: MessageOptions): this {
    this.#messages.push({ user: slackUser, options });
    return this;
  }

  zoneOf(email: string): string {
    return this.#people.get(email)?.timezone ?? this.#config.timezone;
  }

  async build(): Promise<Built> {
    const db = await tempWarehouse();
    await db.transaction(async () => {
      const run = await beginRun(db, 'demo');
      const rosterAt = (asOf: string): RosterEntry[] =>
        [...this.#people].flatMap(([email, base]) => {
          if (base.joins !== undefined && base.joins > asOf) return [];
          const options = this.#moves
            .filter((move) => move.email === email && move.asOf <= asOf)
            .reduce<PersonOptions>((merged, move) => ({ ...merged, ...move.changes }), base);
          const days = options.days === undefined ? null : parseWorkDays(options.days);
          const start = options.start === undefined ? null : parseClockTime(options.start);
          const end = options.end === undefined ? null : parseClockTime(options.end);
          return {
            email,
            teamPath: options.team,
            managerEmail: options.manager ?? null,
            timezone: options.timezone ?? null,
            workDays: days?.ok ? days.value : null,
            workStartMinutes: start?.ok ? start.value : null,
            workEndMinutes: end?.ok ? end.value : null,
            slackUserId: null,
          };
        });
      const joins = [...this.#people.values()].flatMap((options) => options.joins ?? []);
      const snapshots = new Set(['2026-01-05', ...this.#moves.map((move) => move.asOf), ...joins]);
      for (const asOf of [...snapshots].sort()) {
        await replaceRosterSnapshot(db, keys, asOf, rosterAt(asOf), run);
      }

      const calendar = await CalendarBatchWriter.begin(db, run);
      for (const [email, options] of this.#people) {
        if (options.calendar === false) continue;
        calendar.coverWindow({
          ownerId: keys.person(email),
          ...(this.#calendarCoverage ?? {
            start: instant('2025-12-01 00:00', 'UTC'),
            end: instant('2027-01-31 00:00', 'UTC'),
          }),
          timezone: options.calendarTimezone ?? null,
        });
      }
      for (const email of this.#strangerCalendars) {
        calendar.coverWindow({
          ownerId: keys.person(email),
          ...(this.#calendarCoverage ?? {
            start: instant('2025-12-01 00:00', 'UTC'),
            end: instant('2027-01-31 00:00', 'UTC'),
          }),
          timezone: null,
        });
      }
      for (const { owner, options, key } of this.#meetings) {
        const zone = options.zone ?? this.zoneOf(owner);
        const ownerId = keys.person(owner);
        const others = (options.with ?? []).map((email) => keys.person(email));
        const response = options.response ?? 'accepted';
        const attendees: {
          attendeeId: string;
          kind: AttendeeKind;
          responseStatus: ResponseStatus;
        }[] = [
          ...(response === 'unlisted'
            ? []
            : [{ attendeeId: ownerId, kind: 'person' as const, responseStatus: response }]),
          ...others.map((attendeeId) => ({
            attendeeId,
            kind: 'person' as const,
            responseStatus: 'accepted' as const,
          })),
          ...Array.from({ length: options.rooms ?? 0 }, (_, index) => ({
            attendeeId: keys.person(`room-${index}@resource.example`),
            kind: 'room' as const,
            responseStatus: 'accepted' as const,
          })),
        ];
        calendar.addEvent({
          ownerId,
          eventKey: keys.calendarEvent(key),
          recurrenceKey: options.recurring ? options.start : '',
          isAllDay: false,
          startAt: instant(options.start, zone),
          endAt: instant(options.end, zone),
          status: options.status ?? 'confirmed',
          transparency: options.transparency ?? 'opaque',
          eventType: options.type ?? 'default',
          isRecurring: options.recurring ?? false,
          organizerId: {
            owner: ownerId,
            other: keys.person('organiser@example.com'),
            none: null,
          }[options.organizer ?? 'other'],
          attendees,
        });
      }
      for (const [index, event] of this.#allDay.entries()) {
        calendar.addEvent({
          ownerId: keys.person(event.owner),
          eventKey: keys.calendarEvent(`all-day-${index}`),
          recurrenceKey: '',
          isAllDay: true,
          startDate: event.startDate,
          endDate: event.endDate,
          status: 'confirmed',
          transparency: 'opaque',
          eventType: event.type,
          isRecurring: false,
          organizerId: keys.person(event.owner),
          attendees: [],
        });
      }
      await calendar.finish();

      const slack = await SlackBatchWriter.begin(db, run);
      slack.coverWindow(
        this.#slackCoverage ?? {
          start: instant('2025-12-01 00:00', 'UTC'),
          end: instant('2027-01-31 00:00', 'UTC'),
        },
      );
      for (const [email, options] of this.#people) {
        const accounts = [
          ...(options.slack === undefined ? [] : [options.slack]),
          ...(options.otherSlackAccounts ?? []),
        ];
        for (const account of accounts) {
          slack.addUser({
            userKey: keys.slackUser(account),
            emailPersonId: keys.person(email),
            timezone: options.slackTimezone ?? null,
            isBot: false,
            isDeleted: false,
          });
        }
      }
      for (const stranger of this.#strangers) {
        slack.addUser({
          userKey: keys.slackUser(stranger.account),
          emailPersonId: keys.person(stranger.email),
          timezone: null,
          isBot: stranger.bot,
          isDeleted: stranger.deleted,
        });
      }
      const conversations = new Set<string>();
      for (const { user, options } of this.#messages) {
        if (!conversations.has(options.conversation)) {
          conversations.add(options.conversation);
          slack.addConversation({
            conversationKey: keys.slackConversation(options.conversation),
            type: options.type ?? 'im',
          });
        }
        slack.addMessage({
          conversationKey: keys.slackConversation(options.conversation),
          ts: options.ts ?? instant(options.at, options.zone),
          userKey: keys.slackUser(user),
          threadTs: options.thread === undefined ? null : instant(options.thread, options.zone),
          parentUserKey: null,
          subtype: options.subtype ?? (options.bot ? 'bot_message' : null),
          botId: options.bot ? 'B0BOT' : null,
          replyCount: null,
          editedTs: null,
        });
      }
      await slack.finish();
      await recordRun(db, run, {});
    });
    await buildModels(db, this.#config);
    return new Built(db);
  }
}

export class Built {
  readonly db: Warehouse;

  constructor(db: Warehouse) {
    this.db = db;
  }

  async personWeek(
    email: string,
    week: string,
  ): Promise<Record<string, string | number | boolean | null>> {
    const rows = await this.db.parse(
      personWeekSchema,
      'SELECT * EXCLUDE (person_id) FROM marts.person_weeks WHERE person_id = $1 AND week_start = $2::DATE',
      [keys.person(email), week],
    );
    if (!rows[0]) throw new Error(`no person-week for ${email} in the week of ${week}`);
    return rows[0];
  }

  async teamWeek(
    team: string,
    week: string,
  ): Promise<Record<string, string | number | boolean | null>> {
    const rows = await this.db.parse(
      personWeekSchema,
      'SELECT * FROM marts.team_weeks WHERE team_path = $1 AND week_start = $2::DATE',
      [team, week],
    );
    if (!rows[0]) throw new Error(`no team-week for ${team} in the week of ${week}`);
    return rows[0];
  }

  async responses(
    email: string,
  ): Promise<{ sent_at: string; latency_wall_minutes: number; latency_working_minutes: number }[]> {
    return this.db.parse(
      z.object({
        sent_at: z.string(),
        latency_wall_minutes: z.number(),
        latency_working_minutes: z.number(),
      }),
      `SELECT strftime(sent_at, '%Y-%m-%d %H:%M') AS sent_at, latency_wall_minutes, latency_working_minutes
       FROM intermediate.int_responses WHERE person_id = $1 ORDER BY sent_at`,
      [keys.person(email)],
    );
  }
}

export const ADA = 'ada@example.com';
export const BOB = 'bob@example.com';

/** Ada and Bob, team Eng, Mon–Fri 09:00–17:00 in Europe/Berlin: the cast of most metric tests. */
export function berlinColleagues(): Scenario {
  const schedule = {
    team: 'Eng',
    timezone: 'Europe/Berlin',
    days: 'Mon-Fri',
    start: '09:00',
    end: '17:00',
  };
  return new Scenario().person(ADA, schedule).person(BOB, schedule);
}
