/**
 * The data-health models against hand-computed values (docs/metrics.md, Data coverage, Match
 * rates, Probable holidays): coverage counts of a team with two members lacking calendars, a
 * small team whose counts stay suppressed, unmatched accounts, and a holiday week recovered from
 * a synthetic series.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Built } from '../metrics/scenario.ts';
import { dataHealthOrganisation, HOLIDAY, HOURS, WEEKS } from './data-health-scenario.ts';

// Test warehouses are removed after each test, so each test builds its own.
async function organisation(): Promise<Built> {
  return dataHealthOrganisation().build();
}

const markSchema = z.object({
  team_path: z.string(),
  week_start: z.string(),
  members: z.number(),
  suppressed: z.boolean(),
  coverage_shown: z.boolean(),
  calendar_members: z.number().nullable(),
  slack_members: z.number().nullable(),
  both_members: z.number().nullable(),
  neither_members: z.number().nullable(),
  activity_sources: z.string().nullable(),
  activity_hours: z.number().nullable(),
  other_weeks: z.number().nullable(),
  activity_z: z.number().nullable(),
  probable_holiday: z.boolean(),
});

async function marks(built: Built, team: string): Promise<z.infer<typeof markSchema>[]> {
  return built.db.parse(
    markSchema,
    `SELECT * REPLACE (strftime(week_start, '%Y-%m-%d') AS week_start)
     FROM marts.team_week_marks WHERE team_path = $1 ORDER BY week_start`,
    [team],
  );
}

describe('coverage per team-week', () => {
  it('counts the two Eng members without calendars, with Slack for all seven', async () => {
    const eng = await marks(await organisation(), 'Eng');
    expect(eng.map((week) => week.week_start)).toEqual([...WEEKS]);
    for (const week of eng) {
      expect(week).toMatchObject({
        members: 7,
        suppressed: false,
        coverage_shown: true,
        calendar_members: 5,
        slack_members: 7,
        both_members: 5,
        neither_members: 0,
        activity_sources: 'calendar+slack',
      });
    }
  });

  it('keeps the counts of a team of three suppressed, and never flags it', async () => {
    for (const week of await marks(await organisation(), 'Ops')) {
      expect(week).toMatchObject({
        members: 3,
        suppressed: true,
        coverage_shown: false,
        calendar_members: null,
        slack_members: null,
        both_members: null,
        neither_members: null,
        activity_hours: null,
        activity_z: null,
        probable_holiday: false,
      });
    }
  });
});

describe('probable holidays', () => {
  it('recovers the holiday week of a synthetic series, and only it', async () => {
    // Activity per week: the calendar members' mean meeting hours (4 5 4 1 5 4 5 4) plus message
    // hours 0 (everyone has Slack, nobody wrote). Holiday week x = 1 against the other seven
    // weeks 4 5 4 5 4 5 4: mean 31/7, squared deviations 4 × (3/7)² + 3 × (4/7)² = 12/7, sample
    // variance (12/7) / 6 = 2/7, so z = (1 − 31/7) / √(2/7) = −24/√14 ≈ −6.414.
    // A 4-hour week (the first) against 5 4 1 5 4 5 4: mean 4, squared deviations 1+0+9+1+0+1+0
    // = 12, variance 2, z = 0. A 5-hour week is above every mean it is compared with.
    const eng = await marks(await organisation(), 'Eng');
    expect(eng.map((week) => week.activity_hours)).toEqual([...HOURS]);
    const holiday = eng.find((week) => week.week_start === HOLIDAY);
    expect(holiday?.other_weeks).toBe(7);
    expect(holiday?.activity_z).toBeCloseTo(-24 / Math.sqrt(14), 9);
    expect(eng[0]?.activity_z).toBeCloseTo(0, 9);
    expect(eng.filter((week) => week.probable_holiday).map((week) => week.week_start)).toEqual([
      HOLIDAY,
    ]);
  });

  it('judges no week with fewer than 6 other weeks', async () => {
    // Six weeks (4 5 4 1 5 4): each has only 5 others, too few for a usual, so not even the
    // 1-hour week is flagged.
    const few = await dataHealthOrganisation({}, 6).build();
    const rows = await few.db.parse(
      z.object({
        week_start: z.string(),
        other_weeks: z.number().nullable(),
        activity_z: z.number().nullable(),
        probable_holiday: z.boolean(),
      }),
      `SELECT strftime(week_start, '%Y-%m-%d') AS week_start, other_weeks, activity_z, probable_holiday
       FROM marts.team_week_marks WHERE team_path = 'Eng' ORDER BY week_start`,
    );
    expect(rows).toHaveLength(6);
    for (const row of rows)
      expect(row).toMatchObject({ other_weeks: 5, activity_z: null, probable_holiday: false });
  });

  it('leaves the threshold to holidayZScore', async () => {
    // At −7 even the −6.41 week is within the usual.
    const strict = await dataHealthOrganisation({ holidayZScore: -7 }).build();
    const flagged = await strict.db.parse(
      z.object({ n: z.number() }),
      `SELECT count(*)::INTEGER AS n FROM marts.team_week_marks WHERE probable_holiday`,
    );
    expect(flagged[0]?.n).toBe(0);
  });
});

describe('match rates and gaps', () => {
  it('counts the human Slack account and the calendar owner that match nobody', async () => {
    const [row] = await (
      await organisation()
    ).db.all(`SELECT * FROM marts.data_health_organisation`);
    expect(row).toEqual({
      roster_people_now: 10,
      roster_with_slack: 7,
      roster_with_calendar: 8,
      unmatched_slack_accounts: 1,
      unmatched_calendar_owners: 1,
    });
  });

  it('gives Eng its gaps now and hides those of the team of three', async () => {
    const rows = await (
      await organisation()
    ).db.all(`SELECT * FROM marts.data_health_teams ORDER BY team_path`);
    expect(rows).toEqual([
      {
        team_path: 'Eng',
        members_now: 7,
        gaps_hidden: null,
        without_slack: 0,
        without_calendar: 2,
      },
      {
        team_path: 'Ops',
        members_now: 3,
        gaps_hidden: 'small_team',
        without_slack: null,
        without_calendar: null,
      },
    ]);
  });
});
