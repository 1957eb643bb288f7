/**
 * The report's content from presented team-weeks, computed by hand: the verdict, the change
 * against the previous 4 weeks, the link, and what is shown when weeks are hidden.
 */
import { describe, expect, it } from 'vitest';
import { TEAM_WEEK_METRICS, type TeamWeekMetric } from '../../server/contract/metrics.ts';
import type { TeamAgreements } from '../../server/contract/api.ts';
import { presentTeamWeek } from '../../server/present/team-week.ts';
import type { TeamWeekRow } from '../../server/queries/team-weeks.ts';
import { teamSection, teamUrl } from '../../server/report/content.ts';
import { reportText } from '../../server/report/text.ts';
import { addDays } from '../../warehouse/dates.ts';
import { marksRow } from '../helpers/marks.ts';

const AGREEMENTS: TeamAgreements = {
  meeting_load_pct_max: 30,
  focus_hours_min: 12,
  response_median_working_minutes_max: 240,
  off_hours_share_max: 0.1,
};
const WEEK = '2026-11-09';

function row(
  weekStart: string,
  values: Partial<Record<TeamWeekMetric, number>>,
  suppressed = false,
  holiday = false,
): TeamWeekRow {
  const metrics = Object.fromEntries(
    TEAM_WEEK_METRICS.map((metric) => [metric, suppressed ? null : (values[metric] ?? null)]),
  ) as Record<TeamWeekMetric, number | null>;
  return {
    team: 'R&D/Platform',
    weekStart,
    members: 8,
    membersActiveBand: suppressed ? null : { min: 5, max: 8 },
    countsWithheld: false,
    suppressed,
    metrics,
    org: {
      suppressed: false,
      metrics: { ...metrics, meeting_load_pct_median: 20, focus_hours_median: 20 },
    },
    marks: marksRow({ suppressed, holiday }),
  };
}

function weeks(rows: TeamWeekRow[]) {
  return rows.map((entry) => presentTeamWeek(entry, AGREEMENTS, 5));
}

const BASE = {
  meeting_load_pct_median: 40,
  focus_hours_median: 10,
  response_median_working_minutes: 30,
  off_hours_share_median: 0.05,
  sync_share_median: 0.5,
};

describe('a team section', () => {
  it('says which agreements were met and missed, with values and targets', () => {
    const trend = weeks(
      [4, 3, 2, 1]
        .map((back) => row(addDays(WEEK, -7 * back), BASE))
        .concat(row(WEEK, { ...BASE, meeting_load_pct_median: 46, focus_hours_median: 9.3 })),
    );
    const section = teamSection(
      { path: 'R&D/Platform', agreements: AGREEMENTS, weeks: trend },
      WEEK,
      'https://x.test/',
    );
    expect(section.state).toBe('shown');
    expect(section.verdict).toBe(
      'Met 2 of 4 working agreements. Missed: meeting load (46%, target ≤ 30%); focus time (9.3 h, target ≥ 12 h).',
    );
    const load = section.headline.find((number) => number.metric === 'meeting_load_pct_median');
    // 46 against the mean of four weeks of 40: +6 percentage points, worse.
    expect(load).toMatchObject({
      value: '46%',
      org: '20%',
      target: '≤ 30%',
      met: false,
      change: { text: '+6 pts', tone: 'worse' },
    });
    expect(section.charts.map((chart) => chart.title)).toEqual(['Meeting load', 'Focus time']);
    expect(section.url).toBe('https://x.test/teams/R%26D/Platform?week=2026-11-09');
  });

  it('shows no change when any of the 4 weeks before is hidden', () => {
    const trend = weeks([
      row(addDays(WEEK, -28), BASE),
      row(addDays(WEEK, -21), BASE, true),
      row(addDays(WEEK, -14), BASE),
      row(addDays(WEEK, -7), BASE),
      row(WEEK, BASE),
    ]);
    const section = teamSection(
      { path: 'R&D/Platform', agreements: AGREEMENTS, weeks: trend },
      WEEK,
      'https://x.test',
    );
    expect(section.headline.every((number) => number.change === null)).toBe(true);
    expect(section.hiddenWeeks).toEqual(['19 Oct']);
  });

  it('leaves a probable holiday out of the 4-week comparison, as the overview does, and says so', () => {
    // Meeting load 40, 40, 10 (the holiday, skipped), 40 and 20 in the five weeks before: the
    // baseline is weeks −1, −2, −4 and −5 (40, 40, 40, 20), mean 35, so 46 is +11 pts. With the
    // holiday in it (40, 40, 10, 40, mean 32.5) it would have been +13.5.
    const trend = weeks([
      row(addDays(WEEK, -35), { ...BASE, meeting_load_pct_median: 20 }),
      row(addDays(WEEK, -28), BASE),
      row(addDays(WEEK, -21), { ...BASE, meeting_load_pct_median: 10 }, false, true),
      row(addDays(WEEK, -14), BASE),
      row(addDays(WEEK, -7), BASE),
      row(WEEK, { ...BASE, meeting_load_pct_median: 46 }),
    ]);
    const section = teamSection(
      { path: 'R&D/Platform', agreements: AGREEMENTS, weeks: trend },
      WEEK,
      'https://x.test',
    );
    const load = section.headline.find((number) => number.metric === 'meeting_load_pct_median');
    expect(load?.change?.text).toBe('+11 pts');
    expect(section.holidayWeeks).toEqual(['19 Oct']);
    expect(reportText({ week: WEEK, subject: 's', teams: [section], minGroupSize: 5 })).toContain(
      'Probable holidays: 19 Oct (activity far below the team',
    );
  });

  it('hides a suppressed week with the dashboard’s words but keeps the charts of the other weeks', () => {
    const trend = weeks([row(addDays(WEEK, -7), BASE), row(WEEK, BASE, true)]);
    const section = teamSection(
      { path: 'R&D/Platform', agreements: AGREEMENTS, weeks: trend },
      WEEK,
      'https://x.test',
    );
    expect(section.state).toBe('week-hidden');
    expect(section.notice).toBe(
      'Not shown: fewer than 5 active people. Numbers for small groups would point at individuals.',
    );
    expect(section.headline).toEqual([]);
    expect(section.charts).toHaveLength(2);
  });

  it('says so instead of showing anything when every week is hidden', () => {
    const trend = weeks([row(addDays(WEEK, -7), BASE, true), row(WEEK, BASE, true)]);
    const section = teamSection(
      { path: 'R&D/Platform', agreements: AGREEMENTS, weeks: trend },
      WEEK,
      'https://x.test',
    );
    expect(section.state).toBe('all-hidden');
    expect(section.notice).toContain('this team had fewer than 5 active people in each of them');
    expect(section.charts).toEqual([]);
    expect(section.verdict).toBeNull();
  });

  it('encodes each segment of the team path in the link, as the dashboard’s router does', () => {
    expect(teamUrl('https://x.test/sync/', 'Sales/EMEA & APAC', WEEK)).toBe(
      'https://x.test/sync/teams/Sales/EMEA%20%26%20APAC?week=2026-11-09',
    );
  });
});
