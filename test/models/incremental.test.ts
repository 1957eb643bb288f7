/**
 * Incremental builds equal full builds: after a week of raw data is added, deleted or re-added,
 * every table of the intermediate and marts schemas after an incremental build is compared with a
 * full build of the same data, row for row (doubles within 1e-9 relative: two full builds already
 * differ in the last bits of some parallel sums).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateOrganisation } from '../../ingest/demo/generate.ts';
import { buildModels, type BuildOptions, type BuildResult } from '../../warehouse/build.ts';
import { RuntimeFailure } from '../../warehouse/errors.ts';
import { defaultConfig, type Config } from '../../warehouse/config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import {
  copyModelTables,
  modelTableDifferences,
  restorePeriod,
  withholdPeriod,
} from '../helpers/model-tables.ts';
import { tempDir, tempWarehouse, testPseudonymizer } from '../helpers/warehouse.ts';

const LAST_WEEK = '2026-11-09';
/** The demo's kinds of team at a few dozen people, with fewer meetings and messages: fast. */
async function smallOrganisation(db: Warehouse, weeks: number): Promise<void> {
  await generateOrganisation(db, testPseudonymizer, {
    seed: 11,
    lastWeek: LAST_WEEK,
    weeks,
    people: 20,
    meetingsPerPersonWeek: 8,
    messagesPerPersonWeek: 60,
    reporter: silentReporter,
  });
}

/** Builds incrementally, then compares every model table with a full build of the same data. */
async function expectIncrementalEqualsFull(db: Warehouse, config: Config): Promise<BuildResult> {
  const incremental = await buildModels(db, config, { reporter: silentReporter });
  await copyModelTables(db);
  const full = await buildModels(db, config, { full: true, reporter: silentReporter });
  expect(full.mode).toEqual({ kind: 'full', reason: '--full' });
  expect(await modelTableDifferences(db)).toEqual({});
  return incremental;
}

function weeksOf(result: BuildResult): readonly string[] {
  if (result.mode?.kind !== 'incremental')
    throw new Error(`not incremental: ${JSON.stringify(result.mode)}`);
  return result.mode.weeks;
}

/** Adds a copy of one of a person's meetings (with its attendees) at another time, as `type`. */
async function copyEvent(
  db: Warehouse,
  original: { person_id: string; event_key: string; recurrence_key: string },
  copy: { key: string; from: string; to: string; type: string },
): Promise<void> {
  const of = `owner_id = '${original.person_id}' AND event_key = '${original.event_key}' AND recurrence_key = '${original.recurrence_key}'`;
  await db.run(
    `INSERT INTO raw.calendar_events BY NAME
     SELECT * REPLACE ('${copy.key}' AS event_key, TIMESTAMPTZ '${copy.from}' AS start_at, TIMESTAMPTZ '${copy.to}' AS end_at, '${copy.type}' AS event_type)
     FROM raw.calendar_events WHERE ${of}`,
  );
  await db.run(
    `INSERT INTO raw.calendar_attendees BY NAME
     SELECT * REPLACE ('${copy.key}' AS event_key) FROM raw.calendar_attendees WHERE ${of}`,
  );
}

/** The first timed event of the warehouse, whose key the tests repeat. */
const FIRST_TIMED_EVENT = `SELECT * FROM raw.calendar_events WHERE NOT is_all_day ORDER BY start_at, owner_id, event_key LIMIT 1`;
const REPEATED_EVENT_KEY =
  'stg_calendar__events: unique key (owner_id, event_key, recurrence_key) (1 rows)';

/** The failed checks of a build that must fail them. */
async function checkFailures(
  db: Warehouse,
  config: Config,
  options: BuildOptions = {},
): Promise<readonly string[]> {
  const failure: unknown = await buildModels(db, config, {
    reporter: silentReporter,
    ...options,
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure, 'the incremental build should fail its checks').toBeInstanceOf(RuntimeFailure);
  return (failure as RuntimeFailure).details;
}

describe('incremental builds', () => {
  it('equal full builds after a week is added, deleted and re-added', async () => {
    const db = await tempWarehouse();
    const config = defaultConfig();
    await smallOrganisation(db, 4);
    // Cut on Sunday evening UTC, which is Monday in Asia-Pacific and still Sunday in the Americas,
    // so a changed UTC week reaches the local weeks either side of it.
    await withholdPeriod(db, '2026-11-08 20:00:00+00', '2026-11-17 00:00:00+00');
    const first = await buildModels(db, config, { reporter: silentReporter });
    expect(first.mode).toEqual({ kind: 'full', reason: 'no record of a previous complete build' });

    // Nothing changed: nothing is rebuilt partially, and the marts stay equal.
    expect(weeksOf(await expectIncrementalEqualsFull(db, config))).toEqual([]);

    // A new week arrives.
    await restorePeriod(db);
    const added = await expectIncrementalEqualsFull(db, config);
    expect(weeksOf(added)).toContain(LAST_WEEK);
    expect(weeksOf(added)).not.toContain('2026-10-19');
    expect(added.models.filter((model) => model.partial).map((model) => model.model)).toContain(
      'int_person_week_messages',
    );

    // A week in the middle is deleted (a re-import replacing it with nothing), then re-added.
    await withholdPeriod(db, '2026-10-25 20:00:00+00', '2026-11-01 20:00:00+00');
    await db.run(`DELETE FROM raw.calendar_coverage; DELETE FROM raw.slack_coverage`);
    await db.run(`INSERT INTO raw.calendar_coverage SELECT * FROM stash.calendar_coverage`);
    await db.run(`INSERT INTO raw.slack_coverage SELECT * FROM stash.slack_coverage`);
    expect(weeksOf(await expectIncrementalEqualsFull(db, config))).toContain('2026-10-26');
    await restorePeriod(db);
    expect(weeksOf(await expectIncrementalEqualsFull(db, config))).toContain('2026-10-26');
  }, 300_000);

  it('leave the DuckDB settings of the connection as they found them', async () => {
    const db = await tempWarehouse();
    const config = defaultConfig();
    await smallOrganisation(db, 3);
    await withholdPeriod(db, '2026-11-08 20:00:00+00', '2026-11-17 00:00:00+00');
    const settings = async () =>
      db.one(
        `SELECT current_setting('preserve_insertion_order') AS keep_order,
                current_setting('disabled_optimizers')::VARCHAR AS disabled`,
      );
    const before = await settings();
    const during: unknown[] = [];
    const build = (full: boolean) =>
      buildModels(db, config, {
        full,
        reporter: silentReporter,
        beforeCommit: async () => void during.push(await settings()),
      });
    await build(true);
    await restorePeriod(db);
    expect((await build(false)).mode?.kind).toBe('incremental');
    expect(during).toEqual(
      Array(2).fill({ keep_order: false, disabled: 'join_order,build_side_probe_side' }),
    );
    expect(await settings()).toEqual(before);
  }, 120_000);

  it('do not rebuild the week before a day in the middle of a week', async () => {
    const db = await tempWarehouse();
    const config = defaultConfig();
    await smallOrganisation(db, 4);
    // Wednesday's daytime in UTC is Wednesday in every zone: one local week holds it.
    await withholdPeriod(db, '2026-10-28 06:00:00+00', '2026-10-28 18:00:00+00');
    await db.run(`DELETE FROM raw.calendar_coverage; DELETE FROM raw.slack_coverage`);
    await db.run(`INSERT INTO raw.calendar_coverage SELECT * FROM stash.calendar_coverage`);
    await db.run(`INSERT INTO raw.slack_coverage SELECT * FROM stash.slack_coverage`);
    await buildModels(db, config, { reporter: silentReporter, skipChecks: true });
    await restorePeriod(db);
    // Later weeks can follow (running totals of working time, a stream's next run), earlier not.
    const weeks = weeksOf(await expectIncrementalEqualsFull(db, config));
    expect(weeks[0]).toBe('2026-10-26');
  }, 120_000);

  it('equal full builds when a run began long before the weeks rebuilt, or stops beginning there', async () => {
    const db = await tempWarehouse();
    const config = defaultConfig();
    await smallOrganisation(db, 4);
    await buildModels(db, config, { reporter: silentReporter, skipChecks: true });
    const people = await db.parse(
      z.object({ user_key: z.string(), person_id: z.string() }),
      `SELECT user_key, person_id FROM intermediate.int_slack_identities
       WHERE person_id IS NOT NULL ORDER BY person_id LIMIT 2`,
    );
    const [asker, answerer] = people;
    if (asker === undefined || answerer === undefined) throw new Error('no two people on Slack');
    // A DM in which the asker writes on 13 October and again four weeks later, answered two
    // hours after that: one run from 13 October, so its answer is 28 days late, past the 7-day
    // cap, and no response. The same in a second DM whose asker is an account missing from the
    // account list: its run, too, began long before, under the number it gets in the rebuild.
    const unlisted = 'account-nobody-listed';
    await db.run(
      `INSERT INTO raw.slack_conversations
       SELECT dms.conversation_key, 'im', listed.source, listed.run_id
       FROM (SELECT * FROM raw.slack_conversations LIMIT 1) AS listed,
         (VALUES ('idle-dm'), ('unlisted-dm')) AS dms(conversation_key)`,
    );
    const message = (at: string, user: string, conversation = 'idle-dm'): string =>
      `INSERT INTO raw.slack_messages BY NAME
       SELECT '${conversation}' AS conversation_key, TIMESTAMPTZ '${at}' AS ts, '${user}' AS user_key, source, run_id
       FROM raw.slack_messages LIMIT 1`;
    // (Weeks before the one holding the first instant the rebuild reads: the message before the
    // run is found among the streams' last messages per week, int_stream_tails.)
    await db.run(message('2026-10-13 10:00:00+00', asker.user_key));
    await db.run(message('2026-10-13 10:00:00+00', unlisted, 'unlisted-dm'));
    await buildModels(db, config, { reporter: silentReporter });

    await db.run(message('2026-11-10 10:00:00+00', asker.user_key));
    await db.run(message('2026-11-10 12:00:00+00', answerer.user_key));
    await db.run(message('2026-11-10 10:00:00+00', unlisted, 'unlisted-dm'));
    await db.run(message('2026-11-10 12:00:00+00', answerer.user_key, 'unlisted-dm'));
    const added = await expectIncrementalEqualsFull(db, config);
    expect(weeksOf(added)).not.toContain('2026-10-19');
    const answers = `SELECT person_id, latency_wall_minutes FROM intermediate.int_responses
      WHERE conversation_key IN ('idle-dm', 'unlisted-dm') ORDER BY conversation_key`;
    expect(await db.all(answers)).toEqual([]);

    // The first message is deleted (a re-import of October): the run now begins on 10 November,
    // four weeks after it, and the answer is a response after all.
    await db.run(
      `DELETE FROM raw.slack_messages
       WHERE conversation_key IN ('idle-dm', 'unlisted-dm') AND ts < '2026-11-01'`,
    );
    const deleted = await expectIncrementalEqualsFull(db, config);
    expect(weeksOf(deleted)).toContain(LAST_WEEK);
    expect(await db.all(answers)).toEqual([
      { person_id: answerer.person_id, latency_wall_minutes: 120 },
      { person_id: answerer.person_id, latency_wall_minutes: 120 },
    ]);
  }, 120_000);

  it('equal full builds when meetings merge or double-book across the edge of the weeks rebuilt', async () => {
    const db = await tempWarehouse();
    const config = defaultConfig();
    await smallOrganisation(db, 4);
    await buildModels(db, config, { reporter: silentReporter, skipChecks: true });
    const [meeting] = await db.parse(
      z.object({ person_id: z.string(), event_key: z.string(), recurrence_key: z.string() }),
      `SELECT person_id, event_key, recurrence_key FROM intermediate.int_meetings
       ORDER BY person_id, start_at LIMIT 1`,
    );
    if (meeting === undefined) throw new Error('no meeting');
    // Copies of one of the person's meetings (with its attendees) at other times.
    const copy = (key: string, from: string, to: string, type = 'default') =>
      copyEvent(db, meeting, { key, from, to, type });
    // A change in the UTC week of 9 November rebuilds from 1 November 00:00 UTC (a day before the
    // week before). Around that instant: a meeting ending on it while two others run on, so a
    // double-booked stretch starts on it (found only by reading meetings before the period), and
    // a meeting starting hours before, which merges with them into one island reaching back
    // before the period (rebuilt whole, from the meetings over its hull).
    await copy('edge-early', '2026-10-31 16:00:00+00', '2026-10-31 22:30:00+00');
    await copy('edge-ending', '2026-10-31 22:00:00+00', '2026-11-01 00:00:00+00');
    await copy('edge-long', '2026-10-31 23:00:00+00', '2026-11-01 02:00:00+00');
    await copy('edge-short', '2026-10-31 23:30:00+00', '2026-11-01 01:00:00+00');
    // Out-of-office time chained from weeks before the period up to the new week: an island that
    // new time away will extend, starting weeks before with time no interval in the period reaches.
    await copy('away-first', '2026-10-10 00:00:00+00', '2026-10-21 00:00:00+00', 'outOfOffice');
    await copy('away-then', '2026-10-20 00:00:00+00', '2026-11-03 00:00:00+00', 'outOfOffice');
    await copy('away-on', '2026-11-02 00:00:00+00', '2026-11-10 00:00:00+00', 'outOfOffice');
    await buildModels(db, config, { reporter: silentReporter });

    await copy('new-week', '2026-11-10 09:00:00+00', '2026-11-10 10:00:00+00');
    const added = await expectIncrementalEqualsFull(db, config);
    expect(weeksOf(added)[0]).toBe('2026-11-02');
    const person = `person_id = '${meeting.person_id}'`;
    expect(
      await db.all(
        `SELECT start_at::VARCHAR AS start_at, end_at::VARCHAR AS end_at FROM intermediate.int_interval_unions
         WHERE ${person} AND kind = 'meeting' AND start_at <= '2026-11-01 00:00:00+00' AND end_at >= '2026-11-01 00:00:00+00'`,
      ),
    ).toEqual([{ start_at: '2026-10-31 16:00:00+00', end_at: '2026-11-01 02:00:00+00' }]);
    expect(
      await db.all(
        `SELECT meetings_at_once::INTEGER AS meetings_at_once FROM intermediate.int_meeting_conflicts
         WHERE ${person} AND start_at = '2026-11-01 00:00:00+00'`,
      ),
    ).toEqual([{ meetings_at_once: 2 }]);

    // More time away in the new week extends the island that began on 10 October.
    await copy('away-more', '2026-11-09 12:00:00+00', '2026-11-12 00:00:00+00', 'outOfOffice');
    await expectIncrementalEqualsFull(db, config);
    expect(
      await db.all(
        `SELECT start_at::VARCHAR AS start_at, end_at::VARCHAR AS end_at FROM intermediate.int_interval_unions
         WHERE ${person} AND kind = 'out_of_office' AND start_at < '2026-11-12' AND end_at > '2026-10-10'`,
      ),
    ).toEqual([{ start_at: '2026-10-10 00:00:00+00', end_at: '2026-11-12 00:00:00+00' }]);
  }, 120_000);

  it('equal full builds when the timeline changes after the weeks rebuilt, or from long before them', async () => {
    const db = await tempWarehouse();
    const config = defaultConfig();
    await smallOrganisation(db, 4);
    await buildModels(db, config, { reporter: silentReporter, skipChecks: true });
    const [away, leaver, nightWorker] = await db.parse(
      z.object({ person_id: z.string(), event_key: z.string(), recurrence_key: z.string() }),
      `SELECT person_id, arg_min(event_key, start_at) AS event_key, arg_min(recurrence_key, start_at) AS recurrence_key
       FROM intermediate.int_meetings
       WHERE person_id IN (SELECT person_id FROM raw.roster_people WHERE as_of = DATE '2026-10-19')
       GROUP BY person_id ORDER BY person_id LIMIT 3`,
    );
    if (away === undefined || leaver === undefined || nightWorker === undefined)
      throw new Error('no three people with meetings');
    // Night shifts every day in UTC: Saturday's runs into Sunday 00:00 UTC, the first instant the
    // shifts can have changed at when 26 October is the first week rebuilt.
    await db.run(
      `UPDATE raw.roster_people SET work_days = [1, 2, 3, 4, 5, 6, 7], work_start = TIME '20:00', work_end = TIME '04:00', timezone = 'UTC'
       WHERE person_id = '${nightWorker.person_id}'`,
    );
    const timeAway = (key: string, from: string, to: string) =>
      copyEvent(db, away, { key, from, to, type: 'outOfOffice' });
    // A week away (2 November, in any zone): its timeline carries the last shift before it.
    await timeAway('away-week', '2026-11-01 12:00:00+00', '2026-11-08 12:00:00+00');
    // The leaver is off the roster from 26 October and back from 9 November, a week whose data
    // has not arrived: their time after 19 October's week is a segment without a week or an end.
    // (The demo's roster has snapshots of 19 October and 2 November.)
    const snapshot = async (asOf: string, copied: string, without: string): Promise<void> => {
      await db.run(
        `INSERT INTO raw.roster_people BY NAME
         SELECT * REPLACE (DATE '${asOf}' AS as_of) FROM raw.roster_people
         WHERE as_of = DATE '${copied}' AND person_id <> '${without}'`,
      );
      await db.run(
        `INSERT INTO raw.roster_snapshots BY NAME
         SELECT * REPLACE (DATE '${asOf}' AS as_of,
                (SELECT count(*) FROM raw.roster_people WHERE as_of = DATE '${asOf}')::INTEGER AS people)
         FROM raw.roster_snapshots WHERE as_of = DATE '${copied}'`,
      );
    };
    await snapshot('2026-11-09', '2026-11-02', '');
    await snapshot('2026-10-26', '2026-10-19', leaver.person_id);
    await db.run(
      `DELETE FROM raw.roster_people WHERE as_of = DATE '2026-11-02' AND person_id = '${leaver.person_id}'`,
    );
    await db.run(
      `UPDATE raw.roster_snapshots SET people = people - 1 WHERE as_of = DATE '2026-11-02'`,
    );
    // From before Monday 9 November in every zone: that week is not reported yet.
    await withholdPeriod(db, '2026-11-08 10:00:00+00', '2026-11-17 00:00:00+00');
    await buildModels(db, config, { reporter: silentReporter });
    const outside = `SELECT count(*)::INTEGER AS n FROM intermediate.int_person_timeline
      WHERE person_id = '${leaver.person_id}' AND week_start IS NULL AND segment_end_at > TIMESTAMPTZ '2026-10-26'`;
    expect(await db.one(outside)).toEqual({ n: 0 });

    // The last working day before the week away is taken off (a change in the week of 26
    // October, which the week away carries), and the week of 9 November arrives (a change that
    // ends the leaver's segment begun a fortnight before).
    await timeAway('away-friday', '2026-10-29 18:00:00+00', '2026-10-31 06:00:00+00');
    await restorePeriod(db);
    const changed = await expectIncrementalEqualsFull(db, config);
    expect(weeksOf(changed)).toEqual(expect.arrayContaining(['2026-10-26', '2026-11-02']));
    expect(
      await db.one(
        `SELECT count(*)::INTEGER AS n FROM intermediate.int_working_time WHERE person_id = '${nightWorker.person_id}'
         AND shift_start_at = TIMESTAMPTZ '2026-10-24 20:00:00+00' AND shift_end_at = TIMESTAMPTZ '2026-10-25 04:00:00+00'`,
      ),
    ).toEqual({ n: 1 });
    // Both recomputed from the earliest change of what they read, not in full.
    expect(
      changed.models
        .filter((model) => ['int_working_time', 'int_person_timeline'].includes(model.model))
        .map((model) => model.partial),
    ).toEqual([true, true]);
    const segments = (person: string, from: string, to: string) =>
      db.parse(
        z.object({
          start_at: z.string(),
          end_at: z.string(),
          outside: z.boolean(),
          shift: z.string().nullable(),
        }),
        `SELECT DISTINCT segment_start_at::VARCHAR AS start_at, segment_end_at::VARCHAR AS end_at,
                week_start IS NULL AS outside, shift_start_at::VARCHAR AS shift
         FROM intermediate.int_person_timeline
         WHERE person_id = '${person}' AND segment_start_at >= TIMESTAMPTZ '${from}' AND segment_start_at < TIMESTAMPTZ '${to}'
         ORDER BY start_at`,
      );
    // The week away has one segment, carrying the shift before the day taken off.
    const [lastShift] = await db.parse(
      z.object({ shift: z.string() }),
      `SELECT max(shift_start_at)::VARCHAR AS shift FROM intermediate.int_working_time
       WHERE person_id = '${away.person_id}' AND shift_start_at < TIMESTAMPTZ '2026-11-01 12:00:00+00'`,
    );
    expect(
      await db.one(
        `SELECT count(*)::INTEGER AS n FROM intermediate.int_working_time
         WHERE person_id = '${away.person_id}' AND shift_date BETWEEN DATE '2026-10-30' AND DATE '2026-11-08'`,
      ),
    ).toEqual({ n: 0 });
    expect((await segments(away.person_id, '2026-11-01', '2026-11-09'))[0]).toMatchObject({
      outside: false,
      shift: lastShift?.shift,
    });
    // The leaver's time off the roster is one segment, from the end of their week of 19 October
    // to the start of their week of 9 November.
    const [gap, ...more] = (await segments(leaver.person_id, '2026-10-24', '2026-11-10')).filter(
      (segment) => segment.outside,
    );
    expect(more).toEqual([]);
    expect(gap?.start_at.slice(0, 10)).toMatch(/^2026-10-2[56]$/);
    expect(gap?.end_at.slice(0, 10)).toMatch(/^2026-11-0[89]$/);
  }, 120_000);

  it('checks the rows new data brings, whichever week their key collides in', async () => {
    const db = await tempWarehouse();
    await smallOrganisation(db, 3);
    const config = defaultConfig();
    await buildModels(db, config, { reporter: silentReporter });
    const failuresOf = () => checkFailures(db, config);
    const newest = `SELECT * FROM raw.slack_messages ORDER BY ts DESC, conversation_key LIMIT 1`;
    await db.run(`CREATE TABLE stash_message AS ${newest}`);
    await db.run(`INSERT INTO raw.slack_messages ${newest}`);
    expect(await failuresOf()).toContain(
      'stg_slack__messages: unique key (conversation_key, sent_at) (1 rows)',
    );
    await db.run(
      `DELETE FROM raw.slack_messages WHERE (conversation_key, ts) IN (SELECT (conversation_key, ts) FROM stash_message)`,
    );
    await db.run(`INSERT INTO raw.slack_messages SELECT * FROM stash_message`);

    // A new attendee row repeating one of an event in the new week (a view `within` events).
    const attendee = `SELECT a.* FROM raw.calendar_attendees AS a JOIN raw.calendar_events USING (owner_id, event_key, recurrence_key)
      WHERE start_at >= TIMESTAMPTZ '${LAST_WEEK} 00:00:00+00' ORDER BY ALL LIMIT 1`;
    await db.run(`CREATE TABLE stash_attendee AS ${attendee}`);
    await db.run(`INSERT INTO raw.calendar_attendees ${attendee}`);
    expect(await failuresOf()).toContain(
      'stg_calendar__attendees: unique key (owner_id, event_key, recurrence_key, attendee_id) (1 rows)',
    );
    await db.run(
      `DELETE FROM raw.calendar_attendees WHERE (owner_id, event_key, recurrence_key, attendee_id) IN (SELECT (owner_id, event_key, recurrence_key, attendee_id) FROM stash_attendee)`,
    );
    await db.run(`INSERT INTO raw.calendar_attendees SELECT * FROM stash_attendee`);
    expect((await buildModels(db, config, { reporter: silentReporter })).mode).toMatchObject({
      kind: 'incremental',
    });

    // A new all-day event (no instant) taking the key of a timed event weeks earlier.
    await db.run(
      `INSERT INTO raw.calendar_events BY NAME
       SELECT * REPLACE (NULL::TIMESTAMPTZ AS start_at, NULL::TIMESTAMPTZ AS end_at, true AS is_all_day),
              DATE '${LAST_WEEK}' + 2 AS start_date, DATE '${LAST_WEEK}' + 3 AS end_date
       FROM (SELECT * EXCLUDE (start_date, end_date) FROM (${FIRST_TIMED_EVENT}))`,
    );
    expect(await failuresOf()).toContain(REPEATED_EVENT_KEY);
  }, 120_000);

  it('checks an all-day event when the days it spans changed, not in every build', async () => {
    const db = await tempWarehouse();
    await smallOrganisation(db, 3);
    const config = defaultConfig();
    // An all-day copy of the first timed event, with its key.
    const addAllDay = (day: string) =>
      db.run(
        `INSERT INTO raw.calendar_events BY NAME
         SELECT * REPLACE (NULL::TIMESTAMPTZ AS start_at, NULL::TIMESTAMPTZ AS end_at, true AS is_all_day),
                DATE '${day}' AS start_date, DATE '${day}' + 1 AS end_date
         FROM (SELECT * EXCLUDE (start_date, end_date) FROM (${FIRST_TIMED_EVENT}))`,
      );
    // Weeks back, let through by a build without checks.
    await addAllDay('2026-10-28');
    await buildModels(db, config, { reporter: silentReporter, skipChecks: true });
    // A new message in the last week: the all-day event weeks back is not checked again.
    await db.run(
      `INSERT INTO raw.slack_messages
       SELECT * REPLACE (ts + INTERVAL 1 MINUTE AS ts) FROM raw.slack_messages ORDER BY ts DESC, conversation_key LIMIT 1`,
    );
    expect(weeksOf(await buildModels(db, config, { reporter: silentReporter }))).not.toContain(
      '2026-10-26',
    );
    // One in the last week is, and the key it repeats with it.
    await addAllDay(LAST_WEEK);
    expect(await checkFailures(db, config)).toContain(REPEATED_EVENT_KEY);
  }, 120_000);

  it('checks an event dated outside the plausible years when it changes', async () => {
    const db = await tempWarehouse();
    await smallOrganisation(db, 3);
    const config = defaultConfig();
    await buildModels(db, config, { reporter: silentReporter });
    // A copy of the first timed event, with its key: its fingerprint is clamped to the first or
    // the last plausible day, so that one absurd date cannot spread over millions of weeks.
    const addRepeat = (from: string, to: string) =>
      db.run(
        `INSERT INTO raw.calendar_events BY NAME
         SELECT * REPLACE (TIMESTAMPTZ '${from}' AS start_at, TIMESTAMPTZ '${to}' AS end_at)
         FROM (${FIRST_TIMED_EVENT})`,
      );
    const removeRepeat = (from: string) =>
      db.run(`DELETE FROM raw.calendar_events WHERE start_at = TIMESTAMPTZ '${from}'`);
    await addRepeat('1900-03-01 09:00:00+00', '1900-03-01 10:00:00+00');
    expect(await checkFailures(db, config)).toContain(REPEATED_EVENT_KEY);
    await removeRepeat('1900-03-01 09:00:00+00');
    await addRepeat('2099-03-01 09:00:00+00', '2099-03-01 10:00:00+00');
    expect(await checkFailures(db, config)).toContain(REPEATED_EVENT_KEY);
    await removeRepeat('2099-03-01 09:00:00+00');
    expect((await buildModels(db, config, { reporter: silentReporter })).mode).toMatchObject({
      kind: 'incremental',
    });
  }, 120_000);

  it('checks the rows that models rebuilt in full changed in, as their fingerprints tell', async () => {
    const db = await tempWarehouse();
    await smallOrganisation(db, 3);
    const config = defaultConfig();
    // Invariants that only the new week breaks, one on a week-keyed model and one on an
    // instant-keyed one: only checks of the rows that changed can see them.
    const modelsDirectory = tempDir();
    cpSync(fileURLToPath(new URL('../../warehouse/models', import.meta.url)), modelsDirectory, {
      recursive: true,
    });
    const addExpression = (model: string, expression: string): void => {
      const file = join(modelsDirectory, 'intermediate', `${model}.yml`);
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('expressions:\n', `expressions:\n  - ${expression}\n`),
      );
    };
    addExpression('int_person_weeks', `week_start < DATE '${LAST_WEEK}'`);
    addExpression(
      'int_person_timeline',
      `segment_start_at < TIMESTAMPTZ '${LAST_WEEK} 00:00:00+00'`,
    );
    await withholdPeriod(db, '2026-11-07 00:00:00+00', '2026-11-17 00:00:00+00');
    await buildModels(db, config, { reporter: silentReporter, modelsDirectory });
    await restorePeriod(db);
    const failures = await checkFailures(db, config, { modelsDirectory });
    expect(failures.map((line) => line.replace(/ \(\d+ rows\)$/, ''))).toEqual([
      `int_person_weeks: week_start < DATE '${LAST_WEEK}'`,
      `int_person_timeline: segment_start_at < TIMESTAMPTZ '${LAST_WEEK} 00:00:00+00'`,
    ]);
  }, 120_000);

  it('builds in full when the settings, the roster or the flag say so', async () => {
    const db = await tempWarehouse();
    await smallOrganisation(db, 2);
    const config = defaultConfig();
    await buildModels(db, config, { reporter: silentReporter, skipChecks: true });
    const changed = { ...config, minGroupSize: config.minGroupSize + 1 };
    const settings = await buildModels(db, changed, { skipChecks: true });
    expect(settings.mode).toMatchObject({ kind: 'full' });
    expect(settings.mode?.kind === 'full' ? settings.mode.reason : '').toContain('minGroupSize');
    expect((await buildModels(db, changed, { skipChecks: true })).mode).toEqual({
      kind: 'incremental',
      weeks: [],
    });
    expect((await buildModels(db, changed, { skipChecks: true, full: true })).mode).toEqual({
      kind: 'full',
      reason: '--full',
    });
    await db.run(
      `UPDATE raw.roster_people SET team_path = team_path || '/Moved' WHERE person_id = (SELECT min(person_id) FROM raw.roster_people)`,
    );
    expect((await buildModels(db, changed, { skipChecks: true })).mode).toEqual({
      kind: 'full',
      reason: 'raw.roster_people changed',
    });
    // A --select build leaves no record, so the next build is full. Tables and views of models
    // that no longer exist (renamed by an upgrade) outlive a --select build, not a complete one.
    await db.run(`CREATE TABLE intermediate.int_retired AS SELECT 1 AS x`);
    await db.run(`CREATE VIEW marts.retired AS SELECT 1 AS x`);
    const retired = `SELECT count(*)::INTEGER AS n FROM information_schema.tables
      WHERE (table_schema, table_name) IN (('intermediate', 'int_retired'), ('marts', 'retired'))`;
    await buildModels(db, changed, { skipChecks: true, select: ['teams'] });
    expect(await db.one(retired)).toEqual({ n: 2 });
    expect((await buildModels(db, changed, { skipChecks: true })).mode).toMatchObject({
      kind: 'full',
      reason: 'no record of a previous complete build',
    });
    expect(await db.one(retired)).toEqual({ n: 0 });
    expect(await db.one(`SELECT count(*)::INTEGER AS n FROM marts.team_weeks`)).not.toEqual({
      n: 0,
    });
  }, 120_000);
});
