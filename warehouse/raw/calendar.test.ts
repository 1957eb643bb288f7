import { describe, expect, it } from 'vitest';
import { tempWarehouse, testPseudonymizer as keys } from '../../test/helpers/warehouse.ts';
import type { Warehouse } from '../db.ts';
import { beginRun } from '../runs.ts';
import { localTimeToMicros } from '../zoned-time.ts';
import { CalendarBatchWriter, type CalendarEvent, type CalendarWindow } from './calendar.ts';

const owner = keys.person('ada@example.com');

function allDay(date: string, next: string): CalendarEvent {
  return {
    ownerId: owner,
    eventKey: keys.calendarEvent(`holiday-${date}`),
    recurrenceKey: '',
    isAllDay: true,
    startDate: date,
    endDate: next,
    status: 'confirmed',
    transparency: 'transparent',
    eventType: 'outOfOffice',
    isRecurring: false,
    organizerId: owner,
    attendees: [],
  };
}

function timed(key: string, day: string, hour: number): CalendarEvent {
  return {
    ownerId: owner,
    eventKey: keys.calendarEvent(key),
    recurrenceKey: '',
    isAllDay: false,
    startAt: localTimeToMicros(day, hour * 60, 'Asia/Tokyo'),
    endAt: localTimeToMicros(day, hour * 60 + 30, 'Asia/Tokyo'),
    status: 'confirmed',
    transparency: 'opaque',
    eventType: 'default',
    isRecurring: false,
    organizerId: owner,
    attendees: [{ attendeeId: owner, kind: 'person', responseStatus: 'accepted' }],
  };
}

async function write(db: Warehouse, window: CalendarWindow, events: CalendarEvent[]) {
  return db.transaction(async () => {
    const writer = await CalendarBatchWriter.begin(db, await beginRun(db, 'ics'));
    writer.coverWindow(window);
    for (const event of events) writer.addEvent(event);
    return writer.finish();
  });
}

/** March 2026 in Tokyo (UTC+9): its midnights are the previous UTC day's 15:00. */
const march: CalendarWindow = {
  ownerId: owner,
  start: localTimeToMicros('2026-03-01', 0, 'Asia/Tokyo'),
  end: localTimeToMicros('2026-04-01', 0, 'Asia/Tokyo'),
  timezone: 'Asia/Tokyo',
  allDayStart: '2026-03-01',
  allDayEnd: '2026-04-01',
};

describe('CalendarBatchWriter', () => {
  it('replaces the owner’s events in the window, by instants and by the calendar’s own dates', async () => {
    const db = await tempWarehouse();
    await write(
      db,
      {
        ...march,
        start: localTimeToMicros('2026-02-01', 0, 'Asia/Tokyo'),
        allDayStart: '2026-02-01',
      },
      [
        allDay('2026-02-28', '2026-03-01'),
        allDay('2026-03-31', '2026-04-01'),
        timed('feb', '2026-02-27', 10),
        timed('mar', '2026-03-02', 10),
      ],
    );
    // Re-import March only; the source no longer has the 31 March holiday nor the 2 March meeting.
    const counts = await write(db, march, [timed('mar-new', '2026-03-03', 10)]);
    expect(counts.removed).toBe(2);
    const left = await db.all(
      `SELECT coalesce(start_date::VARCHAR, strftime(start_at, '%Y-%m-%d %H:%M')) AS starts FROM raw.calendar_events ORDER BY 1`,
    );
    // February's holiday and meeting are outside the window (although 28 February is a UTC date
    // the window's start falls on) and stay.
    expect(left).toEqual([
      { starts: '2026-02-27 01:00' },
      { starts: '2026-02-28' },
      { starts: '2026-03-03 01:00' },
    ]);
    expect(await db.all(`SELECT count(*)::INTEGER AS n FROM raw.calendar_attendees`)).toEqual([
      { n: 2 },
    ]);
    expect(await db.all(`SELECT timezone FROM raw.calendar_settings`)).toEqual([
      { timezone: 'Asia/Tokyo' },
    ]);
  });

  it('keeps one copy of an event added twice in a batch: the later one, with its attendees', async () => {
    const db = await tempWarehouse();
    const first = timed('twice', '2026-03-02', 10);
    const second: CalendarEvent = {
      ...timed('twice', '2026-03-02', 11),
      attendees: [
        { attendeeId: keys.person('bob@example.com'), kind: 'person', responseStatus: 'declined' },
      ],
    };
    expect((await write(db, march, [first, second])).events).toBe(1);
    expect(
      await db.all(`SELECT strftime(start_at, '%H:%M') AS at FROM raw.calendar_events`),
    ).toEqual([{ at: '02:00' }]);
    expect(await db.all(`SELECT response_status FROM raw.calendar_attendees`)).toEqual([
      { response_status: 'declined' },
    ]);
  });
});
