/**
 * Team-week aggregation and privacy, per docs/metrics.md and docs/privacy.md: medians across
 * active members, suppression under minGroupSize (5), empty cells for metrics with fewer than 5
 * contributors, percentiles only from 10, parent teams aggregating descendants, counts as bands,
 * pooled shares and counts withheld around small teams, and time-zone overlap.
 */
import { describe, expect, it } from 'vitest';
import { Scenario } from './scenario.ts';

const WEEK = '2026-03-02';
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const people = Array.from({ length: 10 }, (_, index) => `p${index + 1}@example.com`);

/** Five (or `count`) Berlin colleagues; person i has i hours of meetings on Tuesday. */
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
  it('takes the median across active members; quartiles of five would be people, so they stay empty', async () => {
    // Meeting hours 1, 2, 3, 4, 5 → median 3; p25 and p75 would be 2 and 4, the second and fourth
    // person's own values. Focus: 40 − h for each → median 37.
    const built = await fiveWithMeetings().build();
    const row = await built.teamWeek('Eng/Core', WEEK);
    expect(row['members']).toBe(5);
    expect(row).not.toHaveProperty('members_active');
    expect([row['members_active_min'], row['members_active_max']]).toEqual([5, 5]);
    expect(row['suppressed']).toBe(false);
    expect(row['meeting_hours_median']).toBeCloseTo(3, 9);
    expect(row['meeting_hours_p25']).toBeNull();
    expect(row['meeting_hours_p75']).toBeNull();
    expect(row['focus_hours_median']).toBeCloseTo(37, 9);
    expect(row['meeting_load_pct_median']).toBeCloseTo(7.5, 9);
    // Pooled: 15 meeting hours of 200 working hours.
    expect(row['meeting_share']).toBeCloseTo(15 / 200, 9);
  });

  it('gives quartiles with linear interpolation from 2 × minGroupSize contributors', async () => {
    // Ten people with 0.5, 1.0, … 5.0 meeting hours: p25 1.625, median 2.75, p75 3.875; active
    // count in the band 10–14, capped at the ten members.
    const scenario = new Scenario();
    for (const [index, email] of people.entries()) {
      scenario.person(email, { team: 'Eng/Core', timezone: BERLIN });
      const end = 9 * 60 + 30 * (index + 1);
      scenario.meeting(email, {
        start: '2026-03-03 09:00',
        end: `2026-03-03 ${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`,
        with: [people[(index + 1) % people.length] ?? email],
      });
    }
    const row = await (await scenario.build()).teamWeek('Eng/Core', WEEK);
    expect(row['meeting_hours_p25']).toBeCloseTo(1.625, 9);
    expect(row['meeting_hours_median']).toBeCloseTo(2.75, 9);
    expect(row['meeting_hours_p75']).toBeCloseTo(3.875, 9);
    expect([row['members_active_min'], row['members_active_max']]).toEqual([10, 10]);
  });

  it('aggregates a parent team over its descendants', async () => {
    const built = await fiveWithMeetings().build();
    const parent = await built.teamWeek('Eng', WEEK);
    expect(parent['members']).toBe(5);
    expect(parent['meeting_hours_median']).toBeCloseTo(3, 9);
    const org = await built.db.all(
      `SELECT members_active_min, members_active_max, meeting_hours_median FROM marts.org_weeks WHERE week_start = '${WEEK}'`,
    );
    expect(org).toEqual([
      { members_active_min: 5, members_active_max: 5, meeting_hours_median: 3 },
    ]);
  });
});

describe('suppression', () => {
  it('suppresses a team-week with 4 active members: every metric is empty', async () => {
    const built = await fiveWithMeetings(4).build();
    const row = await built.teamWeek('Eng/Core', WEEK);
    expect(row['suppressed']).toBe(true);
    // No count of active people either: "4 of 4" or "3 of 4" would say who was away.
    const metricColumns = Object.entries(row).filter(
      ([column]) =>
        !['team_path', 'week_start', 'members', 'suppressed', 'counts_withheld'].includes(column),
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
    expect(row['suppressed']).toBe(true);
    const [exact] = await built.db.all(
      `SELECT members_active FROM intermediate.int_group_weeks WHERE group_key = 'Eng/Core' AND week_start = '${WEEK}'`,
    );
    expect(exact).toEqual({ members_active: 4 });
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
    const [exact] = await built.db.all(
      `SELECT latency_contributors FROM intermediate.int_group_weeks WHERE group_key = 'Eng/Core' AND week_start = '${WEEK}'`,
    );
    expect(exact).toEqual({ latency_contributors: 4 });
    expect(row).not.toHaveProperty('latency_contributors');
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

describe('sums around small teams', () => {
  it('withholds the count band and pooled shares of every group containing a team with 1 to 4 own members, keeping medians', async () => {
    // Eng/Core has five; Eng itself has one own member (its head): Eng − Eng/Core would be that
    // one person, so neither Eng nor the organisation shows a count or a pooled share.
    const built = await fiveWithMeetings()
      .person('head@example.com', { team: 'Eng', timezone: BERLIN })
      .meeting('head@example.com', {
        start: '2026-03-03 09:00',
        end: '2026-03-03 12:00',
        with: [people[0] ?? ''],
      })
      .build();
    const core = await built.teamWeek('Eng/Core', WEEK);
    expect(core['counts_withheld']).toBe(false);
    expect([core['members_active_min'], core['members_active_max']]).toEqual([5, 5]);
    expect(core['meeting_share']).not.toBeNull();
    const eng = await built.teamWeek('Eng', WEEK);
    expect(eng['counts_withheld']).toBe(true);
    expect(eng['suppressed']).toBe(false);
    expect(eng['members']).toBe(6);
    expect(eng['members_active_min']).toBeNull();
    expect(eng['members_active_max']).toBeNull();
    for (const pooled of ['public_share', 'focus_share', 'fragmented_share', 'meeting_share'])
      expect(eng[pooled], pooled).toBeNull();
    expect(eng['meeting_hours_median']).toBeCloseTo(3, 9);
    const org = await built.db.all(
      `SELECT counts_withheld, members_active_min, focus_share FROM marts.org_weeks WHERE week_start = '${WEEK}'`,
    );
    expect(org).toEqual([{ counts_withheld: true, members_active_min: null, focus_share: null }]);
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
    for (const [index, email] of people.slice(0, 5).entries()) {
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
    for (const [index, email] of people.slice(0, 5).entries()) {
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

  it('takes every member, active or not: a week away must not show in the overlap', async () => {
    // Five in Berlin, active; one in New York with nothing that week (away). Berlin alone would
    // overlap 8 h; with New York's schedule 2 h (08–16 and 14–22 UTC), whether she worked or not.
    const built = await fiveWithMeetings()
      .person('away@example.com', {
        team: 'Eng/Core',
        timezone: NEW_YORK,
        days: 'Mon-Fri',
        start: '09:00',
        end: '17:00',
      })
      .build();
    const row = await built.teamWeek('Eng/Core', WEEK);
    expect(row['suppressed']).toBe(false);
    expect(row['overlap_hours_all']).toBeCloseTo(2, 9);
  });
});
