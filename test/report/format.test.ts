/**
 * What only the report writes: targets and day labels short enough for a phone. Values and changes
 * come from the functions the dashboard uses (server/contract/format.ts, change.ts).
 */
import { describe, expect, it } from 'vitest';
import { formatShortDay, formatTarget } from '../../server/report/format.ts';

describe('report labels', () => {
  it('writes targets and week labels short enough for a phone', () => {
    expect(formatTarget('max', 30, 'percent')).toBe('≤ 30%');
    expect(formatTarget('min', 12, 'hours')).toBe('≥ 12 h');
    expect(formatTarget('max', 0.1, 'share')).toBe('≤ 10%');
    expect(formatShortDay('2026-11-09')).toBe('9 Nov');
    // The label is computed in UTC from the date alone: the machine's zone (Lord Howe) cannot shift it.
    expect(formatShortDay('2026-04-06')).toBe('6 Apr');
  });
});
