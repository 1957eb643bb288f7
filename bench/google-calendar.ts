/**
 * `npm run bench:google`: Google Calendar sync throughput against the loopback emulator (the same
 * one the tests use), with the real `googleapis` client and a real DuckDB file. A service account
 * syncs `--calendars` roster people (default 1,000), each with `--per-week` meetings (default 10,
 * three attendees each) over the default window (26 weeks back, 4 ahead); then a daily incremental
 * run after a tenth of the calendars changed one event. Prints events/s and requests/s of the full
 * sync, and the requests per calendar of the daily run. The emulator runs in the same process, so
 * the figures include its work: a floor for the client, not Google's speed. Figures only.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { googleCredentialFile, saveConnection } from '../ingest/google-calendar/credentials.ts';
import { syncGoogleCalendar } from '../ingest/google-calendar/sync.ts';
import { importRoster } from '../ingest/roster/import.ts';
import { parseConfig } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { Pseudonymizer } from '../warehouse/identity.ts';
import { silentReporter } from '../warehouse/reporter.ts';
import { GoogleEmulator } from '../test/google-calendar/emulator.ts';

const { values } = parseArgs({
  options: {
    calendars: { type: 'string', default: '1000' },
    'per-week': { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
  },
});
const calendars = Number(values.calendars);
const perWeek = Number(values['per-week']);
const concurrency = Number(values.concurrency);

const dir = mkdtempSync(join(tmpdir(), 'syncbalance-bench-google-'));
const emulator = await GoogleEmulator.start();
try {
  const emails = Array.from({ length: calendars }, (_, index) => `person${index}@example.com`);
  emulator.addUser('admin@example.com', { admin: true });
  const now = Date.now();
  const weekMs = 7 * 86_400_000;
  let generated = 0;
  for (const [index, email] of emails.entries()) {
    emulator.addUser(email, { timeZone: 'Europe/Berlin' });
    for (let week = -26; week < 4; week++) {
      for (let slot = 0; slot < perWeek; slot++) {
        const start = now + week * weekMs + slot * 4 * 3_600_000;
        const startIso = new Date(start - (start % 1_800_000)).toISOString();
        const endIso = new Date(Date.parse(startIso) + 3_600_000).toISOString();
        emulator.putEvent(email, {
          id: `e${week + 26}x${slot}`,
          status: 'confirmed',
          eventType: 'default',
          start: { dateTime: startIso },
          end: { dateTime: endIso },
          summary: 'a title the mask drops',
          organizer: { email: emails[(index + 1) % calendars] ?? email },
          attendees: [
            { email, responseStatus: 'accepted', self: true },
            { email: emails[(index + 1) % calendars] ?? email, responseStatus: 'accepted' },
            { email: emails[(index + 2) % calendars] ?? email, responseStatus: 'needsAction' },
          ],
        });
        generated += 1;
      }
    }
  }

  const dbPath = join(dir, 'bench.duckdb');
  const db = await Warehouse.open(dbPath);
  const pseudonymizer = new Pseudonymizer('bench-salt-0123456789abcdef');
  const rosterFile = join(dir, 'roster.csv');
  writeFileSync(
    rosterFile,
    ['email,team', ...emails.map((email, index) => `${email},Org/Team${index % 50}`)].join('\n'),
  );
  await importRoster({
    db,
    pseudonymizer,
    file: rosterFile,
    asOf: '2025-01-01',
    reporter: silentReporter,
  });
  const key = emulator.serviceAccountKey();
  const credentialsFile = googleCredentialFile(dbPath);
  saveConnection(credentialsFile, {
    kind: 'serviceAccount',
    clientEmail: key['client_email'] ?? '',
    privateKey: key['private_key'] ?? '',
    admin: 'admin@example.com',
  });
  const config = parseConfig({
    google: { rootUrl: emulator.url, tokenUrl: emulator.tokenUrl, concurrency },
  });
  const run = async (): Promise<{
    seconds: number;
    cpuSeconds: number;
    requests: number;
    written: number;
  }> => {
    const before = emulator.requests.length;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const summary = await syncGoogleCalendar({
      db,
      config,
      pseudonymizer,
      reporter: silentReporter,
      credentialsFile,
      clock: () => new Date(now),
    });
    if (summary.failed.length > 0) throw new Error(`${summary.failed.length} calendars failed`);
    const used = process.cpuUsage(cpu);
    return {
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (used.user + used.system) / 1e6,
      requests: emulator.requests.length - before,
      written: summary.events.written,
    };
  };

  const full = await run();
  for (const email of emails.filter((_, index) => index % 10 === 0)) {
    const [first] = emulator.eventsOf(email);
    if (first !== undefined) emulator.putEvent(email, { ...first, transparency: 'transparent' });
  }
  const daily = await run();
  db.close();

  const fmt = (value: number, digits = 0): string =>
    value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log(
    `Google Calendar sync against the emulator: ${fmt(calendars)} calendars, ${fmt(generated)} events (${perWeek} a week over 30 weeks), concurrency ${concurrency}`,
  );
  console.log(
    `full sync:  ${fmt(full.seconds, 1)} s wall, ${fmt(full.cpuSeconds, 1)} s CPU (emulator included); ${fmt(full.written)} events, ${fmt(full.requests)} requests; ` +
      `${fmt(full.written / full.seconds)} events/s, ${fmt(full.requests / full.seconds, 1)} requests/s wall; ` +
      `${fmt(full.written / full.cpuSeconds)} events/s, ${fmt(full.requests / full.cpuSeconds, 1)} requests/s per CPU second`,
  );
  console.log(
    `daily run:  ${fmt(daily.seconds, 1)} s wall, ${fmt(daily.cpuSeconds, 1)} s CPU; ${fmt(daily.written)} events changed; ${fmt(daily.requests)} requests = ${fmt(daily.requests / calendars, 2)} per calendar (token grant + one incremental page each, plus the directory pages)`,
  );
  console.log(`warehouse:  ${fmt(statSync(dbPath).size / 2 ** 20, 1)} MiB`);
} finally {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}
