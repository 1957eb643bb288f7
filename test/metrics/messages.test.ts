/**
 * Messages, response latency and sync share, per docs/metrics.md, on hand-computed cases.
 * Ada (Europe/Berlin) and Kai (America/New_York) both work Mon–Fri 09:00–17:00.
 */
import { describe, expect, it } from 'vitest';
import { Scenario } from './scenario.ts';

const ada = 'ada@example.com';
const kai = 'kai@example.com';
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

function pair(): Scenario {
  return new Scenario()
    .person(ada, {
      team: 'Eng',
      timezone: BERLIN,
      days: 'Mon-Fri',
      start: '09:00',
      end: '17:00',
      slack: 'UADA',
    })
    .person(kai, {
      team: 'Eng',
      timezone: NEW_YORK,
      days: 'Mon-Fri',
      start: '09:00',
      end: '17:00',
      slack: 'UKAI',
    });
}

describe('counted messages', () => {
  it('counts human messages with no subtype or thread_broadcast, file_share, me_message; ignores bots and system events', async () => {
    const at = (time: string) => ({
      at: `2026-03-03 ${time}`,
      zone: BERLIN,
      conversation: 'C1',
      type: 'public_channel' as const,
    });
    const built = await pair()
      .message('UADA', at('10:00'))
      .message('UADA', { ...at('10:01'), subtype: 'file_share' })
      .message('UADA', { ...at('10:02'), subtype: 'me_message' })
      .message('UADA', { ...at('10:03'), subtype: 'thread_broadcast', thread: '2026-03-03 10:00' })
      .message('UADA', { ...at('10:04'), subtype: 'channel_join' })
      .message('UADA', { ...at('10:05'), subtype: 'channel_topic' })
      .message('UADA', { ...at('10:06'), bot: true })
      .build();
    expect((await built.personWeek(ada, '2026-03-02'))['messages_sent']).toBe(4);
  });

  it('counts messages outside working hours as off-hours, weekends included, in the sender’s own zone', async () => {
    // Ada: 08:59 (off), 09:00 (in), 16:59 (in), 17:00 (off: the shift ends at 17:00), Saturday 11:00 (off).
    // Kai sends at 15:00 New York = 21:00 Berlin: in hours for Kai.
    const built = await pair()
      .message('UADA', { at: '2026-03-03 08:59', zone: BERLIN, conversation: 'D1' })
      .message('UADA', {
        at: '2026-03-03 09:00',
        zone: BERLIN,
        conversation: 'C1',
        type: 'public_channel',
      })
      .message('UADA', {
        at: '2026-03-03 16:59',
        zone: BERLIN,
        conversation: 'C1',
        type: 'public_channel',
      })
      .message('UADA', {
        at: '2026-03-03 17:00',
        zone: BERLIN,
        conversation: 'G1',
        type: 'private_channel',
      })
      .message('UADA', {
        at: '2026-03-07 11:00',
        zone: BERLIN,
        conversation: 'C1',
        type: 'public_channel',
      })
      .message('UKAI', {
        at: '2026-03-03 15:00',
        zone: NEW_YORK,
        conversation: 'C1',
        type: 'public_channel',
      })
      .build();
    const week = await built.personWeek(ada, '2026-03-02');
    expect(week['messages_sent']).toBe(5);
    expect(week['off_hours_messages']).toBe(3);
    expect(week['off_hours_share']).toBeCloseTo(0.6, 9);
    // 3 of 5 in the public channel C1.
    expect(week['public_share']).toBeCloseTo(0.6, 9);
    expect((await built.personWeek(kai, '2026-03-02'))['off_hours_messages']).toBe(0);
  });

  it('leaves message metrics unknown, not zero, outside the period the Slack export covers', async () => {
    // The export covers 2026-03-02 to 2026-03-09 (UTC). In the week of 2026-03-09 Ada has a meeting
    // but her messages are unknown: no zero, and no sync share of 100%.
    const built = await pair()
      .covering('slack', '2026-03-01 00:00', '2026-03-09 00:00')
      .message('UADA', {
        at: '2026-03-03 10:00',
        zone: BERLIN,
        conversation: 'C1',
        type: 'public_channel',
      })
      .meeting(ada, { start: '2026-03-10 10:00', end: '2026-03-10 11:00', with: [kai] })
      .build();
    const before = await built.personWeek(ada, '2026-03-02');
    expect([before['has_slack'], before['messages_sent']]).toEqual([true, 1]);
    const after = await built.personWeek(ada, '2026-03-09');
    expect([
      after['has_slack'],
      after['messages_sent'],
      after['sync_share'],
      after['meeting_hours'],
    ]).toEqual([false, null, null, 1]);
  });

  it('places a DM spanning midnight in each sender’s own local week', async () => {
    // Sunday 2026-03-01 (both zones on standard time, 6 h apart): Ada writes at 23:30 Berlin
    // (17:30 New York); Kai answers at 18:45 New York, which is already Monday 00:45 in Berlin —
    // but Sunday, so the week of 2026-02-23, for Kai. Each message counts in its sender's week.
    const built = await pair()
      .message('UADA', { at: '2026-03-01 23:30', zone: BERLIN, conversation: 'D1' })
      .message('UKAI', { at: '2026-03-01 18:45', zone: NEW_YORK, conversation: 'D1' })
      .message('UADA', { at: '2026-03-03 10:00', zone: BERLIN, conversation: 'D1' })
      .build();
    expect((await built.personWeek(kai, '2026-02-23'))['messages_sent']).toBe(1);
    expect((await built.personWeek(kai, '2026-03-02'))['messages_sent']).toBe(0);
    expect((await built.personWeek(ada, '2026-02-23'))['messages_sent']).toBe(1);
    // Kai answered at 00:45 Berlin time, but latency is judged in the responder's hours:
    // 75 min of clock time, none of it inside Kai's working hours.
    expect(await built.responses(kai)).toEqual([
      { sent_at: '2026-03-01 23:45', latency_wall_minutes: 75, latency_working_minutes: 0 },
    ]);
  });
});

describe('response latency', () => {
  it('measures a question at 17:30 answered at 09:15 the next working day as 15 working minutes', async () => {
    // Kai asks Ada in a DM on Thursday 17:30 Berlin; Ada answers Friday 09:15 Berlin.
    // Wall: 15 h 45 min = 945 min. Ada's working hours in between: 09:00–09:15 = 15 min.
    const built = await pair()
      .message('UKAI', { at: '2026-03-05 11:30', zone: NEW_YORK, conversation: 'D1' })
      .message('UADA', { at: '2026-03-06 09:15', zone: BERLIN, conversation: 'D1' })
      .build();
    expect(await built.responses(ada)).toEqual([
      { sent_at: '2026-03-06 08:15', latency_wall_minutes: 945, latency_working_minutes: 15 },
    ]);
  });

  it('skips the weekend: Friday 17:30 to Monday 09:15 is 15 working minutes', async () => {
    const built = await pair()
      .message('UKAI', { at: '2026-03-06 17:30', zone: BERLIN, conversation: 'D1' })
      .message('UADA', { at: '2026-03-09 09:15', zone: BERLIN, conversation: 'D1' })
      .build();
    const [response] = await built.responses(ada);
    expect(response?.latency_wall_minutes).toBe(63 * 60 + 45);
    expect(response?.latency_working_minutes).toBe(15);
  });

  it('treats consecutive messages from one sender as one run, answered from the run’s start', async () => {
    // Ada 10:00, 10:01, 10:02 (one run); Kai 10:10, 10:11 (a response after 10 min); Ada 10:30
    // (a response to Kai's run after 20 min). Times are Berlin's; 10:10 Berlin is 04:10 in New
    // York, outside Kai's hours, so Kai's response has 0 working minutes.
    const dm = (time: string) => ({ at: `2026-03-03 ${time}`, zone: BERLIN, conversation: 'D1' });
    const built = await pair()
      .message('UADA', dm('10:00'))
      .message('UADA', dm('10:01'))
      .message('UADA', dm('10:02'))
      .message('UKAI', dm('10:10'))
      .message('UKAI', dm('10:11'))
      .message('UADA', dm('10:30'))
      .build();
    expect(await built.responses(kai)).toEqual([
      { sent_at: '2026-03-03 09:10', latency_wall_minutes: 10, latency_working_minutes: 0 },
    ]);
    expect(await built.responses(ada)).toEqual([
      { sent_at: '2026-03-03 09:30', latency_wall_minutes: 20, latency_working_minutes: 20 },
    ]);
  });

  it('treats one person’s several Slack accounts as one sender: nobody answers themselves', async () => {
    // Kai 10:00, Ada 10:05 from her main account, Ada 10:08 from her second account, Kai 10:20.
    const built = await new Scenario()
      .person(ada, { team: 'Eng', timezone: BERLIN, slack: 'UADA', otherSlackAccounts: ['UADA2'] })
      .person(kai, { team: 'Eng', timezone: BERLIN, slack: 'UKAI' })
      .message('UKAI', { at: '2026-03-03 10:00', zone: BERLIN, conversation: 'D1' })
      .message('UADA', { at: '2026-03-03 10:05', zone: BERLIN, conversation: 'D1' })
      .message('UADA2', { at: '2026-03-03 10:08', zone: BERLIN, conversation: 'D1' })
      .message('UKAI', { at: '2026-03-03 10:20', zone: BERLIN, conversation: 'D1' })
      .build();
    expect((await built.responses(ada)).map((response) => response.latency_wall_minutes)).toEqual([
      5,
    ]);
    expect((await built.responses(kai)).map((response) => response.latency_wall_minutes)).toEqual([
      15,
    ]);
    expect((await built.personWeek(ada, '2026-03-02'))['messages_sent']).toBe(2);
  });

  it('forms one stream per thread and none from top-level channel messages', async () => {
    // Channel top level: Ada 10:00, Kai 10:05 → no response. Thread under Ada's 10:00:
    // Kai replies 10:20 → 20 min after the parent.
    const channel = (time: string, thread?: string) => ({
      at: `2026-03-03 ${time}`,
      zone: BERLIN,
      conversation: 'C1',
      type: 'public_channel' as const,
      ...(thread ? { thread: `2026-03-03 ${thread}` } : {}),
    });
    const built = await pair()
      .message('UADA', channel('10:00', '10:00'))
      .message('UKAI', channel('10:05'))
      .message('UKAI', channel('10:20', '10:00'))
      .build();
    expect((await built.responses(kai)).map((response) => response.latency_wall_minutes)).toEqual([
      20,
    ]);
  });

  it('keeps apart the runs of accounts missing from the export’s account list', async () => {
    // A thread: Ada 10:00 (parent), then two accounts the export does not list, X1 10:10 and X2
    // 10:20, then Ada 10:30. She answers X2's run after 10 min (20 if X1 and X2 were one sender).
    const thread = (time: string) => ({
      at: `2026-03-03 ${time}`,
      zone: BERLIN,
      conversation: 'C9',
      type: 'public_channel' as const,
      thread: '2026-03-03 10:00',
    });
    const built = await pair()
      .message('UADA', thread('10:00'))
      .message('UX1', thread('10:10'))
      .message('UX2', thread('10:20'))
      .message('UADA', thread('10:30'))
      .build();
    expect((await built.responses(ada)).map((response) => response.latency_wall_minutes)).toEqual([
      10,
    ]);
  });

  it('does not count an answer more than latencyCapDays later as a response', async () => {
    const built = await pair()
      .message('UKAI', { at: '2026-03-02 10:00', zone: BERLIN, conversation: 'D1' })
      .message('UADA', { at: '2026-03-09 10:01', zone: BERLIN, conversation: 'D1' })
      .message('UKAI', { at: '2026-03-10 10:00', zone: BERLIN, conversation: 'D2' })
      .message('UADA', { at: '2026-03-17 10:00', zone: BERLIN, conversation: 'D2' })
      .build();
    // 7 days and 1 minute: no response. Exactly 7 days: a response.
    expect((await built.responses(ada)).map((response) => response.sent_at)).toEqual([
      '2026-03-17 09:00',
    ]);
  });

  it('summarises a person-week: count, medians and the share answered within 5 minutes', async () => {
    // Ada answers Kai after 2, 4, 30 and 60 minutes (all in hours): median 17 min; 2 of 4 within 5 min.
    const built = pair();
    const starts = ['10:00', '11:00', '13:00', '15:00'];
    const delays = [2, 4, 30, 60];
    for (const [index, start] of starts.entries()) {
      const [hours = 0, minutes = 0] = start.split(':').map(Number);
      const answer = `${String(hours + Math.floor((minutes + (delays[index] ?? 0)) / 60)).padStart(2, '0')}:${String((minutes + (delays[index] ?? 0)) % 60).padStart(2, '0')}`;
      built.message('UKAI', { at: `2026-03-04 ${start}`, zone: BERLIN, conversation: `D${index}` });
      built.message('UADA', {
        at: `2026-03-04 ${answer}`,
        zone: BERLIN,
        conversation: `D${index}`,
      });
    }
    const week = await (await built.build()).personWeek(ada, '2026-03-02');
    expect(week['responses']).toBe(4);
    expect(week['response_median_wall_minutes']).toBeCloseTo(17, 9);
    expect(week['response_median_working_minutes']).toBeCloseTo(17, 9);
    expect(week['responses_within_5min_share']).toBeCloseTo(0.5, 9);
  });
});

describe('sync share', () => {
  it('is meeting hours over meeting hours plus two minutes per message', async () => {
    // 2 h of meetings, 30 messages × 2 min = 1 h async → 2 / 3.
    const built = pair().meeting(ada, {
      start: '2026-03-03 10:00',
      end: '2026-03-03 12:00',
      with: [kai],
    });
    for (let index = 0; index < 30; index++) {
      built.message('UADA', {
        at: `2026-03-04 10:${String(index).padStart(2, '0')}`,
        zone: BERLIN,
        conversation: 'C1',
        type: 'public_channel',
      });
    }
    const week = await (await built.build()).personWeek(ada, '2026-03-02');
    expect(week['async_hours']).toBeCloseTo(1, 9);
    expect(week['sync_share']).toBeCloseTo(2 / 3, 9);
  });

  it('follows minutesPerMessage from the config', async () => {
    const built = new Scenario({ minutesPerMessage: 6 })
      .person(ada, { team: 'Eng', timezone: BERLIN, slack: 'UADA' })
      .person(kai, { team: 'Eng', timezone: BERLIN })
      .meeting(ada, { start: '2026-03-03 10:00', end: '2026-03-03 11:00', with: [kai] });
    for (let index = 0; index < 10; index++) {
      built.message('UADA', {
        at: `2026-03-04 10:${String(index).padStart(2, '0')}`,
        zone: BERLIN,
        conversation: 'C1',
        type: 'public_channel',
      });
    }
    // 1 h of meetings, 10 × 6 min = 1 h async → 0.5.
    expect((await (await built.build()).personWeek(ada, '2026-03-02'))['sync_share']).toBeCloseTo(
      0.5,
      9,
    );
  });
});
