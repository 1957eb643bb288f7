/**
 * How a team-week row becomes what the API shows: suppression comes from the build, and every
 * empty value says why.
 */
import { describe, expect, it } from 'vitest';
import { teamWeekSchema, type TeamWeek } from '../../server/contract/api.ts';
import { TEAM_WEEK_METRICS, type TeamWeekMetric } from '../../server/contract/metrics.ts';
import {
  jsonWithArray,
  presentTeamWeek,
  presentedTeamWeek,
} from '../../server/present/team-week.ts';
import type { TeamWeekRow, WeekValues } from '../../server/queries/team-weeks.ts';
import { changeVsBaseline } from '../../server/routes/overview.ts';
import { marksRow } from '../helpers/marks.ts';

const AGREEMENTS = {
  meeting_load_pct_max: 30,
  focus_hours_min: 12,
  response_median_working_minutes_max: null,
  off_hours_share_max: 0.1,
};

function values(overrides: Partial<WeekValues> = {}): WeekValues {
  return {
    suppressed: false,
    metrics: Object.fromEntries(TEAM_WEEK_METRICS.map((metric) => [metric, 1])) as Record<
      TeamWeekMetric,
      number
    >,
    ...overrides,
  };
}

function row(
  team: Partial<WeekValues> &
    Partial<Pick<TeamWeekRow, 'membersActiveBand' | 'countsWithheld'>> = {},
  org: WeekValues | null = values(),
): TeamWeekRow {
  return {
    team: 'Product',
    weekStart: '2026-11-09',
    members: 14,
    membersActiveBand: { min: 10, max: 14 },
    countsWithheld: false,
    ...values(team),
    ...team,
    org,
    marks: marksRow({ members: 14 }),
  };
}

describe('presentTeamWeek', () => {
  it('shows a suppressed row empty, every metric with the reason, and no agreement as met', () => {
    const metrics = Object.fromEntries(TEAM_WEEK_METRICS.map((metric) => [metric, null])) as Record<
      TeamWeekMetric,
      null
    >;
    // Even if a row ever arrived with a band, a suppressed row never shows one.
    const week = presentTeamWeek(row({ suppressed: true, metrics }), AGREEMENTS, 5);
    teamWeekSchema.parse(week);
    expect(week).toMatchObject({
      suppressed: true,
      reason: 'fewer than 5 active people',
      members_active_band: null,
      members_active_reason: 'fewer than 5 active people',
    });
    expect(
      Object.values(week.metrics).every(
        (cell) => cell.value === null && cell.reason === 'fewer than 5 active people',
      ),
    ).toBe(true);
    expect(week.agreements.every((check) => check.met === null)).toBe(true);
  });

  it('explains a value the mart left empty with the same reason', () => {
    const metrics = { ...values().metrics, sync_share_median: null };
    const week = presentTeamWeek(row({ metrics }), AGREEMENTS, 5);
    expect(week.metrics.sync_share_median).toEqual({
      value: null,
      reason: 'fewer than 5 people with data for this metric',
    });
  });

  it('shows the band of active people, and says why when the build withheld it', () => {
    expect(presentTeamWeek(row(), AGREEMENTS, 5)).toMatchObject({
      members_active_band: { min: 10, max: 14 },
      members_active_reason: null,
    });
    const metrics = { ...values().metrics, focus_share: null, focus_hours_p25: null };
    const withheld = presentTeamWeek(
      row({ membersActiveBand: null, countsWithheld: true, metrics }),
      AGREEMENTS,
      5,
    );
    const sums =
      'not shown for a team that contains a team with fewer than 5 own members: subtracting sub-teams would reveal them';
    expect(withheld.members_active_band).toBeNull();
    expect(withheld.members_active_reason).toBe(sums);
    expect(withheld.metrics.focus_share).toEqual({ value: null, reason: sums });
    expect(withheld.metrics.focus_hours_p25.reason).toBe(
      'fewer than 10 people with data for this metric (needed for percentiles)',
    );
  });

  it('hides the organisation line when the organisation itself is too small', () => {
    const week = presentTeamWeek(row({}, values({ suppressed: true })), AGREEMENTS, 5);
    expect(Object.values(week.org).every((value) => value === null)).toBe(true);
    expect(presentTeamWeek(row({}, null), AGREEMENTS, 5).org.focus_hours_median).toBeNull();
  });

  it('checks only the agreements the team has, with met, breached or unknown', () => {
    const metrics = {
      ...values().metrics,
      meeting_load_pct_median: 30,
      focus_hours_median: 11.5,
      off_hours_share_median: null,
    };
    const week = presentTeamWeek(row({ metrics }), AGREEMENTS, 5);
    expect(week.agreements).toEqual([
      { metric: 'meeting_load_pct_median', comparison: 'max', target: 30, met: true },
      { metric: 'focus_hours_median', comparison: 'min', target: 12, met: false },
      { metric: 'off_hours_share_median', comparison: 'max', target: 0.1, met: null },
    ]);
  });
});

describe('changeVsBaseline', () => {
  function week(weekStart: string, focus: number | null): TeamWeek {
    const presented = presentTeamWeek(
      { ...row(), weekStart, metrics: { ...values().metrics, focus_hours_median: focus } },
      AGREEMENTS,
      5,
    );
    return presented;
  }

  it('is the selected value minus the mean of the four weeks before, in the unit of the metric', () => {
    const weeks = [
      week('2026-10-12', 10),
      week('2026-10-19', 12),
      week('2026-10-26', 14),
      week('2026-11-02', 16),
      week('2026-11-09', 9),
    ];
    const change = changeVsBaseline(weeks, '2026-11-09');
    expect(change['focus_hours_median']).toBeCloseTo(9 - 13, 12);
    expect(change['meeting_load_pct_median']).toBe(0);
  });

  it('is unknown when any baseline week is missing or empty', () => {
    const gap = [
      week('2026-10-19', 12),
      week('2026-10-26', 14),
      week('2026-11-02', 16),
      week('2026-11-09', 9),
    ];
    expect(changeVsBaseline(gap, '2026-11-09')['focus_hours_median']).toBeNull();
    const empty = [week('2026-10-12', null), ...gap];
    expect(changeVsBaseline(empty, '2026-11-09')['focus_hours_median']).toBeNull();
  });
});

describe('team-week JSON written once per row', () => {
  it('is the JSON of the presented team-week, remembered per row and per agreements', () => {
    const teamWeek = row();
    const first = presentedTeamWeek(teamWeek, AGREEMENTS, 5);
    expect(JSON.parse(first.json)).toEqual(presentTeamWeek(teamWeek, AGREEMENTS, 5));
    expect(presentedTeamWeek(teamWeek, AGREEMENTS, 5)).toBe(first);
    const stricter = presentedTeamWeek(teamWeek, { ...AGREEMENTS, focus_hours_min: 40 }, 5);
    expect(stricter).not.toBe(first);
    expect(stricter.week.agreements.find((check) => check.metric === 'focus_hours_median')).toEqual(
      { metric: 'focus_hours_median', comparison: 'min', target: 40, met: false },
    );
    expect(presentedTeamWeek(teamWeek, AGREEMENTS, 7).week.reason).toBe(
      presentTeamWeek(teamWeek, AGREEMENTS, 7).reason,
    );
  });

  it('assembles a body byte for byte as JSON.stringify would', () => {
    const items = [{ a: 1, b: 'x"y' }, { a: null }];
    const head = { team: { path: 'Eng/Platform' }, from: '2026-01-05', min_group_size: 5 };
    expect(
      jsonWithArray(
        head,
        'weeks',
        items.map((item) => JSON.stringify(item)),
      ),
    ).toBe(JSON.stringify({ ...head, weeks: items }));
    expect(jsonWithArray({}, 'rows', [])).toBe(JSON.stringify({ rows: [] }));
  });
});
