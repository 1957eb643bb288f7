import { describe, expect, it } from 'vitest';
import { markdownToPlainText } from './plain-text.ts';

describe('definitions as plain text', () => {
  it('keeps the words of links, code and emphasis and drops the markup', () => {
    expect(
      markdownToPlainText(
        'Hours in meetings with **at least one** other person, see [working hours](#working-hours) and `meeting_hours`; *not* all-day events.',
      ),
    ).toBe(
      'Hours in meetings with at least one other person, see working hours and meeting_hours; not all-day events.',
    );
  });

  it('leaves underscores inside words alone', () => {
    expect(markdownToPlainText('Same as off_hours_share, per person_week.')).toBe(
      'Same as off_hours_share, per person_week.',
    );
  });
});
