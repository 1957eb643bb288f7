import { describe, expect, it } from 'vitest';
import { METRICS } from './metrics.ts';
import { describeChange } from './change.ts';

describe('change against the previous 4-week average', () => {
  it('marks more meeting load as worse, in percentage points', () => {
    expect(describeChange(4.26, METRICS.meeting_load_pct_median)).toEqual({
      text: '+4.3 pts',
      direction: 'up',
      tone: 'worse',
      description: '4.3 percentage points higher than the previous 4-week average (worse)',
    });
  });

  it('marks more focus time as better', () => {
    expect(describeChange(1.5, METRICS.focus_hours_median)).toMatchObject({
      text: '+1.5 h',
      tone: 'better',
    });
    expect(describeChange(-2, METRICS.focus_hours_median)).toMatchObject({
      text: '\u22122 h',
      direction: 'down',
      tone: 'worse',
    });
  });

  it('converts a change of a share into percentage points', () => {
    expect(describeChange(-0.032, METRICS.off_hours_share_median)).toMatchObject({
      text: '\u22123.2 pts',
      tone: 'better',
    });
  });

  it('does not judge metrics without a healthier direction', () => {
    expect(describeChange(12, METRICS.response_median_working_minutes)).toMatchObject({
      text: '+12 min',
      tone: 'neutral',
      description: '12 minutes higher than the previous 4-week average',
    });
  });

  it('calls a change that rounds to nothing flat, not up or down', () => {
    expect(describeChange(0.0004, METRICS.sync_share_median)).toMatchObject({
      text: '±0 pts',
      direction: 'flat',
      tone: 'neutral',
    });
  });

  it('shows nothing when the change is unknown', () => {
    expect(describeChange(null, METRICS.focus_hours_median)).toBeNull();
  });
});
