/**
 * Meetings, per docs/metrics.md. Every expected value is computed by hand in the comment above it.
 * Ada works Mon–Fri 09:00–17:00 in Europe/Berlin; the week of 2026-03-02 is an ordinary week
 * (Berlin is on CET, UTC+1) with 40 working hours.
 */
import { describe, expect, it } from 'vitest';
import { ADA, BOB, berlinColleagues, Scenario } from './scenario.ts';

const WEEK = '2026-03-02';
const ada = ADA;
const bob = BOB;

describe('meeting hours', () => {
  it('merges overlapping meetings so overlaps count once, and reports the overlap as conflict', async () => {
    // 10:00–11:00 and 10:30–12:00 → union 10:00–12:00 = 2 h; both at once 10:30–11:00 = 0.5 h;
    // plain sum of durations 1 + 1.5 = 2.5 h (the breakdowns do not merge).
    const built = await berlinColleagues()
      .meeting(ada, { start: '2026-03-03 10:00', end: '2026-03-03 11:00', with: [bob] })
      .meeting(ada, {
        start: '2026-03-03 10:30',
        end: '2026-03-03 12:00',
        with: [bob],
        recurring: true,
      })
      .build();
    const week = await built.personWeek(ada, WEEK);
    expect(week['meeting_hours']).toBeCloseTo(2, 9);
    expect(week['conflict_hours']).toBeCloseTo(0.5, 9);
    expect(week['meetings_count']).toBe(2);
    expect(week['one_off_meeting_hours']).toBeCloseTo(1, 9);
    expect(week['recurring_meeting_hours']).toBeCloseTo(1.5, 9);
    expect(week['one_on_one_meeting_hours']).toBeCloseTo(2.5, 9);
    expect(week['long_meeting_hours']).toBeCloseTo(1.5, 9);
    // 2 h of 40 working hours.
    expect(week['meeting_load_pct']).toBeCloseTo(5, 9);
  });

  it('merges identical double-bookings into one stretch, however many', async () => {
    // Three meetings 10:00–11:00 and one 10:30–12:00: one union of 10:00–12:00 (2 h); 10:00–11:00
    // has two or more at once (1 h of conflict); Tuesday keeps 09:00–10:00 (fragmented) and
    // 12:00–17:00 (focus), so focus is 5 + 4 × 8 = 37 h.
    const built = await berlinColleagues()
      .meeting(ada, { start: '2026-03-03 10:00', end: '2026-03-03 11:00', with: [bob] })
      .meeting(ada, { start: '2026-03-03 10:00', end: '2026-03-03 11:00', with: [bob] })
      .meeting(ada, { start: '2026-03-03 10:00', end: '2026-03-03 11:00', with: [bob] })
      .meeting(ada, { start: '2026-03-03 10:30', end: '2026-03-03 12:00', with: [bob] })
      .build();
    const week = await built.personWeek(ada, WEEK);
    expect(week['meeting_hours']).toBeCloseTo(2, 9);
    expect(week['meeting_hours_in_hours']).toBeCloseTo(2, 9);
    expect(week['conflict_hours']).toBeCloseTo(1, 9);
    expect(week['focus_hours']).toBeCloseTo(37, 9);
    expect(week['fragmented_hours']).toBeCloseTo(1, 9);
  });

  it('does not count back-to-back meetings as a conflict', async () => {
    const built = await berlinColleagues()
      .meeting(ada, { start: '2026-03-03 10:00', end: '2026-03-03 11:00', with: [bob] })
      .meeting(ada, { start: '2026-03-03 11:00', end: '2026-03-03 12:00', with: [bob] })
      .build();
    const week = await built.personWeek(ada, WEEK);
    expect(week['meeting_hours']).toBeCloseTo(2, 9);
    expect(week['conflict_hours']).toBe(0);
  });

  it('splits a meeting crossing the end of working hours into in-hours and after-hours parts', async () => {
    // 16:00–18:30 with working hours ending at 17:00 → 1 h inside, 1.5 h after.
    const built = await berlinColleagues()
      .meeting(ada, { start: '2026-03-04 16:00', end: '2026-03-04 18:30', with: [bob] })
      .build();
    const week = await built.personWeek(ada, WEEK);
    expect(week['meeting_hours']).toBeCloseTo(2.5, 9);
    expect(week['meeting_hours_in_hours']).toBeCloseTo(1, 9);
    expect(week['after_hours_meeting_hours']).toBeCloseTo(1.5, 9);
    expect(week['meeting_load_pct']).toBeCloseTo(2.5, 9);
  });

  it('counts only accepted meetings, or organised and not declined ones', async () => {
    const built = await berlinColleagues()
      .meeting(ada, {
        start: '2026-03-02 10:00',
        end: '2026-03-02 11:00',
        with: [bob],
        response: 'declined',
      })
      .meeting(ada, {
        start: '2026-03-02 11:00',
        end: '2026-03-02 12:00',
        with: [bob],
        response: 'tentative',
      })
      .meeting(ada, {
        start: '2026-03-02 13:00',
        end: '2026-03-02 14:00',
        with: [bob],
        response: 'needsAction',
      })
      // Organised by Ada, who is not even listed as an attendee: counts.
      .meeting(ada, {
        start: '2026-03-03 10:00',
        end: '2026-03-03 11:00',
        with: [bob],
        response: 'unlisted',
        organizer: 'owner',
      })
      // Organised by Ada, tentative: counts (she did not decline).
      .meeting(ada, {
        start: '2026-03-03 13:00',
        end: '2026-03-03 14:00',
        with: [bob],
        response: 'tentative',
        organizer: 'owner',
      })
      // Organised by Ada and declined: does not count.
      .meeting(ada, {
        start: '2026-03-03 15:00',
        end: '2026-03-03 16:00',
        with: [bob],
        response: 'declined',
        organizer: 'owner',
      })
      .build();
    const week = await built.personWeek(ada, WEEK);
    expect(week['meetings_count']).toBe(2);
    expect(week['meeting_hours']).toBeCloseTo(2, 9);
  });

  it('counts an accepted event that names no organiser', async () => {
    const built = await berlinColleagues()
      .meeting(ada, {
        start: '2026-03-02 10:00',
        end: '2026-03-02 11:00',
        with: [bob],
        organizer: 'none',
      })
      .build();
    expect((await built.personWeek(ada, WEEK))['meetings_count']).toBe(1);
  });

  it('needs two human attendees counting the owner: rooms and resources are not people', async () => {
    const built = await berlinColleagues()
      // Ada and a room only: a booking, not a meeting.
      .meeting(ada, {
        start: '2026-03-02 10:00',
        end: '2026-03-02 11:00',
        rooms: 1,
        organizer: 'owner',
      })
      // Ada alone: a personal block.
      .meeting(ada, { start: '2026-03-02 11:00', end: '2026-03-02 12:00', organizer: 'owner' })
      // Ada, Bob and a room: a 1:1 in a room.
      .meeting(ada, { start: '2026-03-02 14:00', end: '2026-03-02 15:00', with: [bob], rooms: 2 })
      .build();
    const week = await built.personWeek(ada, WEEK);
    expect(week['meetings_count']).toBe(1);
    expect(week['one_on_one_meeting_hours']).toBeCloseTo(1, 9);
  });

  it('ignores cancelled, free, all-day, non-default and over-long events', async () => {
    const built = await berlinColleagues()
      .meeting(ada, {
        start: '2026-03-02 10:00',
        end: '2026-03-02 11:00',
        with: [bob],
        status: 'cancelled',
      })
      .meeting(ada, {
        start: '2026-03-02 11:00',
        end: '2026-03-02 12:00',
        with: [bob],
        transparency: 'transparent',
      })
      .meeting(ada, {
        start: '2026-03-02 13:00',
        end: '2026-03-02 15:00',
        with: [bob],
        type: 'focusTime',
      })
      .meeting(ada, {
        start: '2026-03-02 15:00',
        end: '2026-03-02 16:00',
        with: [bob],
        type: 'workingLocation',
      })
      // 8 h 30 min: longer than meetingMaxHours (8).
      .meeting(ada, { start: '2026-03-03 08:00', end: '2026-03-03 16:30', with: [bob] })
      // Exactly 8 h: still a meeting.
      .meeting(ada, { start: '2026-03-04 09:00', end: '2026-03-04 17:00', with: [bob] })
      .allDay(ada, 'default', '2026-03-05', '2026-03-06')
      .build();
    const week = await built.personWeek(ada, WEEK);
    expect(week['meetings_count']).toBe(1);
    expect(week['meeting_hours']).toBeCloseTo(8, 9);
  });

  it('classes meetings with nine or more people as large', async () => {
    const crowd = Array.from({ length: 8 }, (_, index) => `guest${index}@example.com`);
    const built = await berlinColleagues()
      .meeting(ada, { start: '2026-03-02 10:00', end: '2026-03-02 10:30', with: crowd })
      .build();
    const week = await built.personWeek(ada, WEEK);
    expect(week['large_meeting_hours']).toBeCloseTo(0.5, 9);
    expect(week['one_on_one_meeting_hours']).toBe(0);
  });

  it('leaves calendar metrics unknown for a week the imported calendar covers only in part', async () => {
    // The calendar was exported up to Wednesday 2026-03-04 00:00 UTC: Thursday and Friday are not
    // known to be free, so the week of 2026-03-02 has no calendar metrics; the week before has.
    const built = await berlinColleagues()
      .covering('calendar', '2026-02-23 00:00', '2026-03-04 00:00')
      .meeting(ada, { start: '2026-02-24 10:00', end: '2026-02-24 11:00', with: [bob] })
      .meeting(ada, { start: '2026-03-03 10:00', end: '2026-03-03 11:00', with: [bob] })
      .build();
    // Berlin's week starts at 23:00 UTC on the Sunday before, which the window does not reach.
    const partial = await built.personWeek(ada, WEEK);
    expect([partial['has_calendar'], partial['meeting_hours'], partial['focus_hours']]).toEqual([
      false,
      null,
      null,
    ]);
    expect((await built.personWeek(ada, '2026-02-23'))['has_calendar']).toBe(false);
    const full = await new Scenario()
      .person(ada, { team: 'Eng', timezone: 'UTC' })
      .person(bob, { team: 'Eng', timezone: 'UTC' })
      .covering('calendar', '2026-02-23 00:00', '2026-03-04 00:00')
      .meeting(ada, { start: '2026-02-24 10:00', end: '2026-02-24 11:00', with: [bob] })
      .meeting(ada, { start: '2026-03-03 10:00', end: '2026-03-03 11:00', with: [bob] })
      .build();
    expect((await full.personWeek(ada, '2026-02-23'))['meeting_hours']).toBe(1);
    expect((await full.personWeek(ada, WEEK))['meeting_hours']).toBeNull();
  });

  it('leaves calendar metrics unknown, not zero, for a person whose calendar was never imported', async () => {
    const built = await berlinColleagues()
      .person('cy@example.com', { team: 'Eng', timezone: 'Europe/Berlin', calendar: false })
      .meeting(ada, { start: '2026-03-02 10:00', end: '2026-03-02 11:00', with: [bob] })
      .build();
    const week = await built.personWeek('cy@example.com', WEEK);
    expect(week['has_calendar']).toBe(false);
    expect(week['meeting_hours']).toBeNull();
    expect(week['focus_hours']).toBeNull();
    expect(week['working_hours']).toBeCloseTo(40, 9);
  });
});
