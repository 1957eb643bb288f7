/**
 * `syncbalance connect google` and `syncbalance sync google` as a user runs them: the real CLI in a
 * child process against the emulator. Proves the key lands in an owner-only file and nowhere else,
 * that no free text the API returns reaches the warehouse file, the tables or the output (even from
 * a server that ignores the field mask), the exit codes, and that a sync killed between two pages
 * is finished by the rerun with exactly the rows of a clean run.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Warehouse } from '../../warehouse/db.ts';
import { REPO_ROOT, runCli, type CliResult } from '../helpers/cli.ts';
import { TEST_SALT, tempDir } from '../helpers/warehouse.ts';
import type { GoogleEmulator } from './emulator.ts';
import { startEmulator, timed, weekly, writeRoster } from './support.ts';

// Several real CLI processes per test: slow on a busy machine, never a timing assertion.
vi.setConfig({ testTimeout: 240_000 });

const env = { SYNCBALANCE_SALT: TEST_SALT };
const PEOPLE = ['alice@example.com', 'bob@example.com', 'carol@example.com'];

/** A date `days` from today (the CLI syncs around the real today). */
function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

interface CliSetup {
  readonly dir: string;
  readonly db: string;
  readonly config: string;
  cli(...args: string[]): Promise<CliResult>;
}

async function cliSetUp(
  emulator: GoogleEmulator,
  extra: Record<string, unknown> = {},
): Promise<CliSetup> {
  const dir = tempDir('syncbalance-google-cli-');
  const db = join(dir, 'warehouse.duckdb');
  const config = join(dir, 'syncbalance.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      google: {
        rootUrl: emulator.url,
        tokenUrl: emulator.tokenUrl,
        retry: { baseDelayMs: 1 },
        ...extra,
      },
    }),
  );
  emulator.addUser('admin@example.com', { admin: true });
  const cli = (...args: string[]): Promise<CliResult> =>
    runCli(['--db', db, '--config', config, ...args], { env, cwd: dir });
  const roster = await cli(
    'import',
    'roster',
    writeRoster(
      dir,
      PEOPLE.map((email) => ({ email })),
    ),
  );
  expect(roster.code, roster.stderr).toBe(0);
  return { dir, db, config, cli };
}

async function connectServiceAccount(
  setup: CliSetup,
  emulator: GoogleEmulator,
): Promise<CliResult> {
  const keyFile = join(setup.dir, 'key.json');
  writeFileSync(keyFile, JSON.stringify(emulator.serviceAccountKey()));
  return setup.cli(
    'connect',
    'google',
    '--service-account',
    keyFile,
    '--admin',
    'admin@example.com',
  );
}

async function withWarehouse<T>(path: string, work: (db: Warehouse) => Promise<T>): Promise<T> {
  const db = await Warehouse.open(path);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

/** Every value in every table, as text. */
async function allStoredText(db: Warehouse): Promise<string> {
  const tables = await db.parse(
    z.object({ name: z.string() }),
    `SELECT schema_name || '.' || table_name AS name FROM duckdb_tables() WHERE NOT temporary`,
  );
  let text = '';
  for (const { name } of tables) {
    const [row] = await db.parse(
      z.object({ text: z.string().nullable() }),
      `SELECT string_agg(t::VARCHAR, '\n') AS text FROM ${name} AS t`,
    );
    text += row?.text ?? '';
  }
  return text;
}

/** The calendar rows without the run that wrote them: equal for equal calendars. */
async function calendarRows(
  db: Warehouse,
): Promise<{ events: string[]; attendees: string[]; coverage: string[]; settings: string[] }> {
  const rows = async (sql: string): Promise<string[]> =>
    (await db.parse(z.object({ row: z.string() }), sql)).map((r) => r.row);
  return {
    events: await rows(
      `SELECT concat_ws('|', owner_id, event_key, recurrence_key, start_at, end_at, start_date, end_date, status, transparency, event_type, is_recurring, organizer_id) AS row FROM raw.calendar_events ORDER BY row`,
    ),
    attendees: await rows(
      `SELECT concat_ws('|', owner_id, event_key, recurrence_key, attendee_id, attendee_kind, response_status) AS row FROM raw.calendar_attendees ORDER BY row`,
    ),
    coverage: await rows(
      `SELECT DISTINCT concat_ws('|', owner_id, window_start, window_end) AS row FROM raw.calendar_coverage ORDER BY row`,
    ),
    settings: await rows(
      `SELECT concat_ws('|', owner_id, timezone) AS row FROM raw.calendar_settings ORDER BY row`,
    ),
  };
}

function addCalendars(emulator: GoogleEmulator, eventsEach: number): void {
  for (const email of PEOPLE) {
    emulator.addUser(email, { timeZone: 'Europe/Berlin' });
    for (let index = 0; index < eventsEach; index++) {
      emulator.putEvent(
        email,
        timed(`${email.split('@')[0] ?? ''}-${index}`, day(-index - 1), '09:00', '10:00', {
          attendees: [{ email, responseStatus: 'accepted', self: true }],
        }),
      );
    }
  }
}

describe('connect google --service-account', () => {
  it('keeps the key in an owner-only file beside the warehouse, never in the warehouse or the output', async () => {
    const emulator = await startEmulator();
    addCalendars(emulator, 2);
    const setup = await cliSetUp(emulator);
    const connected = await connectServiceAccount(setup, emulator);
    expect(connected.code, connected.stderr).toBe(0);
    expect(connected.stdout).toContain('Connected the service account');
    const file = join(setup.dir, 'warehouse.google.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const privateKey = emulator.serviceAccountKey()['private_key'] ?? '';
    expect(readFileSync(file, 'utf8')).toContain('BEGIN PRIVATE KEY');

    const synced = await setup.cli('sync', 'google');
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout).toContain('Synced 3 Google calendars of 3');
    const keyBody = privateKey.split('\n')[1] ?? '';
    expect(keyBody.length).toBeGreaterThan(20);
    const bytes = [setup.db, `${setup.db}.wal`]
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path).toString('latin1'))
      .join('');
    for (const text of [
      bytes,
      readFileSync(setup.config, 'utf8'),
      connected.stdout + connected.stderr,
      synced.stdout + synced.stderr,
    ]) {
      expect(text).not.toContain(keyBody);
      expect(text).not.toMatch(/Bearer|at_\d+_/);
    }
  });

  it('refuses a key file that is not a service account key with exit code 2, naming file and field', async () => {
    const emulator = await startEmulator();
    const setup = await cliSetUp(emulator);
    const keyFile = join(setup.dir, 'not-a-key.json');
    writeFileSync(
      keyFile,
      JSON.stringify({ type: 'authorized_user', client_email: 'x', private_key: 'CANARY-secret' }),
    );
    const result = await setup.cli(
      'connect',
      'google',
      '--service-account',
      keyFile,
      '--admin',
      'admin@example.com',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${keyFile} type: not a service account key`);
    expect(result.stderr).not.toContain('CANARY');
    expect(existsSync(join(setup.dir, 'warehouse.google.json'))).toBe(false);
  });

  it('stores nothing when domain-wide delegation is not granted, and says what to check', async () => {
    const emulator = await startEmulator();
    const setup = await cliSetUp(emulator);
    emulator.delegation = false;
    const result = await connectServiceAccount(setup, emulator);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot list the directory as admin@example.com');
    expect(result.stderr).toContain('unauthorized_client');
    expect(existsSync(join(setup.dir, 'warehouse.google.json'))).toBe(false);
  });
});

describe('sync google', () => {
  it('exits with code 1 and lists the calendars that failed, after syncing the others', async () => {
    const emulator = await startEmulator();
    addCalendars(emulator, 1);
    const setup = await cliSetUp(emulator, { retry: { attempts: 2, baseDelayMs: 1 } });
    expect((await connectServiceAccount(setup, emulator)).code).toBe(0);
    emulator.failNext(
      (request) =>
        request.path.includes('bob%40example.com') || request.path.includes('bob@example.com'),
      [{ status: 500 }, { status: 500 }],
    );
    const result = await setup.cli('sync', 'google');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Synced 2 Google calendars of 3');
    expect(result.stderr).toContain('1 of 3 calendars failed to sync');
    expect(result.stderr).toContain('bob@example.com: HTTP 500 backendError after 2 attempts');
  });

  it('says to connect first when Google is not connected (exit code 2)', async () => {
    const emulator = await startEmulator();
    const setup = await cliSetUp(emulator);
    const result = await setup.cli('sync', 'google');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("run 'syncbalance connect google");
  });
});

describe('privacy', () => {
  it('keeps every title, description, location, link, attachment and name out of the warehouse, the logs and the output, even when the server ignores the mask', async () => {
    const emulator = await startEmulator({ ignoreFieldMask: true, maxPageSize: 2 });
    const free = (field: string): string => `CANARY-google-${field}`;
    for (const email of PEOPLE) {
      emulator.addUser(email, {
        timeZone: 'Europe/Berlin',
        extra: {
          name: { fullName: free('user-name'), givenName: free('given-name') },
          phones: [{ value: free('phone') }],
          organizations: [{ title: free('job-title') }],
        },
      });
    }
    const alice = PEOPLE[0] ?? '';
    const rich = {
      summary: free('summary'),
      description: free('description'),
      location: free('location'),
      hangoutLink: `https://meet.example/${free('hangout')}`,
      htmlLink: `https://calendar.example/${free('html-link')}`,
      conferenceData: {
        entryPoints: [{ uri: free('conference-uri'), label: free('conference-label') }],
        notes: free('conference-notes'),
      },
      attachments: [{ title: free('attachment-title'), fileUrl: free('attachment-url') }],
      extendedProperties: { private: { note: free('extended-property') } },
      source: { title: free('source-title'), url: free('source-url') },
      workingLocationProperties: { customLocation: { label: free('working-location') } },
      outOfOfficeProperties: { declineMessage: free('decline-message') },
      focusTimeProperties: { chatStatus: 'doNotDisturb', declineMessage: free('focus-decline') },
      organizer: { email: 'outsider@elsewhere.example', displayName: free('organizer-name') },
      creator: { email: alice, displayName: free('creator-name'), self: true },
      attendees: [
        {
          email: alice,
          responseStatus: 'accepted',
          self: true,
          displayName: free('self-name'),
          comment: free('comment'),
        },
        {
          email: 'guest@elsewhere.example',
          responseStatus: 'tentative',
          displayName: free('guest-name'),
        },
        {
          email: 'room-1@resource.calendar.google.com',
          resource: true,
          responseStatus: 'accepted',
          displayName: free('room-name'),
        },
      ],
    };
    emulator.putEvent(alice, timed('rich', day(-2), '09:00', '10:00', rich));
    for (const event of weekly('series', day(-21), '11:00', '12:00', 3, rich))
      emulator.putEvent(alice, event);
    emulator.putEvent(
      alice,
      timed('focus', day(-3), '13:00', '15:00', { ...rich, eventType: 'focusTime' }),
    );
    const setup = await cliSetUp(emulator);
    const connected = await connectServiceAccount(setup, emulator);
    expect(connected.code, connected.stderr).toBe(0);
    const synced = await setup.cli('--verbose', 'sync', 'google');
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout).toContain('5 events added');

    const secrets = [...JSON.stringify(rich).matchAll(/CANARY-google-[a-z-]+/g)].map(
      (match) => match[0],
    );
    secrets.push(
      free('user-name'),
      free('given-name'),
      free('phone'),
      free('job-title'),
      'canary-calendar-description',
    );
    secrets.push('outsider@elsewhere.example', 'guest@elsewhere.example', 'room-1@resource');
    expect(secrets.length).toBeGreaterThan(25);
    const bytes = [setup.db, `${setup.db}.wal`]
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path).toString('latin1'))
      .join('');
    const stored = await withWarehouse(setup.db, allStoredText);
    const output = [connected, synced].map((result) => result.stdout + result.stderr).join('');
    expect(stored).toContain('alice@example.com'); // the roster, which sign-in needs
    for (const secret of secrets) {
      expect(bytes, `${secret} in the DuckDB file`).not.toContain(secret);
      expect(stored, `${secret} in a table`).not.toContain(secret);
      expect(output, `${secret} in the output`).not.toContain(secret);
    }
  });
});

describe('a crash between two pages', () => {
  it('leaves the old token and rows, and the rerun ends with exactly the rows of a clean run', async () => {
    const build = async (): Promise<GoogleEmulator> => {
      const emulator = await startEmulator({ maxPageSize: 2 });
      addCalendars(emulator, 5);
      return emulator;
    };
    // A clean run, for comparison.
    const cleanEmulator = await build();
    const clean = await cliSetUp(cleanEmulator, { concurrency: 1 });
    expect((await connectServiceAccount(clean, cleanEmulator)).code).toBe(0);
    expect((await clean.cli('sync', 'google')).code).toBe(0);
    const expected = await withWarehouse(clean.db, calendarRows);
    expect(expected.events).toHaveLength(15);

    const emulator = await build();
    const setup = await cliSetUp(emulator, { concurrency: 1 });
    expect((await connectServiceAccount(setup, emulator)).code).toBe(0);
    // Bob's second page never comes: the process is killed while waiting for it.
    let bobPages = 0;
    const held = emulator.hold((request) => {
      if (!request.path.includes('bob')) return false;
      if (!request.path.endsWith('/events')) return false;
      bobPages += 1;
      return bobPages === 2;
    });
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'scripts', 'syncbalance.js'),
        '--db',
        setup.db,
        '--config',
        setup.config,
        'sync',
        'google',
      ],
      {
        cwd: setup.dir,
        env: { ...process.env, ...env, CI: 'true', SYNCBALANCE_DB: undefined },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => {
        resolve(signal);
      }),
    );
    await held;
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const midway = await withWarehouse(setup.db, calendarRows);
    // Alice (synced before Bob, one at a time) landed whole; of Bob's first page nothing did.
    expect(midway.events.length).toBe(5);
    const rerun = await setup.cli('sync', 'google');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('(2 full, 1 incremental)');
    expect(await withWarehouse(setup.db, calendarRows)).toEqual(expected);
  });
});
