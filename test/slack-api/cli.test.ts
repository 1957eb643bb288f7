/**
 * `syncbalance connect slack` and `syncbalance sync slack` through the real CLI in a child process
 * against the emulator: the privacy canary (no free text from Slack in the warehouse, its files or
 * the output), the token's secrecy (only in its owner-only credential file), and exit codes.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Warehouse } from '../../warehouse/db.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';
import type { SlackEmulator } from './emulator.ts';
import { startEmulator } from './support.ts';
import { CANARY, NO_IM_TOKEN, REVOKED_TOKEN, smallWorkspace, USER_TOKEN } from './workspace.ts';

/** Keys whose string values are free text in Slack's API answers. */
const FREE_TEXT_KEYS = new Set([
  'text',
  'name',
  'name_normalized',
  'real_name',
  'display_name',
  'first_name',
  'last_name',
  'title',
  'phone',
  'status_text',
  'tz_label',
  'value',
  'username',
  'fallback',
  'image_72',
  'url_private',
]);

function unmarkedFreeText(value: unknown, path: string): string[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => unmarkedFreeText(item, `${path}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    if (typeof child === 'string' && FREE_TEXT_KEYS.has(key))
      return child.includes(CANARY) ? [] : [`${path}.${key}`];
    return unmarkedFreeText(child, `${path}.${key}`);
  });
}

interface Setup {
  readonly dir: string;
  readonly db: string;
  readonly config: string;
  readonly emulator: SlackEmulator;
}

async function setup(): Promise<Setup> {
  const { workspace } = smallWorkspace(Date.now() - 3_600_000);
  const emulator = await startEmulator(workspace);
  const dir = tempDir();
  const config = join(dir, 'syncbalance.config.yaml');
  writeFileSync(config, `slack:\n  apiUrl: ${emulator.url}\n`);
  return { dir, db: join(dir, 'warehouse.duckdb'), config, emulator };
}

function cli(context: Setup, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['--db', context.db, '--config', context.config, ...args], {
    cwd: context.dir,
    env,
  });
}

async function rowsWith(db: string, needle: string): Promise<Record<string, number>> {
  const warehouse = await Warehouse.open(db, { readOnly: true });
  try {
    const tables = await warehouse.parse(
      z.object({ name: z.string() }),
      `SELECT schema_name || '.' || table_name AS name FROM duckdb_tables() ORDER BY ALL`,
    );
    const found: Record<string, number> = {};
    for (const { name } of tables) {
      const [row] = await warehouse.parse(
        z.object({ n: z.number() }),
        `SELECT count(*)::INTEGER AS n FROM ${name} AS t WHERE t::VARCHAR LIKE '%' || $1 || '%'`,
        [needle],
      );
      found[name] = row?.n ?? 0;
    }
    expect(Object.keys(found)).toContain('raw.slack_messages');
    return found;
  } finally {
    warehouse.close();
  }
}

function noneFound(found: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(found).map((name) => [name, 0]));
}

describe('slack sync privacy canary', () => {
  it('marks every free-text field the emulator returns, so the canary can see a leak', () => {
    const { workspace } = smallWorkspace();
    const { tokens: _tokens, ...returned } = workspace;
    expect(unmarkedFreeText(returned, 'workspace')).toEqual([]);
  });

  it('leaves no marker in the warehouse file, the files beside it, stdout or stderr', async () => {
    const context = await setup();
    const first = await cli(context, ['sync', 'slack'], { SLACK_TOKEN: USER_TOKEN });
    const second = await cli(context, ['sync', 'slack', '--full'], { SLACK_TOKEN: USER_TOKEN });
    expect(second.stderr).toBe('');
    for (const run of [first, second]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Synced Slack: 4 conversations read of 4, \d+ messages written/);
      expect(run.stdout + run.stderr).not.toContain(CANARY);
    }
    for (const file of readdirSync(context.dir)) {
      if (file.endsWith('.yaml')) continue;
      expect([
        file,
        readFileSync(join(context.dir, file)).toString('latin1').includes(CANARY),
      ]).toEqual([file, false]);
    }
    // DuckDB may compress strings on disk, so the rows are searched as text too.
    const found = await rowsWith(context.db, CANARY);
    expect(found).toEqual(noneFound(found));
    // The emulator did send the markers: they were dropped, not missed.
    expect(context.emulator.calls('conversations.history').length).toBeGreaterThan(0);
  });
});

describe('syncbalance connect slack', () => {
  it('shows the workspace and the scopes granted and missing, and keeps the token only in an owner-only file', async () => {
    const context = await setup();
    const tokenFile = join(tempDir(), 'token.txt');
    writeFileSync(tokenFile, `${NO_IM_TOKEN}\n`);
    const connected = await cli(context, ['connect', 'slack', '--token-file', tokenFile]);
    expect(connected.stderr).toBe('');
    expect(connected.code).toBe(0);
    expect(connected.stdout).toContain('Connected to Slack workspace');
    expect(connected.stdout).toContain('with a user token');
    expect(connected.stdout).toMatch(/Scopes granted: channels:read, .*users:read\.email/);
    expect(connected.stdout).toContain('Scopes missing: im:history');

    const synced = await cli(context, ['sync', 'slack']);
    expect(synced.code).toBe(0);
    expect(synced.stdout).toContain('3 conversations read of 4 (1 not readable with this token)');
    expect(synced.stderr).toContain('lacks im:history');

    const credential = join(context.dir, 'warehouse.slack-token.json');
    expect(statSync(credential).mode & 0o777).toBe(0o600);
    expect(readFileSync(credential, 'utf8')).toContain(NO_IM_TOKEN);
    for (const run of [connected, synced])
      expect(run.stdout + run.stderr).not.toContain(NO_IM_TOKEN);
    for (const file of readdirSync(context.dir)) {
      if (file === 'warehouse.slack-token.json') continue;
      expect([file, readFileSync(join(context.dir, file), 'latin1').includes(NO_IM_TOKEN)]).toEqual(
        [file, false],
      );
    }
    const found = await rowsWith(context.db, NO_IM_TOKEN);
    expect(found).toEqual(noneFound(found));
  });

  it('refuses a revoked token with exit code 2 and a message that does not show it; stores nothing', async () => {
    const context = await setup();
    const tokenFile = join(tempDir(), 'token.txt');
    writeFileSync(tokenFile, REVOKED_TOKEN);
    const run = await cli(context, ['connect', 'slack', '--token-file', tokenFile]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: the Slack token was revoked \(token_revoked\)/);
    expect(run.stdout + run.stderr).not.toContain(REVOKED_TOKEN);
    expect(readdirSync(context.dir)).not.toContain('warehouse.slack-token.json');
  });

  it('sync slack without any token says how to connect one (exit code 2)', async () => {
    const context = await setup();
    const run = await cli(context, ['sync', 'slack']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("run 'syncbalance connect slack --token-file FILE' first");
  });

  it('sync slack with a token revoked since connecting stops with exit code 2', async () => {
    const context = await setup();
    const run = await cli(context, ['sync', 'slack'], { SLACK_TOKEN: REVOKED_TOKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('revoked');
    expect(run.stderr).not.toContain(REVOKED_TOKEN);
  });
});
