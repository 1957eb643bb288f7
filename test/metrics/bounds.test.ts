/**
 * Bounds: a stray instant cannot make the build unbounded. Activity outside the plausible range
 * (warehouse/bounds.ts) is ignored when choosing the reported weeks, and at most MAX_REPORT_WEEKS
 * weeks are reported.
 */
import { describe, expect, it } from 'vitest';
import { MAX_REPORT_WEEKS } from '../../warehouse/bounds.ts';
import { berlinColleagues, ADA, BOB } from './scenario.ts';

const weeks = async (built: {
  db: { one(sql: string): Promise<Record<string, unknown> | undefined> };
}) =>
  built.db.one(
    `SELECT count(*)::INTEGER AS weeks, min(week_start)::VARCHAR AS first, max(week_start)::VARCHAR AS last FROM intermediate.int_weeks`,
  );

describe('reported weeks', () => {
  it('ignore a message in 1970 and one in the year 33658 and stay the weeks of real activity', async () => {
    const built = await berlinColleagues()
      .meeting(ADA, { start: '2026-03-03 10:00', end: '2026-03-03 11:00', with: [BOB] })
      .meeting(ADA, { start: '2026-03-24 10:00', end: '2026-03-24 11:00', with: [BOB] })
      .person('eve@example.com', { team: 'Eng', timezone: 'Europe/Berlin', slack: 'UEVE' })
      .message('UEVE', {
        at: '1970-01-05 10:00',
        zone: 'UTC',
        conversation: 'C1',
        type: 'public_channel',
      })
      .message('UEVE', {
        at: '2026-03-04 10:00',
        zone: 'UTC',
        conversation: 'C1',
        type: 'public_channel',
      })
      .message('UEVE', {
        at: 'year 33658',
        ts: 999_999_999_999_000_000n,
        zone: 'UTC',
        conversation: 'C1',
        type: 'public_channel',
      })
      .build();
    expect(await weeks(built)).toEqual({ weeks: 4, first: '2026-03-02', last: '2026-03-23' });
  });

  it(`report at most ${MAX_REPORT_WEEKS} weeks, the latest, however far apart real activity is`, async () => {
    const built = await berlinColleagues()
      .meeting(ADA, { start: '2001-03-06 10:00', end: '2001-03-06 11:00', with: [BOB] })
      .meeting(ADA, { start: '2026-03-03 10:00', end: '2026-03-03 11:00', with: [BOB] })
      .build();
    expect(await weeks(built)).toEqual({
      weeks: MAX_REPORT_WEEKS,
      first: '2016-03-21',
      last: '2026-03-02',
    });
  });
});
