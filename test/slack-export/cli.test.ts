/**
 * `syncbalance import slack-export` through the real CLI in a child process: the privacy canary
 * and the failed imports (exit code 2, the file inside the archive named, the warehouse unchanged).
 *
 * Every free-text field of the fixtures carries a marker containing `canary-slack` (any case).
 * Channel names are folder names too and carry markers as well: a successful import must never
 * print or store a path, so they must not appear either. A failed import does name the file it
 * stopped at, folder included, so the failure tests only look for markers outside that path.
 */
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importSlackExport } from '../../ingest/slack-export/import.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { pseudonymizerFor } from '../../warehouse/identity.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { runCli } from '../helpers/cli.ts';
import { fingerprint, tempDir, TEST_SALT, type TableFingerprint } from '../helpers/warehouse.ts';
import {
  ACME,
  ACME_LATER,
  copiedFixture,
  GENERAL,
  MISSING_TS,
  zippedFixture,
} from './export-files.ts';
import { damageLocalHeader } from './zip.ts';

const MARKER = 'canary-slack';

/** Keys whose string values are free text in a Slack export (names, text, profile fields, URLs). */
const FREE_TEXT_KEYS = new Set([
  'text',
  'name',
  'real_name',
  'real_name_normalized',
  'display_name',
  'display_name_normalized',
  'first_name',
  'last_name',
  'title',
  'phone',
  'email',
  'status_text',
  'status_emoji',
  'avatar_hash',
  'image_36',
  'image_48',
  'image_72',
  'tz_label',
  'value',
  'topic',
  'purpose',
  'username',
  'fallback',
  'pretext',
  'preview',
  'permalink',
  'url_private',
  'reason',
  'service_type',
  'user_name',
]);

function jsonFiles(folder: string, relative = ''): string[] {
  return readdirSync(join(folder, relative), { withFileTypes: true }).flatMap((entry) => {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    return entry.isDirectory() ? jsonFiles(folder, path) : path.endsWith('.json') ? [path] : [];
  });
}

/** `path: key` for every free-text string in `value` that carries no marker. */
function unmarkedFreeText(value: unknown, path: string): string[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => unmarkedFreeText(item, `${path}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    if (typeof child === 'string' && FREE_TEXT_KEYS.has(key) && child.trim() !== '')
      return child.toLowerCase().includes(MARKER) ? [] : [`${path}.${key}`];
    return unmarkedFreeText(child, `${path}.${key}`);
  });
}

function containsMarker(bytes: Buffer | string): boolean {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  return text.toLowerCase().includes(MARKER);
}

describe('privacy canary', () => {
  it('marks every free-text field of the fixtures, so the canary can see a leak', () => {
    for (const folder of [ACME, ACME_LATER]) {
      for (const file of jsonFiles(folder)) {
        const value: unknown = JSON.parse(readFileSync(join(folder, file), 'utf8'));
        expect(unmarkedFreeText(value, file)).toEqual([]);
      }
    }
    expect(containsMarker(readFileSync(join(ACME, 'users.json')))).toBe(true);
  });

  it('leaves no marker in the warehouse file, its WAL, stdout or stderr', async () => {
    const dir = tempDir();
    const db = join(dir, 'warehouse.duckdb');
    const first = await runCli(['--db', db, 'import', 'slack-export', await zippedFixture(ACME)]);
    const later = await runCli(['--db', db, 'import', 'slack-export', ACME_LATER]);
    for (const run of [first, later]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Imported Slack export: /);
      expect(containsMarker(run.stdout)).toBe(false);
      expect(containsMarker(run.stderr)).toBe(false);
    }
    const files = readdirSync(dir);
    expect(files).toContain('warehouse.duckdb');
    for (const file of files)
      expect([file, containsMarker(readFileSync(join(dir, file)))]).toEqual([file, false]);

    // DuckDB may compress strings on disk, so the rows are searched as text too.
    const warehouse = await Warehouse.open(db, { readOnly: true });
    try {
      const tables = await warehouse.parse(
        z.object({ name: z.string() }),
        `SELECT schema_name || '.' || table_name AS name FROM duckdb_tables() ORDER BY ALL`,
      );
      expect(tables.map((table) => table.name)).toContain('raw.slack_messages');
      for (const { name } of tables) {
        const [row] = await warehouse.parse(
          z.object({ n: z.number() }),
          `SELECT count(*)::INTEGER AS n FROM ${name} AS t WHERE lower(t::VARCHAR) LIKE '%${MARKER}%'`,
        );
        expect([name, row?.n]).toEqual([name, 0]);
      }
      const [messages] = await warehouse.parse(
        z.object({ n: z.number() }),
        `SELECT count(*)::INTEGER AS n FROM raw.slack_messages`,
      );
      expect(messages?.n).toBe(20);
    } finally {
      warehouse.close();
    }
  });
});

describe('failed imports', () => {
  let baselineDir: string;
  let baseline: string;
  let before: Record<string, TableFingerprint>;

  // One warehouse holding an earlier import, copied for each case, so "unchanged" means something.
  beforeAll(async () => {
    baselineDir = mkdtempSync(join(tmpdir(), 'syncbalance-slack-baseline-'));
    baseline = join(baselineDir, 'baseline.duckdb');
    const db = await Warehouse.open(baseline);
    try {
      const pseudonymizer = await pseudonymizerFor(db, TEST_SALT);
      await importSlackExport({ db, pseudonymizer, path: ACME, reporter: silentReporter });
      before = await fingerprint(db);
    } finally {
      db.close();
    }
  });

  afterAll(() => {
    rmSync(baselineDir, { recursive: true, force: true });
  });

  async function failedImport(path: string): Promise<{ stderr: string; stdout: string }> {
    const db = join(tempDir(), 'warehouse.duckdb');
    copyFileSync(baseline, db);
    if (existsSync(`${baseline}.wal`)) copyFileSync(`${baseline}.wal`, `${db}.wal`);
    const result = await runCli(['--db', db, 'import', 'slack-export', path], {
      env: { SYNCBALANCE_SALT: TEST_SALT },
    });
    expect(result.code).toBe(2);
    const warehouse = await Warehouse.open(db);
    try {
      expect(await fingerprint(warehouse)).toEqual(before);
    } finally {
      warehouse.close();
    }
    return result;
  }

  /** The error output, minus the file path it names, must not carry any fixture text. */
  function expectNoContent(stderr: string, path: string): void {
    expect(containsMarker(stderr.replaceAll(path, ''))).toBe(false);
  }

  it('stops at a day file that is not JSON, naming it with line and column', async () => {
    const folder = copiedFixture(ACME);
    writeFileSync(
      join(folder, GENERAL, '2026-01-05.json'),
      '[\n  {\n    "type": "message",\n    "text": "CANARY-slack-broken-json-text",\n    "ts": "1767603600.000200"\n  }\n  {"text": "CANARY-slack-broken-json-after"}\n]\n',
    );
    const zip = await zippedFixture(folder);
    const inner = `${zip}!${GENERAL}/2026-01-05.json`;
    const { stderr, stdout } = await failedImport(zip);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `error: ${inner}:7:3: is not valid JSON: expected ',' or ']' after an array element; nothing was imported\n`,
    );
    expectNoContent(stderr, inner);
  });

  it('stops at a message without ts, naming the file, line and field', async () => {
    const zip = await zippedFixture(MISSING_TS);
    const { stderr } = await failedImport(zip);
    expect(stderr).toBe(
      `error: ${zip}!general/2026-01-05.json:8:3 ts: missing in message 2 of this file; nothing was imported\n`,
    );
    expectNoContent(stderr, zip);
  });

  it('refuses a file that is not a ZIP', async () => {
    const path = join(tempDir(), 'export.zip');
    writeFileSync(path, 'CANARY-slack-not-a-zip: a saved web page, perhaps\n');
    const { stderr } = await failedImport(path);
    expect(stderr).toBe(
      `error: ${path}: is not a readable ZIP archive: it may be truncated (an interrupted download) or not a ZIP at all (no ZIP directory at its end)\n`,
    );
  });

  it('refuses a truncated ZIP', async () => {
    const zip = await zippedFixture(ACME);
    const bytes = readFileSync(zip);
    writeFileSync(zip, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const { stderr } = await failedImport(zip);
    expect(stderr).toMatch(
      /^error: .*export\.zip: is not a readable ZIP archive: it may be truncated \(an interrupted download\)/,
    );
    expectNoContent(stderr, zip);
  });

  it('stops at a damaged file inside the ZIP, naming it', async () => {
    const zip = await zippedFixture(ACME);
    await damageLocalHeader(zip, `${GENERAL}/2026-01-06.json`);
    const inner = `${zip}!${GENERAL}/2026-01-06.json`;
    const { stderr } = await failedImport(zip);
    expect(stderr).toBe(
      `error: ${inner}: cannot be read: the archive is damaged (invalid local file header)\n`,
    );
    expectNoContent(stderr, inner);
  });
});
