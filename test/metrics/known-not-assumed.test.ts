/**
 * "Known, not assumed" (docs/metrics.md): every metric derived from messages is unknown exactly
 * when `messages_sent` is, and every metric derived from calendars exactly when `has_calendar` is
 * false. The hard case is a person whose local week is only partly inside an import's period:
 * an export whose first day file is Monday 2026-03-02 and last is Sunday 2026-03-08 (UTC days)
 * misses the Sunday evening that starts the week in Berlin and Tokyo, and the Monday morning (UTC)
 * that ends it in New York.
 */
import { describe, expect, it } from 'vitest';
import { Scenario } from './scenario.ts';

const MESSAGE_METRICS = [
  'messages_sent',
  'off_hours_messages',
  'off_hours_share',
  'public_messages',
  'public_share',
  'responses',
  'response_median_working_minutes',
  'response_median_wall_minutes',
  'responses_within_5min_share',
  'async_hours',
  'sync_share',
] as const;

const CALENDAR_METRICS = [
  'meetings_count',
  'meeting_hours',
  'meeting_hours_in_hours',
  'after_hours_meeting_hours',
  'meeting_load_pct',
  'conflict_hours',
  'recurring_meeting_hours',
  'one_off_meeting_hours',
  'one_on_one_meeting_hours',
  'large_meeting_hours',
  'long_meeting_hours',
  'focus_hours',
  'fragmented_hours',
  'out_of_office_days',
  'sync_share',
] as const;

const east = { berlin: 'ada@example.com', tokyo: 'yui@example.com' };
const west = { newYork: 'kai@example.com', losAngeles: 'lee@example.com' };
const WEEK = '2026-03-02';

function people(): Scenario {
  const schedule = { team: 'Eng', days: 'Mon-Fri', start: '09:00', end: '17:00' };
  return new Scenario()
    .person(east.berlin, { ...schedule, timezone: 'Europe/Berlin', slack: 'UADA' })
    .person(east.tokyo, { ...schedule, timezone: 'Asia/Tokyo', slack: 'UYUI' })
    .person(west.newYork, { ...schedule, timezone: 'America/New_York', slack: 'UKAI' })
    .person(west.losAngeles, { ...schedule, timezone: 'America/Los_Angeles', slack: 'ULEE' });
}

/** Each pair talks in a DM and a public thread on Wednesday, with quick and slow answers. */
function withMessagesAndMeetings(scenario: Scenario): Scenario {
  const exchange = (first: string, second: string, zone: string, conversation: string) => {
    for (const [user, at] of [
      [first, '2026-03-04 10:00'],
      [second, '2026-03-04 10:03'],
      [first, '2026-03-04 10:40'],
      [second, '2026-03-04 18:30'],
    ] as const) {
      scenario.message(user, { at, zone, conversation });
      scenario.message(user, {
        at,
        zone,
        conversation: `C${conversation}`,
        type: 'public_channel',
        thread: '2026-03-04 10:00',
      });
    }
  };
  exchange('UADA', 'UYUI', 'Europe/Berlin', 'D1');
  exchange('UKAI', 'ULEE', 'America/New_York', 'D2');
  scenario
    .meeting(east.berlin, {
      start: '2026-03-04 09:00',
      end: '2026-03-04 10:00',
      with: [east.tokyo],
    })
    .meeting(east.tokyo, {
      start: '2026-03-04 17:00',
      end: '2026-03-04 18:00',
      zone: 'Europe/Berlin',
      with: [east.berlin],
    })
    .meeting(west.newYork, {
      start: '2026-03-04 12:00',
      end: '2026-03-04 13:00',
      with: [west.losAngeles],
    })
    .meeting(west.losAngeles, {
      start: '2026-03-04 09:00',
      end: '2026-03-04 10:00',
      with: [west.newYork],
    });
  return scenario;
}

const everyone = [east.berlin, east.tokyo, west.newYork, west.losAngeles];

describe('message metrics are unknown exactly when messages_sent is', () => {
  it('knows every message metric when the Slack period covers the whole local week (control)', async () => {
    const built = await withMessagesAndMeetings(people()).build();
    for (const person of everyone) {
      const week = await built.personWeek(person, WEEK);
      for (const metric of MESSAGE_METRICS) {
        expect({ person, metric, known: week[metric] !== null }).toEqual({
          person,
          metric,
          known: true,
        });
      }
    }
  });

  it('leaves every message metric unknown in a local week only partly inside the export, east and west of UTC', async () => {
    const built = await withMessagesAndMeetings(people())
      .covering('slack', '2026-03-02 00:00', '2026-03-09 00:00')
      .build();
    for (const person of everyone) {
      const week = await built.personWeek(person, WEEK);
      expect({ person, has_slack: week['has_slack'] }).toEqual({ person, has_slack: false });
      for (const metric of MESSAGE_METRICS) {
        expect({ person, metric, value: week[metric] }).toEqual({ person, metric, value: null });
      }
      // Calendar metrics do not depend on Slack coverage.
      expect(week['meeting_hours']).toBe(1);
    }
  });
});

describe('calendar metrics are unknown exactly when no calendar covers the week', () => {
  it('leaves every calendar metric unknown in a local week only partly inside the calendar window, east and west of UTC', async () => {
    const built = await withMessagesAndMeetings(people())
      .allDay(east.berlin, 'outOfOffice', '2026-03-05', '2026-03-06')
      .allDay(west.newYork, 'outOfOffice', '2026-03-05', '2026-03-06')
      .covering('calendar', '2026-03-02 00:00', '2026-03-09 00:00')
      .build();
    for (const person of everyone) {
      const week = await built.personWeek(person, WEEK);
      expect({ person, has_calendar: week['has_calendar'] }).toEqual({
        person,
        has_calendar: false,
      });
      for (const metric of CALENDAR_METRICS) {
        expect({ person, metric, value: week[metric] }).toEqual({ person, metric, value: null });
      }
      expect(week['messages_sent']).toBe(4);
    }
  });
});
