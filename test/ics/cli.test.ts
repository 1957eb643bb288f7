/**
 * `syncbalance import ics` as a user runs it: the real CLI in a child process, writing a real
 * DuckDB file. Proves that nothing private reaches the warehouse or the terminal, and that bad
 * input exits with code 2, names file and line, and leaves the warehouse unchanged.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importRoster } from '../../ingest/roster/import.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { fingerprint, tempDir, TEST_SALT, testPseudonymizer } from '../helpers/warehouse.ts';
import { ICS_FIXTURES } from './support.ts';

const env = { SYNCBALANCE_SALT: TEST_SALT };
const window = ['--from', '2026-03-01', '--to', '2026-03-31'];

function importIcs(db: string, ...args: string[]): Promise<CliResult> {
  return runCli(['--db', db, 'import', 'ics', ...args], { env });
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

describe('privacy', () => {
  it('keeps every title, description, location, link, attachment and name out of the warehouse and the output', async () => {
    const dir = tempDir();
    const db = join(dir, 'canary.duckdb');
    await withWarehouse(db, (warehouse) =>
      importRoster({
        db: warehouse,
        pseudonymizer: testPseudonymizer,
        file: join(ICS_FIXTURES, '..', 'roster', 'valid.csv'),
        asOf: '2026-01-01',
        reporter: silentReporter,
      }),
    );

    const canary = join(ICS_FIXTURES, 'canary.ics');
    const result = await importIcs(
      db,
      canary,
      '--owner',
      'canary-owner@outside.example',
      ...window,
    );
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('5 events');

    const markers = [...readFileSync(canary, 'utf8').matchAll(/CANARY-ics-[a-z-]+/g)].map(
      (match) => match[0],
    );
    expect(markers.length).toBeGreaterThan(20);
    // Addresses of people outside the roster are stored only as pseudonyms.
    const secrets = [...new Set(markers), 'canary-owner@outside.example', 'canary-attendee@'];

    const files = [db, `${db}.wal`].filter((file) => existsSync(file));
    const bytes = files.map((file) => readFileSync(file).toString('latin1')).join('');
    const stored = await withWarehouse(db, allStoredText);
    expect(stored).toContain('ada@example.com');
    for (const secret of secrets) {
      expect(bytes, `${secret} in the DuckDB file`).not.toContain(secret);
      expect(stored, `${secret} in a table`).not.toContain(secret);
      expect(result.stdout + result.stderr, `${secret} in the output`).not.toContain(secret);
    }
  });
});

describe('bad input', () => {
  const cases = [
    ['not-icalendar.ics', 1, 'not an iCalendar file: it must start with BEGIN:VCALENDAR'],
    ['invalid-line.ics', 8, 'not a valid iCalendar line (expected NAME:value)'],
    ['invalid-parameters.ics', 7, 'ATTENDEE: not a valid iCalendar line'],
    ['unclosed.ics', 3, 'BEGIN:VEVENT is never closed (END:VEVENT missing)'],
    ['impossible-date.ics', 5, 'DTSTART: not a valid date-time'],
    ['invalid-rrule.ics', 7, 'RRULE: not a valid recurrence rule'],
    ['unknown-zone.ics', 5, "DTSTART: unknown time zone 'Mars/Olympus_Mons'"],
    ['ends-before-start.ics', 6, 'DTEND: the event ends before it starts'],
  ] as const;

  it('exits with code 2, names file and line without quoting it, and leaves the warehouse as it was', async () => {
    const db = join(tempDir(), 'bad.duckdb');
    const good = await importIcs(
      db,
      join(ICS_FIXTURES, 'berlin-team.ics'),
      '--owner',
      'ada@example.com',
      ...window,
    );
    expect(good.code).toBe(0);
    const before = await withWarehouse(db, (warehouse) => fingerprint(warehouse));
    // Each bad file against its own copy of the warehouse, so the imports can run side by side.
    await Promise.all(
      cases.map(async ([name, line, message]) => {
        const copy = join(tempDir(), `${name}.duckdb`);
        copyFileSync(db, copy);
        const file = join(ICS_FIXTURES, 'bad', name);
        const result = await importIcs(copy, file, '--owner', 'ada@example.com', ...window);
        expect(result.code, name).toBe(2);
        expect(result.stderr, name).toContain(`${file}:${line}`);
        expect(result.stderr, name).toContain(message);
        expect(result.stdout, name).toBe('');
        // ical.js quotes the line it cannot read; the broken lines here hold markers.
        expect(result.stderr, name).not.toContain('CANARY');
        expect(await withWarehouse(copy, (warehouse) => fingerprint(warehouse)), name).toEqual(
          before,
        );
      }),
    );
  });
});

describe('calendar owners', () => {
  it('reads the owner from a file named after them, and otherwise asks for --owner', async () => {
    const dir = tempDir();
    const db = join(dir, 'owners.duckdb');
    const named = join(dir, 'grace@example.com.ics');
    copyFileSync(join(ICS_FIXTURES, 'zones.ics'), named);
    const byName = await importIcs(db, named, ...window);
    expect(byName.code).toBe(0);
    expect(byName.stdout).toMatch(/^Imported 1 calendar of 1 person/);

    const unnamed = join(ICS_FIXTURES, 'zones.ics');
    const refused = await importIcs(db, unnamed, ...window);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `${unnamed}: cannot tell whose calendar this is: its name is not an email address`,
    );

    const byOption = await importIcs(db, unnamed, '--owner', 'ken@example.com', ...window);
    expect(byOption.code).toBe(0);
  });
});
