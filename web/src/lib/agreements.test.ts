import { describe, expect, it } from 'vitest';
import type { AgreementCheck, TeamWeek } from '../../../server/contract/index.ts';
import {
  agreementStatus,
  agreementTargets,
  compliance,
  describeCompliance,
  describeTarget,
  formatTarget,
  targetFor,
} from './agreements.ts';

const agreements = {
  meeting_load_pct_max: 30,
  focus_hours_min: 12,
  response_median_working_minutes_max: null,
  off_hours_share_max: 0.1,
};

function weekWith(checks: AgreementCheck[]): TeamWeek {
  return { agreements: checks } as unknown as TeamWeek;
}

describe('working agreements', () => {
  it('lists only the targets a team has set, with their metric and direction', () => {
    expect(agreementTargets(agreements)).toEqual([
      { metric: 'meeting_load_pct_median', comparison: 'max', target: 30 },
      { metric: 'focus_hours_median', comparison: 'min', target: 12 },
      { metric: 'off_hours_share_median', comparison: 'max', target: 0.1 },
    ]);
    expect(targetFor(agreements, 'response_median_working_minutes')).toBeUndefined();
    expect(targetFor(agreements, 'focus_hours_median')?.target).toBe(12);
  });

  it('marks a cell as a breach only when the check failed', () => {
    const week = weekWith([
      { metric: 'meeting_load_pct_median', comparison: 'max', target: 30, met: false },
      { metric: 'focus_hours_median', comparison: 'min', target: 12, met: true },
      { metric: 'off_hours_share_median', comparison: 'max', target: 0.1, met: null },
    ]);
    expect(agreementStatus(week, 'meeting_load_pct_median')).toBe('missed');
    expect(agreementStatus(week, 'focus_hours_median')).toBe('met');
    expect(agreementStatus(week, 'off_hours_share_median')).toBe('unknown');
    expect(agreementStatus(week, 'sync_share_median')).toBe('none');
    expect(agreementStatus(null, 'meeting_load_pct_median')).toBe('none');
  });

  it('counts compliance per week, keeping unmeasurable targets apart', () => {
    const result = compliance([
      { metric: 'meeting_load_pct_median', comparison: 'max', target: 30, met: false },
      { metric: 'focus_hours_median', comparison: 'min', target: 12, met: true },
      { metric: 'off_hours_share_median', comparison: 'max', target: 0.1, met: null },
    ]);
    expect(result).toEqual({ met: 1, missed: 1, unknown: 1, total: 3 });
    expect(describeCompliance(result)).toBe('met 1 of 2 (1 not measurable)');
    expect(describeCompliance({ met: 0, missed: 0, unknown: 2, total: 2 })).toBe('not measurable');
    expect(describeCompliance(compliance([]))).toBe('no targets');
  });

  it('writes targets in the metric unit, shares as percentages', () => {
    const offHours = { metric: 'off_hours_share_median', comparison: 'max', target: 0.1 } as const;
    expect(formatTarget(offHours, 'share')).toBe('≤ 10%');
    expect(
      describeTarget({ metric: 'focus_hours_median', comparison: 'min', target: 12 }, 'hours'),
    ).toBe('at least 12 h');
  });
});
