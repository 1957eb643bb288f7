/**
 * Slack metadata for a generated organisation, through the same shapes the importers write: users,
 * conversations and messages (no text exists anywhere in the generator). Conversations are played
 * out turn by turn, so response times follow each responder's working hours: a question posted in
 * New York at 17:00 is answered from Singapore the next local morning, unless the responder is one
 * of the people who answer at night.
 */
import type { Pseudonymizer } from '../../warehouse/identity.ts';
import type {
  ConversationType,
  SlackConversation,
  SlackMessage,
  SlackUser,
} from '../../warehouse/raw/slack.ts';
import { DAY_US, HOUR_US, MINUTE_US } from './local-time.ts';
import { DEMO_DOMAIN } from './names.ts';
import {
  isWorking,
  membersAt,
  mondayOf,
  nextAtWork,
  shiftsInWeek,
  STYLES,
  teamAt,
  weekdayOf,
  type Organisation,
  type Person,
  type TeamStyle,
} from './organisation.ts';
import { regionOf } from './calendar.ts';
import type { Random } from './random.ts';

/** Where generated rows go: a `SlackBatchWriter`, or a test's list. */
export interface SlackSink {
  addUser(user: SlackUser): void;
  addConversation(conversation: SlackConversation): void;
  addMessage(message: SlackMessage): void;
}

interface Conversation {
  readonly key: string;
  readonly type: ConversationType;
  /** Sub-second part of the next `ts`: keeps every (conversation, ts) unique. */
  sequence: number;
}

interface Bot {
  readonly userKey: string | null;
  readonly botId: string;
}

/** Messages per conversation started, on average, used to turn a weekly target into starts. */
const MEAN_EPISODE_MESSAGES = 4.4;
const COUNTED_SUBTYPES = new Set([null, 'thread_broadcast', 'file_share', 'me_message']);

export class SlackGenerator {
  readonly #organisation: Organisation;
  readonly #random: Random;
  readonly #messageFactor: number;
  readonly #users: SlackUser[] = [];
  readonly #conversations: Conversation[] = [];
  readonly #general: Conversation;
  readonly #randomChannel: Conversation;
  readonly #announcements: Conversation;
  readonly #deploys: Conversation;
  readonly #incidents: Conversation;
  readonly #leads: Conversation;
  readonly #shared: Conversation;
  readonly #interest: Conversation[];
  readonly #groupChannels = new Map<string, Conversation>();
  readonly #teamChannels: Conversation[] = [];
  readonly #teamPrivate: Conversation[] = [];
  readonly #groupDms: { conversation: Conversation; members: Person[] }[][] = [];
  readonly #dms = new Map<string, Conversation>();
  readonly #dmPartners: Person[][];
  readonly #slackbotDms: Conversation[];
  readonly #deployBot: Bot;
  readonly #ciBot: Bot;
  readonly #alertBot: Bot;
  readonly #slackbot: string;
  readonly #guests: string[];
  #weekShifts: number[][] = [];
  /** Who is in the company this week, and in each group: the audiences of wide channels. */
  #everyone: Person[] = [];
  #groupMembers = new Map<string, Person[]>();
  #leaders: Person[] = [];
  #counted = 0;

  constructor(
    organisation: Organisation,
    pseudonymizer: Pseudonymizer,
    random: Random,
    ids: { next(prefix: string): string },
    customers: readonly string[],
    messageFactor: number,
  ) {
    this.#organisation = organisation;
    this.#random = random;
    this.#messageFactor = messageFactor;

    for (const person of organisation.people) {
      this.#users.push({
        userKey: person.slackKey,
        emailPersonId: person.slackHasEmail ? person.personId : null,
        timezone: person.slackZone,
        isBot: false,
        isDeleted: false,
      });
    }
    const bot = (withUser: boolean): Bot => {
      const userKey = pseudonymizer.slackUser(ids.next('U'));
      this.#users.push({
        userKey,
        emailPersonId: null,
        timezone: null,
        isBot: true,
        isDeleted: false,
      });
      return { userKey: withUser ? userKey : null, botId: ids.next('B') };
    };
    this.#deployBot = bot(true);
    this.#alertBot = bot(true);
    // Legacy integrations post with a bot id and no user.
    this.#ciBot = bot(false);
    const slackbotKey = pseudonymizer.slackUser('USLACKBOT');
    this.#users.push({
      userKey: slackbotKey,
      emailPersonId: null,
      timezone: null,
      isBot: true,
      isDeleted: false,
    });
    this.#slackbot = slackbotKey;
    // Guests without an address, and Slack Connect users from customers: they match nobody.
    this.#guests = [];
    for (let index = 0; index < 3; index++) {
      const userKey = pseudonymizer.slackUser(ids.next('U'));
      this.#users.push({
        userKey,
        emailPersonId: null,
        timezone: 'America/New_York',
        isBot: false,
        isDeleted: false,
      });
      this.#guests.push(userKey);
    }
    for (const email of customers.slice(0, 2)) {
      const userKey = pseudonymizer.slackUser(ids.next('U'));
      this.#users.push({
        userKey,
        emailPersonId: pseudonymizer.person(email),
        timezone: null,
        isBot: false,
        isDeleted: false,
      });
      this.#guests.push(userKey);
    }
    // A former employee whose account was deactivated before the period.
    this.#users.push({
      userKey: pseudonymizer.slackUser(ids.next('U')),
      emailPersonId: pseudonymizer.person(`former.colleague@${DEMO_DOMAIN}`),
      timezone: 'Europe/London',
      isBot: false,
      isDeleted: true,
    });

    const conversation = (prefix: string, type: ConversationType): Conversation => {
      const created: Conversation = {
        key: pseudonymizer.slackConversation(ids.next(prefix)),
        type,
        sequence: 0,
      };
      this.#conversations.push(created);
      return created;
    };
    this.#general = conversation('C', 'public_channel');
    this.#randomChannel = conversation('C', 'public_channel');
    this.#announcements = conversation('C', 'public_channel');
    this.#deploys = conversation('C', 'public_channel');
    this.#incidents = conversation('C', 'public_channel');
    this.#shared = conversation('C', 'public_channel');
    this.#leads = conversation('G', 'private_channel');
    this.#interest = [
      conversation('C', 'public_channel'),
      conversation('C', 'public_channel'),
      conversation('C', 'public_channel'),
    ];
    for (const group of organisation.groups)
      this.#groupChannels.set(group.path, conversation('C', 'public_channel'));
    for (const team of organisation.teams) {
      this.#teamChannels.push(conversation('C', 'public_channel'));
      // Older private channels kept their G ids; newer ones have C ids.
      this.#teamPrivate.push(conversation(team.index % 2 === 0 ? 'G' : 'C', 'private_channel'));
      const everyone = [...new Set([...team.membersBefore, ...team.membersAfter])];
      const groups: { conversation: Conversation; members: Person[] }[] = [];
      for (let count = 0; count < 2 && everyone.length >= 4; count++) {
        groups.push({
          conversation: conversation('G', 'mpim'),
          members: random.sample(everyone, random.int(3, 4)),
        });
      }
      this.#groupDms.push(groups);
    }
    this.#slackbotDms = organisation.people.map(() => conversation('D', 'im'));

    // Direct-message partners: one's manager, a handful of teammates, someone in a partner team.
    const partners = organisation.people.map(() => new Set<Person>());
    const link = (a: Person, b: Person | null): void => {
      if (!b || a === b) return;
      partners[a.index]?.add(b);
      partners[b.index]?.add(a);
    };
    for (const person of organisation.people) {
      link(person, person.managerBefore);
      link(person, person.managerAfter);
      for (const team of [person.teamBefore, person.teamAfter]) {
        if (!team) continue;
        const everyone = [...new Set([...team.membersBefore, ...team.membersAfter])];
        // Most direct conversations stay within one's region, even in a team spread worldwide.
        const nearby = everyone.filter((mate) => regionOf(mate.zone) === regionOf(person.zone));
        const sameRegion = team.style.story === 'global' ? 0.5 : 0.8;
        for (let count = random.int(3, 5); count > 0; count--) {
          link(
            person,
            random.pick(nearby.length > 1 && random.chance(sameRegion) ? nearby : everyone),
          );
        }
        const partner = team.partners[0];
        if (partner && random.chance(0.7)) link(person, random.pick(partner.membersBefore));
      }
    }
    this.#dmPartners = partners.map((set) => [...set]);
    for (const person of organisation.people) {
      for (const partner of this.#dmPartners[person.index] ?? []) {
        const pair = pairKey(person, partner);
        if (!this.#dms.has(pair)) this.#dms.set(pair, conversation('D', 'im'));
      }
    }
  }

  /** Users and conversations: written once, before any week. */
  writeDirectory(sink: SlackSink): void {
    for (const user of this.#users) sink.addUser(user);
    for (const conversation of this.#conversations) {
      sink.addConversation({ conversationKey: conversation.key, type: conversation.type });
    }
  }

  /** Generates one week; returns how many of its messages the metrics count. */
  generateWeek(sink: SlackSink, week: number): number {
    const organisation = this.#organisation;
    const random = this.#random;
    this.#counted = 0;
    this.#weekShifts = organisation.people.map((person) =>
      shiftsInWeek(person, organisation, week),
    );
    this.#everyone = organisation.people.filter((person) => person.joinWeek <= week);
    this.#groupMembers = new Map(
      organisation.groups.map((group) => [
        group.path,
        [group.head, ...group.teams.flatMap((team) => membersAt(team, organisation, week))],
      ]),
    );
    this.#leaders = [
      ...organisation.groups.map((group) => group.head),
      ...organisation.teams.map((team) => team.lead),
    ];
    for (const person of organisation.people) {
      if (person.joinWeek > week) continue;
      const style = styleOf(person, organisation, week);
      const starts = random.poisson(
        (style.messagesPerPersonWeek * this.#messageFactor) / MEAN_EPISODE_MESSAGES,
      );
      for (let index = 0; index < starts; index++) {
        const kind = random.weighted([
          ['dm', style.mix.dm],
          ['mpim', style.mix.mpim],
          ['thread', style.mix.thread],
          ['post', style.mix.post],
        ] as const);
        const start = this.#startTime(person, week, style);
        // A night shift's last hours, or an evening after it, may fall after the period's end.
        if (!this.#inPeriod(person, start)) continue;
        if (kind === 'dm') this.#directMessages(sink, person, week, start);
        else if (kind === 'mpim') this.#groupDm(sink, person, week, start);
        else this.#channelMessage(sink, person, week, start, kind === 'thread');
      }
    }
    this.#bots(sink, week);
    this.#membershipEvents(sink, week);
    this.#guestThreads(sink, week);
    return this.#counted;
  }

  // -------------------------------------------------------------------------------------------
  // Timing

  /** When a person starts a conversation: mostly at work, sometimes in the evening or at weekends. */
  #startTime(person: Person, week: number, style: TeamStyle): number {
    const random = this.#random;
    const organisation = this.#organisation;
    const shifts = this.#weekShifts[person.index] ?? [];
    if (random.chance(style.offHoursStart) || shifts.length === 0) {
      const offDays: number[] = [];
      const monday = mondayOf(organisation, week);
      for (let day = monday; day < monday + 7; day++) {
        if (!person.schedule.days.includes(weekdayOf(day))) offDays.push(day);
      }
      if ((random.chance(0.3) || shifts.length === 0) && offDays.length > 0) {
        return (
          organisation.clock.micros(
            person.zone,
            random.pick(offDays),
            random.int(10 * 60, 21 * 60),
          ) +
          random.int(0, 59) * 1_000_000
        );
      }
      if (shifts.length === 0) return NaN;
      const shift = random.pick(shifts);
      return (
        (person.shiftEnds[shift] ?? 0) +
        random.int(20, 300) * MINUTE_US +
        random.int(0, 59) * 1_000_000
      );
    }
    const shift = random.pick(shifts);
    const start = person.shiftStarts[shift] ?? 0;
    const length = (person.shiftEnds[shift] ?? 0) - start;
    return (
      start +
      Math.floor((random.next() * Math.max(0, length - 10 * MINUTE_US)) / 1_000_000) * 1_000_000
    );
  }

  /** When `responder` answers something that arrived at `after`. */
  #responseTime(responder: Person, after: number, live: boolean, week: number): number {
    const random = this.#random;
    const style = styleOf(responder, this.#organisation, week);
    const minutes = live
      ? random.logNormal(2.5, 0.8)
      : random.logNormal(style.replyMedianMinutes, 0.9);
    const candidate = after + Math.max(20, Math.round(minutes * 60)) * 1_000_000;
    const atWork = nextAtWork(responder, candidate);
    if (atWork === candidate) return candidate;
    if (random.chance(style.offHoursReply) && !isWorking(responder, candidate)) return candidate;
    if (!Number.isFinite(atWork)) return Infinity;
    return atWork + Math.round(random.logNormal(20, 0.8) * 60) * 1_000_000;
  }

  /**
   * Someone other than `except` from `people`, usually one who is at work at `instant` (whoever
   * answers first is); null when nobody else is there. Draws instead of filtering, since `people`
   * may be the whole company.
   */
  #someoneElse(people: readonly Person[], except: Person, instant: number): Person | null {
    let fallback: Person | null = null;
    for (let attempt = 0; attempt < 6; attempt++) {
      const candidate = this.#random.pick(people);
      if (candidate === except) continue;
      if (attempt < 3 && !isWorking(candidate, instant)) {
        fallback ??= candidate;
        continue;
      }
      return candidate;
    }
    return fallback ?? people.find((candidate) => candidate !== except) ?? null;
  }

  #inPeriod(person: Person, instant: number): boolean {
    return instant >= person.periodStart && instant < person.periodEnd;
  }

  // -------------------------------------------------------------------------------------------
  // Conversations

  #write(
    sink: SlackSink,
    conversation: Conversation,
    instant: number,
    userKey: string | null,
    options: {
      /** A thread's first message: Slack gives it a `thread_ts` equal to its own `ts`. */
      threadParent?: boolean;
      threadTs?: bigint;
      parentUserKey?: string | null;
      subtype?: string | null;
      botId?: string | null;
      replyCount?: number | null;
      human?: boolean;
    } = {},
  ): bigint {
    const ts = BigInt(
      Math.floor(instant / 1_000_000) * 1_000_000 + (conversation.sequence % 1_000_000),
    );
    conversation.sequence += 1;
    const subtype = options.subtype ?? null;
    sink.addMessage({
      conversationKey: conversation.key,
      ts,
      userKey,
      threadTs: options.threadParent ? ts : (options.threadTs ?? null),
      parentUserKey: options.parentUserKey ?? null,
      subtype,
      botId: options.botId ?? null,
      replyCount: options.replyCount ?? null,
      editedTs:
        options.human && this.#random.chance(0.05)
          ? ts + BigInt(this.#random.int(30, 900)) * 1_000_000n
          : null,
    });
    if (options.human && COUNTED_SUBTYPES.has(subtype)) this.#counted += 1;
    return ts;
  }

  /** Alternating runs of messages between people, each run answering the previous one. */
  #exchange(
    sink: SlackSink,
    conversation: Conversation,
    people: readonly Person[],
    first: Person,
    start: number,
    runs: number,
    week: number,
  ): void {
    const random = this.#random;
    let sender = first;
    let time = start;
    let live = false;
    for (let run = 0; run < runs; run++) {
      if (!this.#inPeriod(sender, time)) return;
      const length = random.weighted([
        [1, 60],
        [2, 28],
        [3, 12],
      ] as const);
      for (let message = 0; message < length; message++) {
        if (message > 0) time += random.int(8, 90) * 1_000_000;
        this.#write(sink, conversation, time, sender.slackKey, {
          human: true,
          subtype: random.chance(0.01) ? 'file_share' : null,
        });
      }
      const responder = this.#someoneElse(people, sender, time);
      if (!responder) return;
      const next = this.#responseTime(responder, time, live, week);
      live = next - time < 10 * MINUTE_US && random.chance(0.7);
      sender = responder;
      time = next;
    }
  }

  #directMessages(sink: SlackSink, person: Person, week: number, start: number): void {
    const partners = (this.#dmPartners[person.index] ?? []).filter(
      (partner) => partner.joinWeek <= week,
    );
    if (partners.length === 0) return;
    const partner = this.#random.pick(partners);
    const conversation = this.#dms.get(pairKey(person, partner));
    if (!conversation) return;
    this.#exchange(
      sink,
      conversation,
      [person, partner],
      person,
      start,
      this.#random.int(2, 6),
      week,
    );
  }

  #groupDm(sink: SlackSink, person: Person, week: number, start: number): void {
    const team = teamAt(person, this.#organisation, week);
    const groups = (team ? (this.#groupDms[team.index] ?? []) : []).filter((group) =>
      group.members.includes(person),
    );
    if (groups.length === 0) {
      this.#directMessages(sink, person, week, start);
      return;
    }
    const group = this.#random.pick(groups);
    const members = group.members.filter((member) => member.joinWeek <= week);
    this.#exchange(sink, group.conversation, members, person, start, this.#random.int(3, 7), week);
  }

  /** A channel the person posts in, with the people who might answer there. */
  #channelFor(
    person: Person,
    week: number,
  ): { conversation: Conversation; members: readonly Person[] } {
    const organisation = this.#organisation;
    const random = this.#random;
    const team = teamAt(person, organisation, week);
    const group = team?.group ?? person.heads;
    const choice = random.weighted([
      ['team', team ? 50 : 0],
      ['private', team ? 15 : 0],
      ['group', 15],
      ['general', 8],
      ['leads', person.role === 'member' ? 0 : 15],
      ['interest', 7],
    ] as const);
    if (team && (choice === 'team' || choice === 'private')) {
      const conversation = (choice === 'team' ? this.#teamChannels : this.#teamPrivate)[team.index];
      if (conversation) return { conversation, members: membersAt(team, organisation, week) };
    }
    if (choice === 'group' && group) {
      const conversation = this.#groupChannels.get(group.path);
      const members = this.#groupMembers.get(group.path);
      if (conversation && members) return { conversation, members };
    }
    if (choice === 'leads') return { conversation: this.#leads, members: this.#leaders };
    if (choice === 'interest')
      return { conversation: random.pick(this.#interest), members: this.#everyone };
    return {
      conversation: random.chance(0.8) ? this.#general : this.#randomChannel,
      members: this.#everyone,
    };
  }

  #channelMessage(
    sink: SlackSink,
    person: Person,
    week: number,
    start: number,
    threaded: boolean,
  ): void {
    const random = this.#random;
    const { conversation, members } = this.#channelFor(person, week);
    if (!threaded) {
      const subtype = random.weighted([
        [null, 90],
        ['file_share', 9],
        ['me_message', 1],
      ] as const);
      this.#write(sink, conversation, start, person.slackKey, { human: true, subtype });
      return;
    }
    const replyCount = random.weighted([
      [0, 20],
      [1, 25],
      [2, 20],
      [3, 15],
      [4, 10],
      [6, 10],
    ] as const);
    const replies: { sender: Person; time: number }[] = [];
    let time = start;
    let previous = person;
    for (let reply = 0; reply < replyCount; reply++) {
      const sender =
        previous !== person && random.chance(0.35)
          ? person
          : this.#someoneElse(members, person, time);
      if (!sender) break;
      time = this.#responseTime(sender, time, false, week);
      if (!this.#inPeriod(sender, time)) break;
      replies.push({ sender, time });
      previous = sender;
    }
    const latecomer = random.chance(0.12) ? this.#someoneElse(members, person, start) : null;
    if (latecomer) {
      // Someone catches up on the thread a day or more later.
      const later = nextAtWork(latecomer, start + DAY_US + random.int(0, 48 * 60) * MINUTE_US);
      const at = later + random.int(5, 240) * MINUTE_US;
      if (Number.isFinite(later) && this.#inPeriod(latecomer, at))
        replies.push({ sender: latecomer, time: at });
    }
    replies.sort((a, b) => a.time - b.time);
    const parentTs = this.#write(sink, conversation, start, person.slackKey, {
      human: true,
      threadParent: replies.length > 0,
      replyCount: replies.length > 0 ? replies.length : null,
    });
    for (const reply of replies) {
      this.#write(sink, conversation, reply.time, reply.sender.slackKey, {
        human: true,
        threadTs: parentTs,
        parentUserKey: person.slackKey,
        subtype: random.chance(0.05) ? 'thread_broadcast' : null,
      });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Messages the metrics must ignore

  #bots(sink: SlackSink, week: number): void {
    const organisation = this.#organisation;
    const random = this.#random;
    const monday = mondayOf(organisation, week);
    // Bots keep UTC office hours (07:00–19:00), inside everyone's period.
    const utcTime = (day: number): number =>
      day * DAY_US + 7 * HOUR_US + random.int(0, 12 * 3600 - 1) * 1_000_000;
    for (let day = monday; day < monday + 5; day++) {
      for (let count = random.int(4, 10); count > 0; count--) {
        this.#botMessage(sink, this.#deploys, this.#deployBot, utcTime(day));
      }
      for (const [index, channel] of this.#teamChannels.entries()) {
        if (random.chance(0.5)) this.#botMessage(sink, channel, this.#ciBot, utcTime(day) + index);
      }
      for (let count = random.int(0, 3); count > 0; count--) {
        const at = utcTime(day);
        const ts = this.#botMessage(sink, this.#incidents, this.#alertBot, at);
        if (random.chance(0.3)) {
          // A person acknowledges the alert in its thread.
          const responders = this.#onCall(week);
          if (responders.length === 0) continue;
          const responder = random.pick(responders);
          const time = nextAtWork(responder, at + random.int(2, 40) * MINUTE_US);
          if (Number.isFinite(time) && this.#inPeriod(responder, time))
            this.#write(sink, this.#incidents, time, responder.slackKey, {
              human: true,
              threadTs: ts,
              parentUserKey: this.#alertBot.userKey,
            });
        }
      }
    }
    // Now and then the CEO posts an announcement (unless on vacation all week).
    const ceo = organisation.ceo;
    const ceoShifts = this.#weekShifts[ceo.index] ?? [];
    if (ceoShifts.length > 0 && random.chance(0.5)) {
      const shift = random.pick(ceoShifts);
      const at = (ceo.shiftStarts[shift] ?? 0) + HOUR_US;
      this.#write(sink, this.#announcements, at, ceo.slackKey, { human: true });
    }
    for (const person of organisation.people) {
      if (person.joinWeek > week || !random.chance(0.1)) continue;
      const shifts = this.#weekShifts[person.index] ?? [];
      const conversation = this.#slackbotDms[person.index];
      if (shifts.length === 0 || !conversation) continue;
      const shift = random.pick(shifts);
      this.#write(
        sink,
        conversation,
        (person.shiftStarts[shift] ?? 0) + random.int(0, 120) * MINUTE_US,
        this.#slackbot,
      );
    }
  }

  /** The people who answer alerts: the first group's members (engineering in the demo). */
  #onCall(week: number): readonly Person[] {
    const group = this.#organisation.groups.find((candidate) => candidate.head.role === 'head');
    if (!group) return [];
    return group.teams.flatMap((team) => membersAt(team, this.#organisation, week));
  }

  #botMessage(sink: SlackSink, conversation: Conversation, bot: Bot, instant: number): bigint {
    return this.#write(sink, conversation, instant, bot.userKey, {
      subtype: 'bot_message',
      botId: bot.botId,
    });
  }

  /** Joins and leaves: new joiners and people who change team, and the odd interest channel. */
  #membershipEvents(sink: SlackSink, week: number): void {
    const organisation = this.#organisation;
    const random = this.#random;
    for (const person of organisation.people) {
      if (person.joinWeek > week) continue;
      const shifts = this.#weekShifts[person.index] ?? [];
      const first = shifts[0];
      if (first === undefined) continue;
      const at = (person.shiftStarts[first] ?? 0) + random.int(5, 60) * MINUTE_US;
      const event = (
        conversation: Conversation | undefined,
        subtype: string,
        offset: number,
      ): void => {
        if (conversation)
          this.#write(sink, conversation, at + offset * 1_000_000, person.slackKey, { subtype });
      };
      if (week === person.joinWeek && week > 0) {
        event(this.#general, 'channel_join', 0);
        event(this.#randomChannel, 'channel_join', 5);
        const team = person.teamAfter;
        if (team) {
          event(this.#groupChannels.get(team.group.path), 'channel_join', 10);
          event(this.#teamChannels[team.index], 'channel_join', 15);
          event(this.#teamPrivate[team.index], 'channel_join', 20);
        }
      } else if (
        week === organisation.changeWeek &&
        person.teamBefore &&
        person.teamAfter &&
        person.teamBefore !== person.teamAfter
      ) {
        event(this.#teamChannels[person.teamBefore.index], 'channel_leave', 0);
        event(this.#teamPrivate[person.teamBefore.index], 'channel_leave', 5);
        event(this.#teamChannels[person.teamAfter.index], 'channel_join', 10);
        event(this.#teamPrivate[person.teamAfter.index], 'channel_join', 15);
      }
      if (random.chance(0.02)) event(random.pick(this.#interest), 'channel_join', 30);
      else if (random.chance(0.01)) event(random.pick(this.#interest), 'channel_leave', 30);
      if (person.role === 'lead' && random.chance(0.15)) {
        const team = teamAt(person, organisation, week);
        if (team)
          event(
            this.#teamChannels[team.index],
            random.chance(0.5) ? 'channel_topic' : 'channel_purpose',
            40,
          );
      }
    }
  }

  /** Customers post in the shared channel; the sales team answers in threads. */
  #guestThreads(sink: SlackSink, week: number): void {
    const organisation = this.#organisation;
    const random = this.#random;
    const team = organisation.teams.find((candidate) => candidate.style.story === 'offHours');
    if (!team || this.#guests.length === 0) return;
    const members = membersAt(team, organisation, week);
    const monday = mondayOf(organisation, week);
    for (let count = random.int(3, 8); count > 0; count--) {
      const day = monday + random.int(0, 4);
      const at = day * DAY_US + random.int(14 * 60, 21 * 60) * MINUTE_US;
      const guest = random.pick(this.#guests);
      const responder = random.pick(members);
      const replyAt = this.#responseTime(responder, at, false, week);
      const answered =
        this.#inPeriod(responder, replyAt) &&
        at >= organisation.periodStart &&
        at < organisation.periodEnd;
      const parentTs = this.#write(sink, this.#shared, at, guest, {
        human: false,
        threadParent: answered,
        replyCount: answered ? 1 : null,
      });
      if (answered)
        this.#write(sink, this.#shared, replyAt, responder.slackKey, {
          human: true,
          threadTs: parentTs,
          parentUserKey: guest,
        });
    }
  }
}

function pairKey(a: Person, b: Person): string {
  return a.index < b.index ? `${a.index}:${b.index}` : `${b.index}:${a.index}`;
}

function styleOf(person: Person, organisation: Organisation, week: number): TeamStyle {
  return teamAt(person, organisation, week)?.style ?? STYLES.ordinary;
}
