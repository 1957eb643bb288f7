/**
 * Team-week aggregation and privacy, per docs/metrics.md: medians across active members,
 * suppression under minGroupSize (5), empty cells for metrics with fewer than 5 contributors,
 * parent teams aggregating descendants, pooled shares and time-zone overlap.
 */
import { describe, expect, it } from 'vitest';
import { Scenario } from './scenario.ts';

const WEEK = '2026-03-02';
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const people = ['p1', 'p2', 'p3', 'p4', 'p5'].map((name) => `${name}@example.com`);

/** Five Berlin colleagues; person i has i hours of meetings with the next person on Tuesday. */
function fiveWithMeetings(count = 5): Scenario {
  const scenario = new Scenario();
  const team = people.slice(0, count);
  for (const [index, email] of team.entries()) {
    scenario.person(email, {
      team: 'Eng/Core',
      timezone: BERLIN,
      days: 'Mon-Fri',
      start: '09:00',
      end: '17:00',
      slack: `U${index}`,
    });
  }
  for (const [index, email] of team.entries()) {
    const colleague = team[(index + 1) % team.length] ?? email;
    scenario.meeting(email, {
      start: '2026-03-03 09:00',
      end: `2026-03-03 ${String(10 + index).padStart(2, '0')}:00`,
      with: [colleague],
    });
  }
  return scenario;
}

describe('team-week medians', () => {
  it('takes the median and quartiles across active members with linear interpolation', async () => {
    // Meeting hours 1, 2, 3, 4, 5 → median 3, p25 2, p75 4. Focus: 40 − h for each → median 37.
    const built = await fiveWithMeetings().build();
    const row = await built.teamWeek('Eng/Core', WEEK);
    expect(row['members']).toBe(5);
    expect(row['members_active']).toBe(5);
    expect(row['suppressed']).toBe(false);
    expect(row['meeting_hours_median']).toBeCloseTo(3, 9);
    expect(row['meeting_hours_p25']).toBeCloseTo(2, 9);
    expect(row['meeting_hours_p75']).toBeCloseTo(4, 9);
    expect(row['focus_hours_median']).toBeCloseTo(37, 9);
    expect(row['meeting_load_pct_median']).toBeCloseTo(7.5, 9);
    // Pooled: 15 meeting hours of 200 working hours.
    expect(row['meeting_share']).toBeCloseTo(15 / 200, 9);
  });

  it('aggregates a parent team over its descendants', async () => {
    const built = await fiveWithMeetings().build();
    const parent = await built.teamWeek('Eng', WEEK);
    expect(parent['members']).toBe(5);
    expect(parent['meeting_hours_median']).toBeCloseTo(3, 9);
    const org = await built.db.all(
      `SELECT members_active, meeting_hours_median FROM marts.org_weeks WHERE week_start = '${WEEK}'`,
    );
    expect(org).toEqual([{ members_active: 5, meeting_hours_median: 3 }]);
  });
});

describe('suppression', () => {
  it('suppresses a team-week with 4 active members: every metric is empty', async () => {
    const built = await fiveWithMeetings(4).build();
    const row = await built.teamWeek('Eng/Core', WEEK);
    expect(row['members_active']).toBe(4);
    expect(row['suppressed']).toBe(true);
    const metricColumns = Object.entries(row).filter(
      ([column]) =>
        !['team_path', 'week_start', 'members', 'members_active', 'suppressed'].includes(column),
    );
    expect(metricColumns.length).toBeGreaterThan(25);
    expect(metricColumns.filter(([, value]) => value !== null)).toEqual([]);
  });

  it('counts only active members: a sixth member with no activity does not lift a team of 4 over the threshold', async () => {
    const built = await fiveWithMeetings(4)
      .person('idle@example.com', { team: 'Eng/Core', timezone: BERLIN })
      .build();
    const row = await built.teamWeek('Eng/Core', WEEK);
    expect(row['members']).toBe(5);
    expect(row['members_active']).toBe(4);
    expect(row['suppressed']).toBe(true);
  });

  it('empties a metric with only 4 contributors while the rest of the row stays', async () => {
    // Five active members; only four answer three DMs each (3+ responses), so the latency cells
    // are empty, while the meeting cells (five contributors) are shown.
    const scenario = fiveWithMeetings();
    for (let responder = 0; responder < 4; responder++) {
      for (let question = 0; question < 3; question++) {
        const conversation = `D${responder}-${question}`;
        scenario.message('U4', { at: `2026-03-04 1${question}:00`, zone: BERLIN, conversation });
        scenario.message(`U${responder}`, {
          at: `2026-03-04 1${question}:1${responder}`,
          zone: BERLIN,
          conversation,
        });
      }
    }
    const built = await scenario.build();
    const row = await built.teamWeek('Eng/Core', WEEK);
    expect(row['suppressed']).toBe(false);
    expect(row['latency_contributors']).toBe(4);
    expect(row['response_median_working_minutes']).toBeNull();
    expect(row['response_median_wall_minutes']).toBeNull();
    expect(row['responses_within_5min_share_median']).toBeNull();
    expect(row['meeting_hours_median']).toBeCloseTo(3, 9);
  });

  it('honours minGroupSize from the config', async () => {
    const scenario = new Scenario({ minGroupSize: 3 });
    for (const [index, email] of people.slice(0, 3).entries()) {
      scenario.person(email, { team: 'Small', timezone: BERLIN });
      scenario.meeting(email, {
        start: '2026-03-03 10:00',
        end: '2026-03-03 11:00',
        with: [people[(index + 1) % 3] ?? email],
      });
    }
    const row = await (await scenario.build()).teamWeek('Small', WEEK);
    expect(row['suppressed']).toBe(false);
    expect(row['meeting_hours_median']).toBeCloseTo(1, 9);
  });
});

describe('time-zone overlap', () => {
  it('counts the quarter hours in which every active member works, per day, across two DST changes', async () => {
    // Three people in Berlin and two in New York, all 09:00–17:00.
    // Week of 03-02: Berlin 08–16 UTC, New York 14–22 UTC → 2 h a day → 10 h / 5 = 2.
    // Week of 03-09: New York moved to summer time on 03-08 (13–21 UTC), Berlin not yet → 3.
    // Week of 03-30: both on summer time (Berlin 07–15 UTC, New York 13–21 UTC) → 2.
    const scenario = new Scenario();
    const zones = [BERLIN, BERLIN, BERLIN, NEW_YORK, NEW_YORK];
    for (const [index, email] of people.entries()) {
      scenario.person(email, {
        team: 'Global',
        timezone: zones[index] ?? BERLIN,
        days: 'Mon-Fri',
        start: '09:00',
        end: '17:00',
        slack: `U${index}`,
      });
      for (const day of ['2026-03-03', '2026-03-10', '2026-03-17', '2026-03-24', '2026-03-31']) {
        scenario.message(`U${index}`, {
          at: `${day} 12:00`,
          zone: zones[index] ?? BERLIN,
          conversation: `C${index}`,
          type: 'public_channel',
        });
      }
    }
    const built = await scenario.build();
    expect((await built.teamWeek('Global', '2026-03-02'))['overlap_hours_all']).toBeCloseTo(2, 9);
    expect((await built.teamWeek('Global', '2026-03-09'))['overlap_hours_all']).toBeCloseTo(3, 9);
    expect((await built.teamWeek('Global', '2026-03-30'))['overlap_hours_all']).toBeCloseTo(2, 9);
  });

  it('counts whole 15-minute slots only', async () => {
    // Five people in Kolkata (UTC+5:30) working 09:00–17:00 would share the whole 8 h day. One of
    // them starts at 09:10, so the slot 03:30–03:45 UTC is no longer shared in full: 7 h 45 min a
    // day remain → 38.75 / 5 = 7.75.
    const scenario = new Scenario();
    for (const [index, email] of people.entries()) {
      scenario.person(email, {
        team: 'India',
        timezone: 'Asia/Kolkata',
        days: 'Mon-Fri',
        start: index === 0 ? '09:10' : '09:00',
        end: '17:00',
        slack: `U${index}`,
      });
      scenario.message(`U${index}`, {
        at: '2026-03-03 12:00',
        zone: 'Asia/Kolkata',
        conversation: `C${index}`,
        type: 'public_channel',
      });
    }
    const built = await scenario.build();
    expect((await built.teamWeek('India', WEEK))['overlap_hours_all']).toBeCloseTo(7.75, 9);
  });
});
