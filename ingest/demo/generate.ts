/**
 * The deterministic demo organisation, and the same generator scaled up for the benchmark.
 *
 * Everything is written the way real imports write it: through `replaceRosterSnapshot`,
 * `CalendarBatchWriter` and `SlackBatchWriter`, with keys from the pseudonymizer, in one transaction
 * logged as an import run of source `demo`. The marts are never touched: `syncbalance build` turns
 * the demo into metrics exactly as it would real data. See docs/demo.md.
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { Warehouse } from '../../warehouse/db.ts';
import { formatDayNumber, isIsoDate, isoWeekday } from '../../warehouse/dates.ts';
import { InputError } from '../../warehouse/errors.ts';
import type { Pseudonymizer } from '../../warehouse/identity.ts';
import { CalendarBatchWriter } from '../../warehouse/raw/calendar.ts';
import { replaceRosterSnapshot, type RosterEntry } from '../../warehouse/raw/roster.ts';
import { SlackBatchWriter } from '../../warehouse/raw/slack.ts';
import type { Reporter } from '../../warehouse/reporter.ts';
import { beginRun, recordRun } from '../../warehouse/runs.ts';
import { CalendarGenerator } from './calendar.ts';
import {
  buildOrganisation,
  DEMO_PLAN,
  mondayOf,
  scaledPlan,
  teamAt,
  type Organisation,
  type OrganisationPlan,
} from './organisation.ts';
import { Random } from './random.ts';
import { SlackGenerator } from './slack.ts';

export interface DemoOptions {
  readonly seed: number;
  /** Monday (`YYYY-MM-DD`) of the last week generated: by default the last complete week. */
  readonly lastWeek: string;
  readonly weeks: number;
  readonly reporter: Reporter;
}

export interface DemoSummary {
  readonly seed: number;
  readonly people: number;
  /** Leaf teams (the groups above them are teams too, in the team tree). */
  readonly teams: number;
  readonly groups: number;
  readonly weeks: number;
  /** First Monday and last Sunday of the period. */
  readonly from: string;
  readonly to: string;
  /** Calendar events (one per copy on each owner's calendar) and their attendee rows. */
  readonly events: number;
  readonly attendees: number;
  /** Slack messages of every kind, and those the metrics count (by people, ordinary subtypes). */
  readonly messages: number;
  readonly countedMessages: number;
  readonly milliseconds: number;
}

export interface OrganisationOptions {
  readonly seed: number;
  readonly lastWeek: string;
  readonly weeks: number;
  /** About this many people (teams are filled whole). */
  readonly people: number;
  /** Meetings the metrics count (accepted, with others) per person-week, on average (default 20). */
  readonly meetingsPerPersonWeek?: number;
  /** Counted messages posted per person-week, on average (default 250). */
  readonly messagesPerPersonWeek?: number;
  /** Weeks merged per writer batch; default: about four million messages per batch. */
  readonly weeksPerBatch?: number;
  readonly reporter: Reporter;
}

/**
 * Calibration of the scaled plan (measured at 300 and 1,000 people): the meetings the metrics count
 * are about 4.5 per person-week from recurring series plus 6.8 per unit of the ad-hoc factor, and
 * counted messages about 90 per unit of the message factor.
 */
const RECURRING_MEETINGS_PER_PERSON_WEEK = 4.5;
const AD_HOC_MEETINGS_PER_FACTOR = 6.8;
const MESSAGES_PER_FACTOR = 90;
const MESSAGES_PER_BATCH = 4_000_000;

export async function generateDemo(
  db: Warehouse,
  pseudonymizer: Pseudonymizer,
  options: DemoOptions,
): Promise<DemoSummary> {
  const summary = await writeOrganisation(db, pseudonymizer, DEMO_PLAN, {
    ...options,
    meetingFactor: 1,
    messageFactor: 1,
    weeksPerBatch: options.weeks,
  });
  options.reporter.result(
    `Generated the demo organisation (seed ${summary.seed}): ${count(summary.people)} people in ` +
      `${summary.teams} teams, ${summary.weeks} weeks from ${summary.from} to ${summary.to}: ` +
      `${count(summary.events)} calendar events, ${count(summary.messages)} Slack messages`,
  );
  options.reporter.info(`Demo generated in ${(summary.milliseconds / 1000).toFixed(1)} s`);
  return summary;
}

/**
 * The demo's generator at any size, for the benchmark: the demo's kinds of team repeated to about
 * `people` people. Rows stream week by week into the writers' staging tables and are merged every
 * `weeksPerBatch` weeks, so the generator's memory stays flat however large the organisation.
 */
export async function generateOrganisation(
  db: Warehouse,
  pseudonymizer: Pseudonymizer,
  options: OrganisationOptions,
): Promise<DemoSummary> {
  if (!Number.isInteger(options.people) || options.people < 10)
    throw new InputError(`people: expected a whole number of at least 10, got ${options.people}`);
  const meetings = options.meetingsPerPersonWeek ?? 20;
  const messages = options.messagesPerPersonWeek ?? 250;
  return writeOrganisation(db, pseudonymizer, (random) => scaledPlan(random, options.people), {
    ...options,
    meetingFactor:
      Math.max(0, meetings - RECURRING_MEETINGS_PER_PERSON_WEEK) / AD_HOC_MEETINGS_PER_FACTOR,
    messageFactor: messages / MESSAGES_PER_FACTOR,
    weeksPerBatch:
      options.weeksPerBatch ??
      Math.max(1, Math.floor(MESSAGES_PER_BATCH / (options.people * messages))),
  });
}

interface WriteOptions {
  readonly seed: number;
  readonly lastWeek: string;
  readonly weeks: number;
  readonly reporter: Reporter;
  readonly meetingFactor: number;
  readonly messageFactor: number;
  readonly weeksPerBatch: number;
}

function validate(options: WriteOptions): void {
  if (!isIsoDate(options.lastWeek) || isoWeekday(options.lastWeek) !== 1)
    throw new InputError(`last week: expected a Monday as YYYY-MM-DD, got '${options.lastWeek}'`);
  if (!Number.isInteger(options.weeks) || options.weeks < 2 || options.weeks > 104)
    throw new InputError(`weeks: expected a whole number from 2 to 104, got ${options.weeks}`);
  if (!Number.isInteger(options.weeksPerBatch) || options.weeksPerBatch < 1)
    throw new InputError(
      `weeks per batch: expected a whole number of at least 1, got ${options.weeksPerBatch}`,
    );
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 2 ** 32 - 1)
    throw new InputError(`seed: expected a whole number from 0 to 4294967295, got ${options.seed}`);
}

async function writeOrganisation(
  db: Warehouse,
  pseudonymizer: Pseudonymizer,
  plan: OrganisationPlan | ((random: Random) => OrganisationPlan),
  options: WriteOptions,
): Promise<DemoSummary> {
  validate(options);
  const started = performance.now();
  const organisation = buildOrganisation(plan, pseudonymizer, options);
  const customers = Array.from({ length: 12 }, () => organisation.names.customer());
  const calendar = new CalendarGenerator(
    organisation,
    pseudonymizer,
    new Random(options.seed, 2),
    customers,
    options.meetingFactor,
  );
  const slack = new SlackGenerator(
    organisation,
    pseudonymizer,
    new Random(options.seed, 3),
    organisation.slackIds,
    customers,
    options.messageFactor,
  );
  const totals = { events: 0, attendees: 0, messages: 0, counted: 0 };

  await db.transaction(async () => {
    await refuseNonDemoData(db);
    await deleteEarlierDemo(db);
    const run = await beginRun(db, 'demo', pseudonymizer);
    for (const week of [0, organisation.changeWeek]) {
      await replaceRosterSnapshot(
        db,
        pseudonymizer,
        formatDayNumber(mondayOf(organisation, week)),
        rosterAt(organisation, week),
        run,
      );
    }
    const progress = options.reporter.progress('Generating the demo', 'weeks', options.weeks);
    for (let first = 0; first < options.weeks; first += options.weeksPerBatch) {
      const last = Math.min(options.weeks, first + options.weeksPerBatch);
      const calendarWriter = await CalendarBatchWriter.begin(db, run);
      const slackWriter = await SlackBatchWriter.begin(db, run);
      try {
        if (first === 0) {
          slack.writeDirectory(slackWriter);
          // Like an export, the demo holds every message of its period: each person's local weeks,
          // which begin up to 14 hours before and end up to 12 hours after the UTC Mondays.
          slackWriter.coverWindow({
            start: BigInt(organisation.firstMonday - 1) * 86_400_000_000n,
            end: BigInt(organisation.firstMonday + 7 * options.weeks + 1) * 86_400_000_000n,
          });
        }
        calendar.coverWeeks(calendarWriter, first, last);
        for (let week = first; week < last; week++) {
          calendar.generateWeek(calendarWriter, week);
          totals.counted += slack.generateWeek(slackWriter, week);
          progress.advance();
        }
      } catch (error) {
        await calendarWriter.abandon();
        await slackWriter.abandon();
        throw error;
      }
      const calendarCounts = await calendarWriter.finish();
      const slackCounts = await slackWriter.finish();
      totals.events += calendarCounts.events;
      totals.attendees += calendarCounts.attendees;
      totals.messages += slackCounts.messages;
    }
    progress.done();
    await recordRun(db, run, {
      seed: options.seed,
      weeks: options.weeks,
      last_week: options.lastWeek,
      people: organisation.people.length,
      teams: organisation.teams.length,
      events: totals.events,
      messages: totals.messages,
    });
  });

  return {
    seed: options.seed,
    people: organisation.people.length,
    teams: organisation.teams.length,
    groups: organisation.groups.length,
    weeks: options.weeks,
    from: formatDayNumber(organisation.firstMonday),
    to: formatDayNumber(organisation.lastMonday + 6),
    events: totals.events,
    attendees: totals.attendees,
    messages: totals.messages,
    countedMessages: totals.counted,
    milliseconds: Math.round(performance.now() - started),
  };
}

/** The roster as HR would export it on the Monday of `week`. */
function rosterAt(organisation: Organisation, week: number): RosterEntry[] {
  const entries: RosterEntry[] = [];
  for (const person of organisation.people) {
    if (person.joinWeek > week) continue;
    const teamPath = teamAt(person, organisation, week)?.path ?? person.heads?.path;
    if (teamPath === undefined) continue;
    const manager = week < organisation.changeWeek ? person.managerBefore : person.managerAfter;
    entries.push({
      email: person.email,
      teamPath,
      managerEmail: manager?.email ?? null,
      timezone: person.rosterTimezone,
      workDays: person.rosterDays,
      workStartMinutes: person.rosterHours?.start ?? null,
      workEndMinutes: person.rosterHours?.end ?? null,
      slackUserId: person.rosterSlackId ? person.slackUserId : null,
    });
  }
  return entries;
}

/** The demo never mixes with real data: its people and metrics would blend into real teams. */
async function refuseNonDemoData(db: Warehouse): Promise<void> {
  const rows = await db.parse(
    z.object({ source: z.string() }),
    `SELECT DISTINCT source FROM (
       SELECT source FROM meta.import_runs
       UNION ALL SELECT coalesce(r.source, 'roster') FROM raw.roster_snapshots AS s
                 LEFT JOIN meta.import_runs AS r USING (run_id)
       UNION ALL SELECT source FROM raw.calendar_events
       UNION ALL SELECT source FROM raw.calendar_coverage
       UNION ALL SELECT source FROM raw.calendar_settings
       UNION ALL SELECT source FROM raw.slack_users
       UNION ALL SELECT source FROM raw.slack_conversations
       UNION ALL SELECT source FROM raw.slack_messages
       UNION ALL SELECT source FROM raw.slack_coverage
     ) WHERE source <> 'demo'
     ORDER BY source`,
  );
  if (rows.length === 0) return;
  const sources = rows.map((row) => row.source).join(', ');
  throw new InputError(
    `the warehouse ${db.path} already holds imported data (${sources}); the demo is only generated into a warehouse of its own: use --db with another file, such as --db data/demo.duckdb`,
  );
}

/** Earlier demo rows go first, so a re-run replaces the demo instead of adding to it. */
async function deleteEarlierDemo(db: Warehouse): Promise<void> {
  await db.run(
    `DELETE FROM raw.calendar_attendees AS a USING raw.calendar_events AS e
     WHERE e.source = 'demo' AND a.owner_id = e.owner_id AND a.event_key = e.event_key
       AND a.recurrence_key = e.recurrence_key`,
  );
  for (const table of [
    'raw.calendar_events',
    'raw.calendar_coverage',
    'raw.calendar_settings',
    'raw.slack_messages',
    'raw.slack_users',
    'raw.slack_conversations',
    'raw.slack_coverage',
  ]) {
    await db.run(`DELETE FROM ${table} WHERE source = 'demo'`);
  }
  const demoSnapshots = `SELECT s.as_of FROM raw.roster_snapshots AS s
    JOIN meta.import_runs AS r USING (run_id) WHERE r.source = 'demo'`;
  await db.run(`DELETE FROM raw.roster_people WHERE as_of IN (${demoSnapshots})`);
  await db.run(`DELETE FROM raw.roster_snapshots WHERE as_of IN (${demoSnapshots})`);
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
