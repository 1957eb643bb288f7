import { describe, expect, it } from 'vitest';
import {
  coverageCellText,
  coverageLevel,
  describeBaseline,
  describeCoverage,
  describeCoverageGap,
  formatShare,
  weekMarkPhrases,
} from './data-health.ts';

const full = { members: 18, calendar: 18, slack: 18, both: 18, neither: 0 };
const partial = { members: 18, calendar: 12, slack: 16, both: 11, neither: 1 };

describe('coverage marks', () => {
  it('says nothing when every member is covered by both sources', () => {
    expect(describeCoverageGap(full)).toBeNull();
    expect(describeCoverageGap(null)).toBeNull();
    expect(describeCoverageGap({ ...full, members: 0, calendar: 0, slack: 0, both: 0 })).toBeNull();
  });

  it('names each source that misses members, with counts of the team-week', () => {
    expect(describeCoverageGap(partial)).toBe(
      'calendar data for 12 of 18, Slack data for 16 of 18',
    );
    expect(describeCoverageGap({ ...full, calendar: 12, both: 12 })).toBe(
      'calendar data for 12 of 18',
    );
  });

  it('lists a coverage gap and a holiday flag as separate phrases', () => {
    const marks = {
      coverage: { ...full, slack: 17, both: 17 },
      coverage_reason: null,
      probable_holiday: true,
      activity_z: -2.4,
    };
    expect(weekMarkPhrases(marks)).toEqual(['Slack data for 17 of 18', 'probable holiday week']);
    expect(
      weekMarkPhrases({ ...marks, coverage: full, probable_holiday: false, activity_z: 0.2 }),
    ).toEqual([]);
    expect(weekMarkPhrases(undefined)).toEqual([]);
  });
});

describe('the baseline footnote', () => {
  it('is empty when the baseline skipped nothing', () => {
    expect(describeBaseline(['2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02'], [])).toBe(
      null,
    );
  });

  it('names the weeks averaged and the holiday weeks left out', () => {
    expect(describeBaseline(['2026-10-12', '2026-10-26', '2026-11-02'], ['2026-10-19'])).toBe(
      'Average of 3 weeks, leaving out 19 Oct (probable holiday).',
    );
    expect(describeBaseline(['2026-10-12'], ['2026-10-19', '2026-10-26'])).toBe(
      'Average of 1 week, leaving out 19 Oct, 26 Oct (probable holidays).',
    );
  });
});

describe('the coverage heatmap', () => {
  it('shades by the share of members with data, "neither" turned around', () => {
    expect(coverageLevel(full, 'both')).toBe('full');
    expect(coverageLevel(partial, 'slack')).toBe('most'); // 16/18 = 0.89
    expect(coverageLevel(partial, 'calendar')).toBe('half'); // 12/18 = 0.67
    expect(coverageLevel({ ...partial, calendar: 8 }, 'calendar')).toBe('low'); // 0.44
    expect(coverageLevel(partial, 'neither')).toBe('most'); // 17/18 with some data
    expect(coverageLevel(full, 'neither')).toBe('full');
  });

  it('writes every count for the cell and for screen readers', () => {
    expect(coverageCellText(partial, 'both')).toBe('11/18');
    expect(coverageCellText(partial, 'neither')).toBe('1/18');
    expect(describeCoverage(partial)).toBe(
      '18 members: 12 with calendar data, 16 with Slack data, 11 with both, 1 with neither',
    );
  });

  it('rounds shares of the roster to whole percent', () => {
    expect(formatShare(0.955)).toBe('96%');
    expect(formatShare(1)).toBe('100%');
    expect(formatShare(null)).toBe('—');
  });
});
