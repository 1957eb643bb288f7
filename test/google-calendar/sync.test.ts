/**
 * `syncGoogleCalendar` against the emulator with the real `googleapis` client: full sync, then
 * incremental syncs after every kind of change, each proven on the rows the warehouse holds; the
 * request shape (mask, event types, bearer token); token expiry, quotas and failures.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EVENTS_FIELDS } from '../../ingest/google-calendar/mapping.ts';
import { testPseudonymizer } from '../helpers/warehouse.ts';
import { eventKey, eventsOf, setUp, startEmulator, timed, weekly } from './support.ts';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const CAROL = 'carol@example.com';

const attendeeRow = z.object({ attendee_id: z.string(), response_status: z.string() });
const coverageRow = z.object({
  owner_id: z.string(),
  window_start: z.string(),
  window_end: z.string(),
});
const stateRow = z.object({
  owner_id: z.string(),
  sync_token: z.string().nullable(),
  last_error: z.string().nullable(),
  consecutive_failures: z.number(),
});

describe('full then incremental sync', () => {
  it('follows an edit, a moved instance, a cancelled instance, a deleted event and a new response', async () => {
    const emulator = await startEmulator({ maxPageSize: 3, shortPages: true });
    emulator.addUser(ALICE, { timeZone: 'Europe/Berlin' });
    const standups = weekly('standup', '2026-03-02', '09:00', '09:30', 6, {
      organizer: { email: BOB },
      attendees: [
        { email: ALICE, responseStatus: 'accepted', self: true },
        { email: BOB, responseStatus: 'accepted', organizer: true },
      ],
    });
    for (const event of standups) emulator.putEvent(ALICE, event);
    const review = timed('review', '2026-03-18', '13:00', '14:00', {
      organizer: { email: BOB },
      attendees: [{ email: ALICE, responseStatus: 'needsAction', self: true }],
    });
    emulator.putEvent(ALICE, review);
    emulator.putEvent(ALICE, timed('lunch', '2026-03-19', '12:00', '13:00'));
    const setup = await setUp(emulator, [{ email: ALICE, timezone: 'Europe/Berlin' }]);

    const first = await setup.sync();
    expect(first.failed).toEqual([]);
    expect([first.fullSyncs, first.incrementalSyncs]).toEqual([1, 0]);
    expect(first.events.added).toBe(8);
    const initial = await eventsOf(setup.db, ALICE);
    expect(initial.filter((row) => row.event_key === eventKey('standup'))).toHaveLength(6);
    expect(initial.find((row) => row.event_key === eventKey('standup'))).toMatchObject({
      recurrence_key: '2026-03-02T09:00:00Z',
      is_recurring: true,
    });

    // An edit (the review moves), a moved instance, a cancelled instance, a deleted event, a response.
    emulator.putEvent(ALICE, {
      ...review,
      start: { dateTime: '2026-03-18T15:00:00+01:00' },
      end: { dateTime: '2026-03-18T16:30:00+01:00' },
      attendees: [{ email: ALICE, responseStatus: 'accepted', self: true }],
    });
    const [, second, third] = standups;
    emulator.putEvent(ALICE, {
      ...second!,
      start: { dateTime: '2026-03-10T10:00:00Z' },
      end: { dateTime: '2026-03-10T10:30:00Z' },
    });
    emulator.cancelEvent(ALICE, third!.id);
    emulator.cancelEvent(ALICE, 'lunch');

    const requestsBefore = emulator.eventRequests().length;
    const next = await setup.sync();
    expect(next.failed).toEqual([]);
    expect([next.fullSyncs, next.incrementalSyncs]).toEqual([0, 1]);
    expect(next.events).toMatchObject({ added: 0, removed: 2, written: 2 });
    // Incremental: four changed items on two short pages.
    expect(emulator.eventRequests().length - requestsBefore).toBe(2);

    const rows = await eventsOf(setup.db, ALICE);
    expect(
      rows.map((row) => [row.event_key, row.recurrence_key, row.start_at, row.end_at]),
    ).toEqual([
      [eventKey('standup'), '2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z', '2026-03-02T09:30:00Z'],
      [eventKey('standup'), '2026-03-09T09:00:00Z', '2026-03-10T10:00:00Z', '2026-03-10T10:30:00Z'],
      [eventKey('review'), '', '2026-03-18T14:00:00Z', '2026-03-18T15:30:00Z'],
      [eventKey('standup'), '2026-03-23T09:00:00Z', '2026-03-23T09:00:00Z', '2026-03-23T09:30:00Z'],
      [eventKey('standup'), '2026-03-30T09:00:00Z', '2026-03-30T09:00:00Z', '2026-03-30T09:30:00Z'],
      [eventKey('standup'), '2026-04-06T09:00:00Z', '2026-04-06T09:00:00Z', '2026-04-06T09:30:00Z'],
    ]);
    const responses = await setup.db.parse(
      attendeeRow,
      `SELECT attendee_id, response_status FROM raw.calendar_attendees WHERE event_key = $1`,
      [eventKey('review')],
    );
    expect(responses).toEqual([
      { attendee_id: testPseudonymizer.person(ALICE), response_status: 'accepted' },
    ]);
  });

  it('ignores changes outside the window and removes an event moved out of it', async () => {
    const emulator = await startEmulator();
    emulator.addUser(ALICE);
    const planning = timed('planning', '2026-03-12', '10:00', '11:00');
    emulator.putEvent(ALICE, planning);
    const setup = await setUp(emulator, [{ email: ALICE }]);
    await setup.sync();
    expect(await eventsOf(setup.db, ALICE)).toHaveLength(1);

    // The window ends with the week of 2026-04-20 (four weeks after 2026-03-25).
    emulator.putEvent(ALICE, timed('far-future', '2026-09-01', '10:00', '11:00'));
    emulator.putEvent(ALICE, timed('long-ago', '2024-01-10', '10:00', '11:00'));
    emulator.putEvent(ALICE, { ...planning, ...timed('planning', '2026-08-12', '10:00', '11:00') });
    const next = await setup.sync();
    expect(next.events.outsideWindow).toBe(3);
    expect(await eventsOf(setup.db, ALICE)).toEqual([]);
  });

  it('records the synced window as coverage, whole weeks in the owner zone', async () => {
    const emulator = await startEmulator();
    emulator.addUser(ALICE, { timeZone: 'America/New_York' });
    const setup = await setUp(emulator, [{ email: ALICE }]);
    await setup.sync();
    const coverage = await setup.db.parse(
      coverageRow,
      `SELECT owner_id, strftime(window_start, '%Y-%m-%dT%H:%M:%SZ') AS window_start,
              strftime(window_end, '%Y-%m-%dT%H:%M:%SZ') AS window_end FROM raw.calendar_coverage`,
    );
    // 26 weeks back from Wednesday 2026-03-25 is in the week of Monday 2025-09-22; the window ends
    // after the week of 2026-04-20; midnight in New York (zone from the settings, the roster has none).
    expect(coverage).toEqual([
      {
        owner_id: testPseudonymizer.person(ALICE),
        window_start: '2025-09-22T04:00:00Z',
        window_end: '2026-04-27T04:00:00Z',
      },
    ]);
    const zone = await setup.db.one(`SELECT timezone FROM raw.calendar_settings`);
    expect(zone?.['timezone']).toBe('America/New_York');
  });
  it('moves the window on weekly: a run a week later lists only the new week in full and covers it', async () => {
    const emulator = await startEmulator();
    emulator.addUser(ALICE);
    emulator.putEvent(ALICE, timed('soon', '2026-04-22', '10:00', '11:00'));
    emulator.putEvent(ALICE, timed('later', '2026-04-29', '10:00', '11:00'));
    const setup = await setUp(emulator, [{ email: ALICE }]);
    await setup.sync();
    expect((await eventsOf(setup.db, ALICE)).map((row) => row.event_key)).toEqual([
      eventKey('soon'),
    ]);

    const daily = await setup.sync({ clock: () => new Date('2026-03-26T12:00:00Z') });
    // A daily run: one directory page, one incremental page of events.
    expect(daily.requests).toBe(2);
    const before = emulator.eventRequests().length;
    const weekLater = await setup.sync({ clock: () => new Date('2026-04-01T12:00:00Z') });
    expect(weekLater.incrementalSyncs).toBe(1);
    // The incremental page, the settings, and the new week listed in full.
    expect(emulator.eventRequests().length - before).toBe(2);
    expect(emulator.eventRequests().at(-1)?.query).toMatchObject({
      timeMin: '2026-04-27T00:00:00.000Z',
      timeMax: '2026-05-04T00:00:00.000Z',
    });
    expect((await eventsOf(setup.db, ALICE)).map((row) => row.event_key)).toEqual(
      ['soon', 'later'].map(eventKey),
    );
    const coverage = await setup.db.parse(
      coverageRow,
      `SELECT owner_id, strftime(min(window_start), '%Y-%m-%dT%H:%M:%SZ') AS window_start,
              strftime(max(window_end), '%Y-%m-%dT%H:%M:%SZ') AS window_end FROM raw.calendar_coverage GROUP BY owner_id`,
    );
    expect(coverage[0]?.window_end).toBe('2026-05-04T00:00:00Z');
  });
});

describe('zones and windows', () => {
  it("falls back to the calendar's own zone when the settings cannot be read", async () => {
    const emulator = await startEmulator();
    emulator.addUser(ALICE, { timeZone: 'Asia/Tokyo', settingsTimeZone: null });
    const setup = await setUp(emulator, [{ email: ALICE }]);
    const result = await setup.sync();
    expect(result.failed).toEqual([]);
    const zone = await setup.db.one(`SELECT timezone FROM raw.calendar_settings`);
    expect(zone?.['timezone']).toBe('Asia/Tokyo');
  });

  it('--from moves the window back and keeps every week synced before', async () => {
    const emulator = await startEmulator();
    emulator.addUser(ALICE);
    emulator.putEvent(ALICE, timed('old', '2025-06-10', '10:00', '11:00'));
    emulator.putEvent(ALICE, timed('recent', '2026-03-10', '10:00', '11:00'));
    const setup = await setUp(emulator, [{ email: ALICE }]);
    await setup.sync();
    expect((await eventsOf(setup.db, ALICE)).map((row) => row.event_key)).toEqual([
      eventKey('recent'),
    ]);
    const back = await setup.sync({ from: '2025-06-01' });
    expect(back.fullSyncs).toBe(1);
    expect(emulator.eventRequests().at(-1)?.query['timeMin']).toBe('2025-05-26T00:00:00.000Z');
    expect((await eventsOf(setup.db, ALICE)).map((row) => row.event_key)).toEqual(
      ['old', 'recent'].map(eventKey),
    );
  });
});

describe('requests', () => {
  it('sends the metadata-only field mask, every event type, expanded instances and deleted items, with a bearer token, on every request', async () => {
    const emulator = await startEmulator({ maxPageSize: 2 });
    emulator.addUser(ALICE);
    for (const event of weekly('standup', '2026-03-02', '09:00', '09:30', 5))
      emulator.putEvent(ALICE, event);
    const setup = await setUp(emulator, [{ email: ALICE }]);
    await setup.sync();
    emulator.putEvent(ALICE, timed('new', '2026-03-20', '09:00', '10:00'));
    await setup.sync();

    const api = emulator.requests.filter((request) => request.path !== '/token');
    expect(api.length).toBeGreaterThan(4);
    for (const request of api) {
      expect(request.query['fields'], request.path).toBeDefined();
      expect(request.query['fields']).not.toMatch(
        /summary|description|location|conference|attachments|displayName/,
      );
      expect(request.authorization).toMatch(/^Bearer at_/);
    }
    const events = emulator.eventRequests();
    expect(events.length).toBe(4); // 3 pages of 5 items, then one incremental page
    for (const request of events) {
      expect(request.query['fields']).toBe(EVENTS_FIELDS);
      expect(request.query['eventTypes']).toEqual([
        'default',
        'focusTime',
        'outOfOffice',
        'workingLocation',
        'birthday',
        'fromGmail',
      ]);
      expect(request.query['singleEvents']).toBe('true');
      expect(request.query['showDeleted']).toBe('true');
    }
    expect(events.at(-1)?.query['syncToken']).toMatch(/^st_/);
    expect(events.at(-1)?.query['timeMin']).toBeUndefined();
    // The service account signs one JWT grant per impersonated user, not per request.
    const grants = emulator.requests.filter((request) => request.path === '/token');
    expect(
      grants.every(
        (request) => request.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      ),
    ).toBe(true);
  });
});

describe('failures', () => {
  it('wipes and re-syncs in full only the calendar whose sync token Google revoked (410)', async () => {
    const emulator = await startEmulator();
    for (const email of [ALICE, BOB]) {
      emulator.addUser(email);
      emulator.putEvent(email, timed('one', '2026-03-10', '09:00', '10:00'));
      emulator.putEvent(email, timed('two', '2026-03-11', '09:00', '10:00'));
    }
    const setup = await setUp(emulator, [{ email: ALICE }, { email: BOB }]);
    await setup.sync();
    // The token expired long ago: a deletion no incremental page will ever report.
    emulator.revokeSyncTokens(ALICE);
    emulator.purgeEvent(ALICE, 'two');
    emulator.putEvent(ALICE, timed('three', '2026-03-12', '09:00', '10:00'));
    emulator.putEvent(BOB, timed('three', '2026-03-12', '09:00', '10:00'));

    const next = await setup.sync();
    expect(next.failed).toEqual([]);
    expect(next.resyncedAfterExpiry).toBe(1);
    expect([next.fullSyncs, next.incrementalSyncs]).toEqual([1, 1]);
    expect(next.reporter.results.join('\n')).toContain(
      're-synced in full after Google expired their sync token',
    );
    expect((await eventsOf(setup.db, ALICE)).map((row) => row.event_key)).toEqual(
      ['one', 'three'].map(eventKey),
    );
    expect((await eventsOf(setup.db, BOB)).map((row) => row.event_key)).toEqual(
      ['one', 'two', 'three'].map(eventKey),
    );
    const coverage = await setup.db.one(`SELECT count(*)::INTEGER AS n FROM raw.calendar_coverage`);
    expect(coverage?.['n']).toBeGreaterThanOrEqual(2);
  });

  it('backs off through a storm of 403 rate limits and 429s and then succeeds', async () => {
    const emulator = await startEmulator();
    emulator.addUser(ALICE);
    emulator.putEvent(ALICE, timed('one', '2026-03-10', '09:00', '10:00'));
    const setup = await setUp(emulator, [{ email: ALICE }]);
    emulator.failNext(
      (request) => request.path.endsWith('/events'),
      [
        { status: 403, reason: 'rateLimitExceeded' },
        { status: 429, reason: 'rateLimitExceeded' },
        { status: 403, reason: 'userRateLimitExceeded' },
        { status: 503, reason: 'backendError' },
      ],
    );
    const waits: number[] = [];
    const result = await setup.sync({
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    expect(result.failed).toEqual([]);
    expect(result.retries).toBe(4);
    expect(await eventsOf(setup.db, ALICE)).toHaveLength(1);
    // Full jitter under a doubling ceiling (base 1 ms in tests).
    expect(waits).toHaveLength(4);
    waits.forEach((wait, index) => {
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThanOrEqual(2 ** index);
    });
  });

  it('records a calendar that keeps failing, goes on with the others, and leaves its weeks unknown', async () => {
    const emulator = await startEmulator();
    for (const email of [ALICE, BOB, CAROL]) {
      emulator.addUser(email);
      emulator.putEvent(email, timed('one', '2026-03-10', '09:00', '10:00'));
    }
    const setup = await setUp(emulator, [{ email: ALICE }, { email: BOB }, { email: CAROL }]);
    emulator.failNext(
      (request) => request.path === `/calendar/v3/calendars/${encodeURIComponent(BOB)}/events`,
      Array.from({ length: 6 }, () => ({ status: 403, reason: 'rateLimitExceeded' })),
    );
    // A refused request is not retried at all.
    emulator.failNext(
      (request) => request.path === `/calendar/v3/calendars/${encodeURIComponent(CAROL)}/events`,
      [{ status: 404, reason: 'notFound' }],
    );
    const result = await setup.sync();
    expect(result.failed).toEqual([
      { email: BOB, error: 'HTTP 403 rateLimitExceeded after 6 attempts' },
      { email: CAROL, error: 'HTTP 404 notFound' },
    ]);
    expect(result.synced).toBe(1);
    expect(await eventsOf(setup.db, ALICE)).toHaveLength(1);
    expect(await eventsOf(setup.db, BOB)).toHaveLength(0);
    const covered = await setup.db.parse(
      z.object({ owner_id: z.string() }),
      `SELECT DISTINCT owner_id FROM raw.calendar_coverage`,
    );
    expect(covered).toEqual([{ owner_id: testPseudonymizer.person(ALICE) }]);
    const states = await setup.db.parse(
      stateRow,
      `SELECT owner_id, sync_token, last_error, consecutive_failures FROM meta.google_calendar_sync ORDER BY owner_id`,
    );
    expect(states.find((state) => state.owner_id === testPseudonymizer.person(BOB))).toEqual({
      owner_id: testPseudonymizer.person(BOB),
      sync_token: null,
      last_error: 'HTTP 403 rateLimitExceeded after 6 attempts',
      consecutive_failures: 1,
    });

    // The next run finishes the job.
    const rerun = await setup.sync();
    expect(rerun.failed).toEqual([]);
    expect([rerun.fullSyncs, rerun.incrementalSyncs]).toEqual([2, 1]);
    expect(await eventsOf(setup.db, BOB)).toHaveLength(1);
  });
});

describe('directory', () => {
  it('syncs roster people found in the directory, skips the others and reports roster people it lacks', async () => {
    const emulator = await startEmulator({ directoryPageSize: 2 });
    emulator.addUser(ALICE);
    emulator.addUser(BOB);
    emulator.addUser('stranger@example.com');
    emulator.addUser('former@example.com', { suspended: true });
    emulator.addUser(CAROL, { inDirectory: false });
    const setup = await setUp(emulator, [
      { email: ALICE },
      { email: BOB },
      { email: CAROL },
      { email: 'former@example.com' },
    ]);
    const result = await setup.sync();
    expect(result.calendars).toBe(2);
    expect(result.directory).toEqual({ users: 5, skipped: 3, missing: [CAROL] });
    expect(result.reporter.warnings.join('\n')).toContain(
      `not in the Google directory, so not synced: ${CAROL}`,
    );
    const listed = emulator.requests.filter(
      (request) => request.path === '/admin/directory/v1/users',
    );
    expect(listed).toHaveLength(3);
    expect(listed[0]?.query).toMatchObject({
      customer: 'my_customer',
      fields: 'nextPageToken,users(primaryEmail,suspended)',
    });
  });
});
