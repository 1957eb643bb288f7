/**
 * Focus time, working shifts and local time, per docs/metrics.md. Expected values are computed by
 * hand in the comments. Tests run with TZ=Australia/Lord_Howe: nothing here may depend on it.
 */
import { describe, expect, it } from 'vitest';
import { ADA, BOB, berlinColleagues, Scenario } from './scenario.ts';

const ada = ADA;
const bob = BOB;

describe('each person’s zone', () => {
  it('comes from the roster, else the calendar, else the Slack profile, else the config', async () => {
    const built = await new Scenario({ timezone: 'Asia/Kolkata' })
      .person('roster@example.com', {
        team: 'T',
        timezone: 'Asia/Tokyo',
        calendarTimezone: 'Europe/Berlin',
        slack: 'U1',
        slackTimezone: 'America/New_York',
      })
      .person('calendar@example.com', {
        team: 'T',
        calendarTimezone: 'Europe/Berlin',
        slack: 'U2',
        slackTimezone: 'America/New_York',
      })
      .person('slack@example.com', { team: 'T', slack: 'U3', slackTimezone: 'America/New_York' })
      .person('default@example.com', { team: 'T' })
      .meeting('default@example.com', {
        start: '2026-03-03 10:00',
        end: '2026-03-03 11:00',
        with: ['roster@example.com'],
      })
      .build();
    const zones = await built.db.all(
      `SELECT r.email, w.timezone, w.timezone_source FROM intermediate.int_person_weeks AS w
       JOIN raw.roster_people AS r USING (person_id) ORDER BY r.email`,
    );
    expect(zones).toEqual([
      { email: 'calendar@example.com', timezone: 'Europe/Berlin', timezone_source: 'calendar' },
      { email: 'default@example.com', timezone: 'Asia/Kolkata', timezone_source: 'default' },
      { email: 'roster@example.com', timezone: 'Asia/Tokyo', timezone_source: 'roster' },
      { email: 'slack@example.com', timezone: 'America/New_York', timezone_source: 'slack' },
    ]);
    // Working hours fall back to the config default (Mon–Fri 09:00–17:00) in the person's own zone.
    expect(
      (await built.personWeek('default@example.com', '2026-03-02'))['working_hours'],
    ).toBeCloseTo(40, 9);
  });
});

describe('the weeks reported on', () => {
  it('run from the first to the last week with a meeting or a counted message, nothing else', async () => {
    // A declined event in September and a channel join in January do not stretch the range.
    const built = await berlinColleagues()
      .person(ada, { team: 'Eng', timezone: 'Europe/Berlin', slack: 'UADA' })
      .meeting(ada, { start: '2026-03-03 10:00', end: '2026-03-03 11:00', with: [bob] })
      .meeting(ada, {
        start: '2026-09-01 10:00',
        end: '2026-09-01 11:00',
        with: [bob],
        response: 'declined',
      })
      .message('UADA', {
        at: '2026-01-06 10:00',
        zone: 'Europe/Berlin',
        conversation: 'C1',
        type: 'public_channel',
        subtype: 'channel_join',
      })
      .build();
    expect(
      await built.db.all(`SELECT week_start::VARCHAR AS week FROM intermediate.int_weeks`),
    ).toEqual([{ week: '2026-03-02' }]);
  });
});

describe('focus and fragmented time', () => {
  it('counts a free block of exactly 120 minutes as focus and one of 119 minutes as fragmented', async () => {
    // Tuesday: meetings 10:59–12:00 and 14:00–15:00. Free: 09:00–10:59 (119 min, fragmented),
    // 12:00–14:00 (120, focus), 15:00–17:00 (120, focus). The other four days are 8 h of focus.
    const built = await berlinColleagues()
      .meeting(ada, { start: '2026-03-03 10:59', end: '2026-03-03 12:00', with: [bob] })
      .meeting(ada, { start: '2026-03-03 14:00', end: '2026-03-03 15:00', with: [bob] })
      .build();
    const week = await built.personWeek(ada, '2026-03-02');
    expect(week['fragmented_hours']).toBeCloseTo(119 / 60, 9);
    expect(week['focus_hours']).toBeCloseTo(4 + 4 * 8, 9);
    expect(week['meeting_hours_in_hours']).toBeCloseTo(121 / 60, 9);
    // The three parts always add up to the working hours.
    expect(
      Number(week['focus_hours']) +
        Number(week['fragmented_hours']) +
        Number(week['meeting_hours_in_hours']),
    ).toBeCloseTo(40, 9);
  });

  it('keeps focus-time events free: they are not meetings', async () => {
    const built = await berlinColleagues()
      .person(ada, { team: 'Eng', timezone: 'Europe/Berlin', slack: 'UADA' })
      .message('UADA', {
        at: '2026-03-04 10:00',
        zone: 'Europe/Berlin',
        conversation: 'C1',
        type: 'public_channel',
      })
      .meeting(ada, {
        start: '2026-03-03 09:00',
        end: '2026-03-03 13:00',
        with: [bob],
        type: 'focusTime',
      })
      .build();
    const week = await built.personWeek(ada, '2026-03-02');
    expect(week['focus_hours']).toBeCloseTo(40, 9);
    expect(week['meeting_hours']).toBe(0);
  });
});

describe('out-of-office days', () => {
  it('removes a day covered at least 50% by out-of-office time from working hours', async () => {
    // Wednesday 09:00–13:00 out of office = 4 of 8 hours = 50% → the whole day is out of office.
    // Thursday 09:00–12:59 = 49.8% → still a working day. A message on Wednesday at 15:00 is off-hours.
    const built = await berlinColleagues()
      .person(ada, {
        team: 'Eng',
        timezone: 'Europe/Berlin',
        days: 'Mon-Fri',
        start: '09:00',
        end: '17:00',
        slack: 'UADA',
      })
      .meeting(ada, {
        start: '2026-03-04 09:00',
        end: '2026-03-04 13:00',
        type: 'outOfOffice',
        organizer: 'owner',
      })
      .meeting(ada, {
        start: '2026-03-05 09:00',
        end: '2026-03-05 12:59',
        type: 'outOfOffice',
        organizer: 'owner',
      })
      .message('UADA', {
        at: '2026-03-04 15:00',
        zone: 'Europe/Berlin',
        conversation: 'C1',
        type: 'public_channel',
      })
      .message('UADA', {
        at: '2026-03-05 15:00',
        zone: 'Europe/Berlin',
        conversation: 'C1',
        type: 'public_channel',
      })
      .build();
    const week = await built.personWeek(ada, '2026-03-02');
    expect(week['out_of_office_days']).toBe(1);
    expect(week['working_hours']).toBeCloseTo(32, 9);
    expect(week['messages_sent']).toBe(2);
    expect(week['off_hours_messages']).toBe(1);
    expect(week['off_hours_share']).toBeCloseTo(0.5, 9);
  });

  it('treats an all-day out-of-office event as covering each working day it spans', async () => {
    // Thursday and Friday (end date exclusive) are out of office: 24 working hours remain.
    const built = await berlinColleagues()
      .allDay(ada, 'outOfOffice', '2026-03-05', '2026-03-07')
      .meeting(ada, { start: '2026-03-02 10:00', end: '2026-03-02 11:00', with: [bob] })
      .build();
    const week = await built.personWeek(ada, '2026-03-02');
    expect(week['out_of_office_days']).toBe(2);
    expect(week['working_hours']).toBeCloseTo(24, 9);
    expect(week['meeting_load_pct']).toBeCloseTo((100 * 1) / 24, 9);
  });

  it('counts a meeting on an out-of-office day as after hours', async () => {
    const built = await berlinColleagues()
      .allDay(ada, 'outOfOffice', '2026-03-04', '2026-03-05')
      .meeting(ada, { start: '2026-03-04 10:00', end: '2026-03-04 11:00', with: [bob] })
      .build();
    const week = await built.personWeek(ada, '2026-03-02');
    expect(week['meeting_hours']).toBeCloseTo(1, 9);
    expect(week['after_hours_meeting_hours']).toBeCloseTo(1, 9);
    expect(week['meeting_load_pct']).toBe(0);
  });
});

describe('shifts crossing midnight', () => {
  it('gives a night shift to the day it starts, and judges messages and meetings by it', async () => {
    // Nia works Mon–Fri 22:00–06:00 in Asia/Tokyo (no DST): 5 × 8 h = 40 h, all inside the week
    // of 2026-03-02 except that Friday's shift runs into Saturday, still the same week.
    // Tuesday 01:00–02:00 is inside Monday's shift; Saturday 03:00 is inside Friday's shift;
    // Monday 03:00 is outside any shift (Sunday has none).
    const nia = 'nia@example.com';
    const built = await new Scenario()
      .person(nia, {
        team: 'Ops',
        timezone: 'Asia/Tokyo',
        days: 'Mon-Fri',
        start: '22:00',
        end: '06:00',
        slack: 'UNIA',
      })
      .person(bob, { team: 'Ops', timezone: 'Asia/Tokyo' })
      .meeting(nia, { start: '2026-03-03 01:00', end: '2026-03-03 02:00', with: [bob] })
      .message('UNIA', {
        at: '2026-03-07 03:00',
        zone: 'Asia/Tokyo',
        conversation: 'C1',
        type: 'public_channel',
      })
      .message('UNIA', {
        at: '2026-03-02 03:00',
        zone: 'Asia/Tokyo',
        conversation: 'C1',
        type: 'public_channel',
      })
      .build();
    const week = await built.personWeek(nia, '2026-03-02');
    expect(week['working_hours']).toBeCloseTo(40, 9);
    expect(week['meeting_hours_in_hours']).toBeCloseTo(1, 9);
    expect(week['messages_sent']).toBe(2);
    expect(week['off_hours_messages']).toBe(1);
  });

  it('classifies free time over the whole shift, then splits it at the week boundary', async () => {
    // Sam works Sun–Thu 22:00–06:00 in Asia/Tokyo. Sunday 2026-03-08's shift has a meeting on
    // Monday 01:00–02:00, leaving free 22:00–01:00 (3 h, focus) and 02:00–06:00 (4 h, focus).
    // Week of 2026-03-09: 00:00–01:00 of the first block (1 h, still focus: the block is 3 h long),
    // the meeting (1 h), 02:00–06:00 (4 h), Mon–Thu shifts (32 h), and the first 2 h of Sunday
    // 15th's shift: 39 h focus + 1 h meeting = 40 working hours, no fragmented time.
    // Week of 2026-03-02 keeps the 22:00–24:00 piece of Sunday 8th: 2 h of focus.
    const sam = 'sam@example.com';
    const built = await new Scenario()
      .person(sam, {
        team: 'Ops',
        timezone: 'Asia/Tokyo',
        days: 'Sun-Thu',
        start: '22:00',
        end: '06:00',
        slack: 'USAM',
      })
      .person(bob, { team: 'Ops', timezone: 'Asia/Tokyo' })
      .meeting(sam, { start: '2026-03-09 01:00', end: '2026-03-09 02:00', with: [bob] })
      // Messages in the first and the last week set the weeks reported on.
      .message('USAM', {
        at: '2026-03-02 23:00',
        zone: 'Asia/Tokyo',
        conversation: 'C1',
        type: 'public_channel',
      })
      .message('USAM', {
        at: '2026-03-19 23:00',
        zone: 'Asia/Tokyo',
        conversation: 'C1',
        type: 'public_channel',
      })
      .build();
    const second = await built.personWeek(sam, '2026-03-09');
    expect(second['working_hours']).toBeCloseTo(40, 9);
    expect(second['meeting_hours_in_hours']).toBeCloseTo(1, 9);
    expect(second['focus_hours']).toBeCloseTo(39, 9);
    expect(second['fragmented_hours']).toBe(0);
    const first = await built.personWeek(sam, '2026-03-02');
    // Mon 2–Thu 5 (32 h) + Sunday 8th until midnight (2 h); nothing before the first reported week.
    expect(first['working_hours']).toBeCloseTo(34, 9);
  });
});

describe('a move to another zone', () => {
  it('ends the last week in the old zone where the first in the new one begins: nothing counts twice', async () => {
    // Ada works from New York until she moves to Berlin on 2026-03-02. Her Sunday-evening meeting
    // 20:00–22:00 New York on 1 March is 02:00–04:00 Monday in Berlin: it belongs to her first
    // Berlin week only. Her last New York week therefore ends at Monday 00:00 Berlin time,
    // 6 hours before Monday 00:00 New York time.
    const built = await new Scenario()
      .person(ada, { team: 'Eng', timezone: 'America/New_York', slack: 'UADA' })
      .person(bob, { team: 'Eng', timezone: 'Europe/Berlin' })
      .move('2026-03-02', ada, { timezone: 'Europe/Berlin' })
      .message('UADA', {
        at: '2026-02-24 10:00',
        zone: 'America/New_York',
        conversation: 'C1',
        type: 'public_channel',
      })
      .meeting(ada, {
        start: '2026-03-01 20:00',
        end: '2026-03-01 22:00',
        zone: 'America/New_York',
        with: [bob],
      })
      .build();
    const before = await built.personWeek(ada, '2026-02-23');
    const after = await built.personWeek(ada, '2026-03-02');
    expect([before['timezone'], after['timezone']]).toEqual(['America/New_York', 'Europe/Berlin']);
    expect([before['meeting_hours'], before['meetings_count']]).toEqual([0, 0]);
    expect([after['meeting_hours'], after['meetings_count']]).toEqual([2, 1]);
    expect(
      await built.db.all(
        `SELECT (epoch_us(week_end_at) - epoch_us(week_start_at)) / 3.6e9 AS hours FROM intermediate.int_person_weeks
         JOIN raw.roster_people USING (person_id) WHERE email = '${ada}' AND as_of = '2026-01-05' ORDER BY week_start`,
      ),
    ).toEqual([{ hours: 162 }, { hours: 168 }]);
  });
});

describe('daylight-saving weeks', () => {
  it('has a 23-hour Sunday in the spring week and a 25-hour Sunday in the autumn week', async () => {
    // Europe/Berlin springs forward on Sunday 2026-03-29 and falls back on Sunday 2026-10-25.
    // A Sat–Sun night shift 22:00–06:00 spanning each change lasts 7 h and 9 h respectively.
    const owl = 'owl@example.com';
    const built = await new Scenario()
      .person(owl, {
        team: 'Ops',
        timezone: 'Europe/Berlin',
        days: 'Sat',
        start: '22:00',
        end: '06:00',
        slack: 'UOWL',
      })
      .message('UOWL', {
        at: '2026-03-24 12:00',
        zone: 'Europe/Berlin',
        conversation: 'C1',
        type: 'public_channel',
      })
      .message('UOWL', {
        at: '2026-10-20 12:00',
        zone: 'Europe/Berlin',
        conversation: 'C1',
        type: 'public_channel',
      })
      .build();
    const spring = await built.db.all(
      `SELECT (epoch_us(week_end_at) - epoch_us(week_start_at)) / 3.6e9 AS hours FROM intermediate.int_person_weeks WHERE week_start IN ('2026-03-23', '2026-10-19') ORDER BY week_start`,
    );
    expect(spring.map((row) => row['hours'])).toEqual([167, 169]);
    expect((await built.personWeek(owl, '2026-03-23'))['working_hours']).toBeCloseTo(7, 9);
    expect((await built.personWeek(owl, '2026-10-19'))['working_hours']).toBeCloseTo(9, 9);
  });

  it('keeps a 09:00–17:00 day at 8 hours on both sides of the change, in local time', async () => {
    // America/New_York changes on 2026-03-08. Meetings at 09:00–10:00 local on the Friday before
    // and the Monday after are both inside working hours, although their UTC times differ by 1 h.
    const ny = 'ny@example.com';
    const built = await new Scenario()
      .person(ny, {
        team: 'Sales',
        timezone: 'America/New_York',
        days: 'Mon-Fri',
        start: '09:00',
        end: '17:00',
      })
      .person(bob, { team: 'Sales', timezone: 'America/New_York' })
      .meeting(ny, { start: '2026-03-06 09:00', end: '2026-03-06 10:00', with: [bob] })
      .meeting(ny, { start: '2026-03-09 09:00', end: '2026-03-09 10:00', with: [bob] })
      .build();
    for (const week of ['2026-03-02', '2026-03-09']) {
      const row = await built.personWeek(ny, week);
      expect(row['working_hours']).toBeCloseTo(40, 9);
      expect(row['meeting_hours_in_hours']).toBeCloseTo(1, 9);
    }
  });
});
