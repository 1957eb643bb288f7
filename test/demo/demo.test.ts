/**
 * The demo organisation keeps its promises: generated once (seed 42, the 16 weeks up to the week of
 * 2026-11-09, which holds the European and American DST changes), then checked with SQL on the
 * raw tables, as the build would read them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateDemo, type DemoSummary } from '../../ingest/demo/generate.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { recordingReporter } from '../../warehouse/reporter.ts';
import { testPseudonymizer } from '../helpers/warehouse.ts';
import { createStoryViews } from './story-metrics.ts';

const LAST_WEEK = '2026-11-09';
const FIRST_MONDAY = '2026-07-27';
const PERIOD_END = '2026-11-16';
const WEEKS = 16;

let db: Warehouse;
let directory: string;
let summary: DemoSummary;
const reporter = recordingReporter();

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'syncbalance-demo-'));
  db = await Warehouse.open(join(directory, 'demo.duckdb'));
  const started = performance.now();
  summary = await generateDemo(db, testPseudonymizer, {
    seed: 42,
    lastWeek: LAST_WEEK,
    weeks: WEEKS,
    reporter,
  });
  // A figure for the report, not an assertion: it depends on the machine and its load.
  console.info(
    `demo generation: ${Math.round(performance.now() - started)} ms for ${summary.events} calendar events and ${summary.messages} Slack messages`,
  );
  await createStoryViews(db, FIRST_MONDAY, WEEKS);
});

afterAll(() => {
  db.close();
  rmSync(directory, { recursive: true, force: true });
});

async function number(sql: string, params?: Record<string, string>): Promise<number> {
  const [row] = await db.parse(z.object({ n: z.coerce.number() }), sql, params);
  return row?.n ?? Number.NaN;
}

const LATEST = `(SELECT max(as_of) FROM raw.roster_snapshots)`;

describe('the organisation', () => {
  it('reports what it generated in one summary line', () => {
    expect(reporter.results).toEqual([
      expect.stringMatching(
        /^Generated the demo organisation \(seed 42\): 1\d\d people in 10 teams, 16 weeks from 2026-07-27 to 2026-11-15: [\d,]+ calendar events, [\d,]+ Slack messages$/,
      ),
    ]);
    expect(summary).toMatchObject({ seed: 42, teams: 10, groups: 3, weeks: 16 });
  });

  it('has at least 150 people in at least 8 leaf teams under 2 or 3 top-level groups', async () => {
    expect(
      await number(`SELECT count(*) AS n FROM raw.roster_people WHERE as_of = ${LATEST}`),
    ).toBeGreaterThanOrEqual(150);
    const paths = `SELECT DISTINCT team_path FROM raw.roster_people`;
    expect(
      await number(
        `SELECT count(*) AS n FROM (${paths}) AS t
         WHERE NOT EXISTS (SELECT 1 FROM (${paths}) AS c WHERE starts_with(c.team_path, t.team_path || '/'))`,
      ),
    ).toBeGreaterThanOrEqual(8);
    const groups = await number(
      `SELECT count(DISTINCT split_part(team_path, '/', 1)) AS n FROM raw.roster_people`,
    );
    expect(groups).toBeGreaterThanOrEqual(2);
    expect(groups).toBeLessThanOrEqual(3);
  });

  it('spreads people over at least five zones, with one team in the Americas, Europe and Asia', async () => {
    const zones = `SELECT p.team_path, coalesce(p.timezone, c.timezone) AS zone
                   FROM raw.roster_people AS p LEFT JOIN raw.calendar_settings AS c ON c.owner_id = p.person_id
                   WHERE p.as_of = ${LATEST}`;
    expect(
      await number(`SELECT count(DISTINCT zone) AS n FROM (${zones}) WHERE zone IS NOT NULL`),
    ).toBeGreaterThanOrEqual(5);
    expect(
      await number(
        `SELECT count(*) AS n FROM (
           SELECT team_path FROM (${zones}) GROUP BY team_path
           HAVING bool_or(starts_with(zone, 'America/')) AND bool_or(starts_with(zone, 'Europe/'))
              AND bool_or(starts_with(zone, 'Asia/')))`,
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  it('has a team of exactly four people in every snapshot, below the minimum group size of five', async () => {
    const rows = await db.parse(
      z.object({ team_path: z.string(), sizes: z.array(z.number()) }),
      `SELECT team_path, list(people ORDER BY as_of) AS sizes FROM (
         SELECT team_path, as_of, count(*)::INTEGER AS people FROM raw.roster_people GROUP BY ALL)
       GROUP BY team_path HAVING max(people) = 4 AND min(people) = 4`,
    );
    expect(rows.map((row) => row.sizes)).toEqual([[4, 4]]);
  });

  it('has a management chain from every person up to one CEO, through existing managers', async () => {
    const [chain] = await db.parse(
      z.object({
        roots: z.number(),
        dangling: z.number(),
        unreached: z.number(),
        depth: z.number(),
      }),
      `WITH RECURSIVE latest AS (SELECT * FROM raw.roster_people WHERE as_of = ${LATEST}),
       chain (email, depth) AS (
         SELECT email, 0 FROM latest WHERE manager_email IS NULL
         UNION ALL
         SELECT l.email, c.depth + 1 FROM latest AS l JOIN chain AS c ON l.manager_email = c.email WHERE c.depth < 10)
       SELECT (SELECT count(*) FROM latest WHERE manager_email IS NULL)::INTEGER AS roots,
              (SELECT count(*) FROM latest WHERE manager_email IS NOT NULL
                 AND manager_email NOT IN (SELECT email FROM latest))::INTEGER AS dangling,
              (SELECT count(*) FROM latest WHERE email NOT IN (SELECT email FROM chain))::INTEGER AS unreached,
              (SELECT max(depth) FROM chain)::INTEGER AS depth`,
    );
    // CEO, group heads, team leads, their reports.
    expect(chain).toEqual({ roots: 1, dangling: 0, unreached: 0, depth: 3 });
  });

  it('has two roster snapshots: the first on the first Monday, the later with team moves and a joiner', async () => {
    const snapshots = await db.parse(
      z.object({ as_of: z.string() }),
      `SELECT as_of::VARCHAR AS as_of FROM raw.roster_snapshots ORDER BY as_of`,
    );
    expect(snapshots.map((row) => row.as_of)).toEqual([FIRST_MONDAY, '2026-09-21']);
    const changes = `FROM raw.roster_people AS later
                     LEFT JOIN raw.roster_people AS earlier
                       ON earlier.person_id = later.person_id AND earlier.as_of = DATE '${FIRST_MONDAY}'
                     WHERE later.as_of = DATE '2026-09-21'`;
    expect(
      await number(`SELECT count(*) AS n ${changes} AND earlier.team_path <> later.team_path`),
    ).toBeGreaterThanOrEqual(2);
    expect(
      await number(`SELECT count(*) AS n ${changes} AND earlier.person_id IS NULL`),
    ).toBeGreaterThanOrEqual(1);
  });

  it('leaves some zones and schedules to the fallbacks, and has night shifts and other working weeks', async () => {
    const latest = `FROM raw.roster_people AS p
                    LEFT JOIN raw.calendar_settings AS c ON c.owner_id = p.person_id
                    LEFT JOIN raw.slack_users AS s ON s.email_person_id = p.person_id OR s.user_key = p.slack_user_key
                    WHERE p.as_of = ${LATEST}`;
    // Zone from the calendar, from Slack, and from nowhere (the configuration's default).
    expect(
      await number(
        `SELECT count(*) AS n ${latest} AND p.timezone IS NULL AND c.timezone IS NOT NULL`,
      ),
    ).toBeGreaterThan(0);
    expect(
      await number(
        `SELECT count(*) AS n ${latest} AND p.timezone IS NULL AND c.timezone IS NULL AND s.timezone IS NOT NULL`,
      ),
    ).toBeGreaterThan(0);
    expect(
      await number(
        `SELECT count(*) AS n ${latest} AND p.timezone IS NULL AND c.timezone IS NULL AND s.timezone IS NULL`,
      ),
    ).toBeGreaterThan(0);
    expect(await number(`SELECT count(*) AS n ${latest} AND p.work_start IS NULL`)).toBeGreaterThan(
      0,
    );
    expect(
      await number(`SELECT count(*) AS n ${latest} AND p.work_end < p.work_start`),
    ).toBeGreaterThan(0);
    expect(
      await number(
        `SELECT count(*) AS n ${latest} AND p.work_days IS NOT NULL AND p.work_days <> [1, 2, 3, 4, 5]::TINYINT[]`,
      ),
    ).toBeGreaterThan(0);
  });

  it('crosses a daylight-saving change in some member zone', async () => {
    expect(
      await number(
        `SELECT count(*) AS n FROM (SELECT DISTINCT timezone FROM raw.roster_people WHERE timezone IS NOT NULL)
         WHERE timezone(timezone, TIMESTAMPTZ '${FIRST_MONDAY} 12:00:00+00') - TIMESTAMP '${FIRST_MONDAY} 12:00:00'
            <> timezone(timezone, TIMESTAMPTZ '2026-11-15 12:00:00+00') - TIMESTAMP '2026-11-15 12:00:00'`,
      ),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe('calendar metadata', () => {
  const attendees = (where: string): string =>
    `SELECT count(*) AS n FROM raw.calendar_attendees WHERE ${where}`;

  it('covers every person for their whole period, in their own zone where the calendar says it', async () => {
    const [row] = await db.parse(
      z.object({ people: z.number(), covered: z.number(), with_zone: z.number() }),
      `SELECT (SELECT count(DISTINCT person_id) FROM raw.roster_people)::INTEGER AS people,
              (SELECT count(DISTINCT owner_id) FROM raw.calendar_coverage)::INTEGER AS covered,
              (SELECT count(*) FROM raw.calendar_settings)::INTEGER AS with_zone`,
    );
    expect(row?.covered).toBe(row?.people);
    expect(row?.with_zone).toBeLessThan(row?.people ?? 0);
    expect(row?.with_zone).toBeGreaterThan((row?.people ?? 0) * 0.9);
  });

  it('has recurring series, one-off meetings, one-to-ones and large meetings', async () => {
    const humans = `SELECT owner_id, event_key, recurrence_key, count(*) AS humans
                    FROM raw.calendar_attendees WHERE attendee_kind = 'person' GROUP BY ALL`;
    const meetings = (where: string): Promise<number> =>
      number(
        `SELECT count(*) AS n FROM raw.calendar_events AS e JOIN (${humans}) AS h USING (owner_id, event_key, recurrence_key)
         WHERE e.event_type = 'default' AND NOT e.is_all_day AND ${where}`,
      );
    expect(await meetings('e.is_recurring')).toBeGreaterThan(0);
    expect(await meetings('NOT e.is_recurring')).toBeGreaterThan(0);
    expect(await meetings('e.is_recurring AND h.humans = 2')).toBeGreaterThan(0);
    expect(await meetings('h.humans >= 9')).toBeGreaterThan(0);
  });

  it('has accepted, declined, tentative and unanswered invitations, rooms and people from outside', async () => {
    for (const status of ['accepted', 'declined', 'tentative', 'needsAction'])
      expect(await number(attendees(`response_status = '${status}'`))).toBeGreaterThan(0);
    expect(await number(attendees(`attendee_kind = 'room'`))).toBeGreaterThan(0);
    expect(
      await number(
        attendees(
          `attendee_kind = 'person' AND attendee_id NOT IN (SELECT person_id FROM raw.roster_people)`,
        ),
      ),
    ).toBeGreaterThan(0);
  });

  it('has all-day events, out-of-office (all-day and timed), focus time, cancelled and moved instances', async () => {
    const events = (where: string): Promise<number> =>
      number(`SELECT count(*) AS n FROM raw.calendar_events WHERE ${where}`);
    expect(await events(`is_all_day AND event_type = 'default'`)).toBeGreaterThan(0);
    expect(await events(`is_all_day AND event_type = 'outOfOffice'`)).toBeGreaterThan(0);
    expect(await events(`NOT is_all_day AND event_type = 'outOfOffice'`)).toBeGreaterThan(0);
    expect(await events(`event_type = 'focusTime'`)).toBeGreaterThan(0);
    expect(
      await events(
        `event_type IN ('workingLocation', 'birthday') AND transparency = 'transparent'`,
      ),
    ).toBeGreaterThan(0);
    expect(await events(`is_recurring AND status = 'cancelled'`)).toBeGreaterThan(0);
    // A moved instance keeps its original start as its key.
    expect(
      await events(
        `is_recurring AND NOT is_all_day AND recurrence_key <> strftime(start_at, '%Y-%m-%dT%H:%M:%SZ')`,
      ),
    ).toBeGreaterThan(0);
    // Beyond the meeting rules: longer than 8 hours, and of zero length.
    expect(await events(`NOT is_all_day AND end_at - start_at > INTERVAL 8 HOUR`)).toBeGreaterThan(
      0,
    );
    expect(await events(`NOT is_all_day AND end_at = start_at`)).toBeGreaterThan(0);
  });

  it('double-books some people: accepted meetings of one owner that overlap', async () => {
    expect(
      await number(
        `SELECT count(*) AS n FROM (
           SELECT start_at < max(end_at) OVER (PARTITION BY owner_id ORDER BY start_at, end_at
                                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS overlapping
           FROM story_meetings) WHERE overlapping`,
      ),
    ).toBeGreaterThan(0);
  });
});

describe('Slack metadata', () => {
  it('has messages in public and private channels, DMs and group DMs', async () => {
    const types = await db.parse(
      z.object({ conversation_type: z.string() }),
      `SELECT DISTINCT conversation_type FROM raw.slack_messages JOIN raw.slack_conversations USING (conversation_key) ORDER BY 1`,
    );
    expect(types.map((row) => row.conversation_type)).toEqual([
      'im',
      'mpim',
      'private_channel',
      'public_channel',
    ]);
  });

  it('has threads with replies an hour and a day after the parent', async () => {
    const replies = (gap: string): Promise<number> =>
      number(
        `SELECT count(*) AS n FROM raw.slack_messages AS r
         JOIN raw.slack_messages AS p ON p.conversation_key = r.conversation_key AND p.ts = r.thread_ts
         WHERE r.ts > r.thread_ts AND r.ts - p.ts >= INTERVAL ${gap} AND p.reply_count > 0`,
      );
    expect(await replies('1 HOUR')).toBeGreaterThan(0);
    expect(await replies('1 DAY')).toBeGreaterThan(0);
  });

  it('has bots, Slackbot, joins, leaves and counted subtypes beside plain messages', async () => {
    const messages = (where: string): Promise<number> =>
      number(`SELECT count(*) AS n FROM raw.slack_messages WHERE ${where}`);
    expect(
      await messages(`subtype = 'bot_message' AND bot_id IS NOT NULL AND user_key IS NULL`),
    ).toBeGreaterThan(0);
    expect(
      await messages(
        `subtype = 'bot_message' AND user_key IN (SELECT user_key FROM raw.slack_users WHERE is_bot)`,
      ),
    ).toBeGreaterThan(0);
    expect(
      await messages(`user_key = '${testPseudonymizer.slackUser('USLACKBOT')}'`),
    ).toBeGreaterThan(0);
    for (const subtype of [
      'channel_join',
      'channel_leave',
      'thread_broadcast',
      'file_share',
      'me_message',
    ])
      expect(await messages(`subtype = '${subtype}'`)).toBeGreaterThan(0);
  });

  it('matches most users by email, a few only through the roster, and guests not at all', async () => {
    const [row] = await db.parse(
      z.object({ by_email: z.number(), by_roster_only: z.number(), unmatched_people: z.number() }),
      `WITH people AS (SELECT DISTINCT person_id, slack_user_key FROM raw.roster_people)
       SELECT count(*) FILTER (WHERE email_person_id IN (SELECT person_id FROM people))::INTEGER AS by_email,
              count(*) FILTER (WHERE email_person_id IS NULL AND user_key IN (SELECT slack_user_key FROM people))::INTEGER AS by_roster_only,
              count(*) FILTER (WHERE NOT is_bot AND NOT is_deleted
                                 AND coalesce(email_person_id NOT IN (SELECT person_id FROM people), true)
                                 AND user_key NOT IN (SELECT slack_user_key FROM people WHERE slack_user_key IS NOT NULL))::INTEGER AS unmatched_people
       FROM raw.slack_users`,
    );
    expect(row?.by_email).toBeGreaterThan(140);
    expect(row?.by_roster_only).toBeGreaterThan(0);
    expect(row?.unmatched_people).toBeGreaterThan(0);
  });
});

describe('trust and time', () => {
  it('keeps addresses in the roster only: every other table holds keys', async () => {
    for (const table of [
      'calendar_events',
      'calendar_attendees',
      'calendar_coverage',
      'calendar_settings',
      'slack_users',
      'slack_conversations',
      'slack_messages',
    ]) {
      expect(
        await number(`SELECT count(*) AS n FROM raw.${table} AS t WHERE t::VARCHAR LIKE '%@%'`),
      ).toBe(0);
    }
  });

  it("has no row outside the period, in each person's own zone", async () => {
    const window = `SELECT owner_id, min(window_start) AS period_start, max(window_end) AS period_end
                    FROM raw.calendar_coverage GROUP BY owner_id`;
    expect(
      await number(
        `SELECT count(*) AS n FROM raw.calendar_events AS e JOIN (${window}) AS w USING (owner_id)
         WHERE CASE WHEN e.is_all_day THEN e.start_date < DATE '${FIRST_MONDAY}' OR e.end_date > DATE '${PERIOD_END}'
                    ELSE e.start_at < w.period_start OR e.end_at > w.period_end END`,
      ),
    ).toBe(0);
    expect(
      await number(
        `SELECT count(*) AS n FROM raw.calendar_events WHERE owner_id NOT IN (SELECT owner_id FROM raw.calendar_coverage)`,
      ),
    ).toBe(0);
    // People's messages inside their own period; everyone else's inside the union of all periods.
    const senders = `SELECT DISTINCT s.user_key, w.period_start, w.period_end FROM raw.slack_users AS s
                     JOIN raw.roster_people AS p ON s.email_person_id = p.person_id OR s.user_key = p.slack_user_key
                     JOIN (${window}) AS w ON w.owner_id = p.person_id`;
    expect(
      await number(
        `SELECT count(*) AS n FROM raw.slack_messages AS m JOIN (${senders}) AS s USING (user_key)
         WHERE m.ts < s.period_start OR m.ts >= s.period_end`,
      ),
    ).toBe(0);
    expect(
      await number(
        `SELECT count(*) AS n FROM raw.slack_messages
         WHERE ts < (SELECT min(window_start) FROM raw.calendar_coverage)
            OR ts >= (SELECT max(window_end) FROM raw.calendar_coverage)`,
      ),
    ).toBe(0);
  });
});

describe('the stories, in simplified metrics', () => {
  const TeamRow = z.object({
    team_path: z.string(),
    people: z.coerce.number(),
    meeting_load_pct: z.number(),
    focus_hours: z.number(),
    meetings: z.number(),
    messages: z.number(),
    off_hours_share: z.number(),
  });
  let teams: Map<string, z.infer<typeof TeamRow>>;
  const team = (path: string): z.infer<typeof TeamRow> => {
    const row = teams.get(path);
    if (!row) throw new Error(`no team ${path}`);
    return row;
  };
  const leafTeams = (): z.infer<typeof TeamRow>[] =>
    [...teams.values()].filter((row) => row.team_path.includes('/'));

  beforeAll(async () => {
    const rows = await db.parse(TeamRow, `SELECT * FROM story_teams`);
    teams = new Map(rows.map((row) => [row.team_path, row]));
  });

  it('gives every team a realistic weekly volume of meetings and messages', () => {
    for (const row of leafTeams()) {
      expect(row.meetings, row.team_path).toBeGreaterThan(3);
      expect(row.meetings, row.team_path).toBeLessThan(30);
      expect(row.messages, row.team_path).toBeGreaterThan(50);
      expect(row.messages, row.team_path).toBeLessThan(150);
    }
  });

  it('shows Product/Management meeting-heavy: the highest meeting load and the least focus', () => {
    const heavy = team('Product/Management');
    expect(heavy.meeting_load_pct).toBeGreaterThan(42);
    expect(heavy.meeting_load_pct).toBeLessThan(62);
    for (const row of leafTeams().filter((other) => other !== heavy)) {
      expect(row.meeting_load_pct, row.team_path).toBeLessThan(heavy.meeting_load_pct - 10);
      expect(row.focus_hours, row.team_path).toBeGreaterThan(heavy.focus_hours);
    }
  });

  it('shows Engineering/Platform async-first: few meetings, long focus, threads and slower answers', async () => {
    const platform = team('Engineering/Platform');
    expect(platform.meeting_load_pct).toBeLessThan(10);
    expect(platform.focus_hours).toBeGreaterThan(28);
    const medians = await db.parse(
      z.object({ team_path: z.string(), minutes: z.number() }),
      `SELECT team_path, median(epoch(latency)) / 60 AS minutes FROM story_responses GROUP BY ALL`,
    );
    const median = (path: string): number =>
      medians.find((row) => row.team_path === path)?.minutes ?? Number.NaN;
    expect(median('Engineering/Platform')).toBeGreaterThan(2 * median('Engineering/Data'));
    expect(platform.off_hours_share).toBeLessThan(0.05);
  });

  it('shows Business/Sales messaging off hours (25–35%) while other teams mostly do not', () => {
    const sales = team('Business/Sales');
    expect(sales.off_hours_share).toBeGreaterThan(0.25);
    expect(sales.off_hours_share).toBeLessThan(0.35);
    for (const row of leafTeams().filter((other) => other !== sales))
      expect(row.off_hours_share, row.team_path).toBeLessThan(0.1);
  });

  it('shows Engineering/Mobile clearing Wednesdays of meetings from week 9, with more focus', async () => {
    const rows = await db.parse(
      z.object({
        after_change: z.boolean(),
        wednesday_meeting_hours: z.number(),
        focus_hours: z.number(),
      }),
      `SELECT s.after_change,
              coalesce(sum(epoch(i.busy_end - i.busy_start)) FILTER (WHERE isodow(s.day) = 3), 0) / 3600
                / count(DISTINCT s.person_id) / 8 AS wednesday_meeting_hours,
              (SELECT sum(minutes) FILTER (WHERE minutes >= 120) FROM story_gaps AS g
               WHERE g.team_path = 'Engineering/Mobile' AND g.after_change = s.after_change) / 60
                / count(DISTINCT s.person_id) / 8 AS focus_hours
       FROM story_shifts AS s
       LEFT JOIN story_islands AS i ON i.person_id = s.person_id AND i.day = s.day
       WHERE s.team_path = 'Engineering/Mobile' GROUP BY s.after_change ORDER BY s.after_change`,
    );
    const [before, after] = rows;
    expect(before?.wednesday_meeting_hours).toBeGreaterThan(1.5);
    expect(after?.wednesday_meeting_hours).toBeLessThan(0.5);
    expect(after?.focus_hours).toBeGreaterThan((before?.focus_hours ?? 0) + 2.5);
  });

  it('shows Engineering/Payments spread over time zones: more meetings outside working hours', async () => {
    const rows = await db.parse(
      z.object({ team_path: z.string(), hours: z.number() }),
      `SELECT p.team_path, sum(m.hours) FILTER (WHERE NOT (
                list_contains(p.days, isodow(timezone(p.zone, m.start_at))::TINYINT)
                AND timezone(p.zone, m.start_at)::TIME >= p.work_start
                AND timezone(p.zone, m.start_at)::TIME < p.work_end)) / count(DISTINCT p.person_id) / ${WEEKS} AS hours
       FROM story_meetings AS m JOIN story_people AS p ON p.person_id = m.owner_id
       WHERE p.work_start < p.work_end AND p.team_path LIKE '%/%' GROUP BY ALL ORDER BY hours DESC`,
    );
    expect(rows[0]?.team_path).toBe('Engineering/Payments');
    expect(rows[0]?.hours).toBeGreaterThan(1.5);
  });
});
