import { describe, expect, it } from 'vitest';
import {
  TEAM_WEEK_METRICS,
  type MetricCell,
  type TeamWeek,
  type TeamWeekMetric,
} from '../../../server/contract/index.ts';
import { describeEmptyWeeks, emptyWeeks, targetFitsScale, trendPoints } from './series.ts';

function week(
  weekStart: string,
  values: Partial<Record<TeamWeekMetric, number | MetricCell>>,
  suppression: string | null = null,
): TeamWeek {
  const cell = (key: TeamWeekMetric): MetricCell => {
    const given = values[key];
    if (typeof given === 'number') return { value: given, reason: null };
    return given ?? { value: null, reason: suppression ?? 'not measured' };
  };
  return {
    week_start: weekStart,
    members: 8,
    members_active_band: suppression === null ? { min: 5, max: 8 } : null,
    members_active_reason: suppression,
    suppressed: suppression !== null,
    reason: suppression,
    metrics: Object.fromEntries(
      TEAM_WEEK_METRICS.map((key) => [key, cell(key)]),
    ) as TeamWeek['metrics'],
    org: Object.fromEntries(
      TEAM_WEEK_METRICS.map((key) => [key, key === 'focus_hours_median' ? 11 : null]),
    ) as TeamWeek['org'],
    agreements: [],
    marks: {
      coverage:
        suppression === null ? { members: 8, calendar: 8, slack: 8, both: 8, neither: 0 } : null,
      coverage_reason: suppression,
      probable_holiday: false,
      activity_z: null,
    },
  };
}

describe('chart series', () => {
  const weeks = [
    week('2026-10-26', { focus_hours_median: 9.5, focus_hours_p25: 6, focus_hours_p75: 13 }),
    week('2026-11-02', {}, 'fewer than 5 active people'),
    week('2026-11-09', {
      focus_hours_median: 12,
      focus_hours_p25: 8,
      focus_hours_p75: { value: null, reason: 'fewer than 5 people with calendar data' },
    }),
  ];

  it('keeps empty weeks as gaps, with the org reference value and the percentile band', () => {
    expect(
      trendPoints(weeks, 'focus_hours_median', ['focus_hours_p25', 'focus_hours_p75']),
    ).toEqual([
      { week: '2026-10-26', value: 9.5, org: 11, band: [6, 13] },
      { week: '2026-11-02', value: null, org: 11, band: null },
      { week: '2026-11-09', value: 12, org: 11, band: null },
    ]);
  });

  it('explains empty weeks with the suppression reason, else the cell reason', () => {
    expect(emptyWeeks(weeks, ['focus_hours_median'])).toEqual([
      { reason: 'fewer than 5 active people', weeks: ['2026-11-02'] },
    ]);
    expect(emptyWeeks(weeks, ['focus_hours_p75'])).toEqual([
      { reason: 'fewer than 5 active people', weeks: ['2026-11-02'] },
      { reason: 'fewer than 5 people with calendar data', weeks: ['2026-11-09'] },
    ]);
    expect(
      describeEmptyWeeks({
        reason: 'fewer than 5 active people',
        weeks: ['2026-11-02', '2026-11-09'],
      }),
    ).toBe('2 weeks without a value (fewer than 5 active people): 2 Nov, 9 Nov.');
  });

  it('does not call a week empty while any of the charted metrics has a value', () => {
    expect(emptyWeeks(weeks, ['focus_hours_p75', 'focus_hours_p25'])).toEqual([
      { reason: 'fewer than 5 active people', weeks: ['2026-11-02'] },
    ]);
  });
});

describe('target lines', () => {
  const points = [
    { week: '2026-11-02', value: 38, org: 25, band: [30, 52] as const },
    { week: '2026-11-09', value: null, org: 27, band: null },
  ];

  it('stretches the scale to a target near the values', () => {
    expect(targetFitsScale(points, 60)).toBe(true);
    expect(targetFitsScale(points, 156)).toBe(true);
  });

  it('keeps the scale when the target is far above every value, band included', () => {
    expect(targetFitsScale(points, 240)).toBe(false);
  });
});
