/**
 * A `syncbalance sync slack` process killed (SIGKILL) in the middle of a conversation's pages:
 * the warehouse it leaves is consistent (every conversation it recorded as read holds exactly its
 * messages, no coverage is claimed), and the rerun ends with exactly the rows of a clean run.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Warehouse } from '../../warehouse/db.ts';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';
import { planExport } from '../slack-export/generate-export.ts';
import { tempDir, tempWarehouse, TEST_SALT } from '../helpers/warehouse.ts';
import { coverage, messages, slackRows, startEmulator, sync } from './support.ts';
import { USER_TOKEN, workspaceFromExport } from './workspace.ts';

const SINCE = '2025-12-15';

describe('slack sync killed mid-conversation', () => {
  it('leaves a consistent warehouse, and the rerun ends with exactly the rows of a clean run', async () => {
    const plan = planExport({
      messages: 1500,
      days: 14,
      channels: 4,
      dms: 6,
      groupDms: 2,
      users: 20,
    });
    const emulator = await startEmulator(workspaceFromExport(plan));
    emulator.faults.maxPageSize = 20;
    // Unhurried answers, so the writer commits the first conversations while later ones are read.
    emulator.faults.delayMs = 15;
    const dir = tempDir();
    const db = join(dir, 'warehouse.duckdb');
    const config = join(dir, 'syncbalance.config.yaml');
    // One conversation at a time, so the kill lands inside one conversation's pages.
    writeFileSync(config, `slack:\n  apiUrl: ${emulator.url}\n  concurrency:\n    tier3: 1\n`);
    const env = {
      ...process.env,
      CI: 'true',
      SLACK_TOKEN: USER_TOKEN,
      SYNCBALANCE_SALT: TEST_SALT,
    };
    const args = [join(REPO_ROOT, 'scripts', 'syncbalance.js'), '--db', db, '--config', config];

    const child = spawn(process.execPath, [...args, 'sync', 'slack', '--since', SINCE], {
      env,
      stdio: 'ignore',
    });
    let pagesSeen = 0;
    let killedAt: string | null = null;
    emulator.onRequest = (method, params) => {
      // A later page of the fourth conversation: earlier ones have committed by now.
      if (method !== 'conversations.history' || params['cursor'] === undefined) return;
      pagesSeen += 1;
      if (
        killedAt === null &&
        new Set(emulator.calls('conversations.history').map((c) => c.params['channel'])).size >= 4
      ) {
        killedAt = params['channel'] ?? '';
        child.kill('SIGKILL');
      }
    };
    const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, sig) => {
        resolve(sig);
      }),
    );
    emulator.onRequest = null;
    delete emulator.faults.delayMs;
    expect(signal).toBe('SIGKILL');
    expect(killedAt).not.toBeNull();
    expect(pagesSeen).toBeGreaterThan(0);

    // The clean run, in process, over the same workspace.
    const clean = await tempWarehouse();
    await sync(clean, emulator, Date.now(), { since: SINCE });
    const cleanMessages = await messages(clean);

    const crashed = await Warehouse.open(db);
    try {
      const synced = await crashed.parse(
        z.object({ conversation_key: z.string() }),
        `SELECT conversation_key FROM meta.slack_sync_conversations WHERE synced_through IS NOT NULL`,
      );
      expect(synced.length).toBeGreaterThanOrEqual(1);
      expect(synced.length).toBeLessThan(plan.conversations);
      const rows = await messages(crashed);
      const keys = new Set(synced.map((row) => row.conversation_key));
      // Conversations recorded as read hold exactly their messages; nothing else was written.
      expect(rows).toEqual(cleanMessages.filter((row) => keys.has(row.conversation_key)));
      expect(await coverage(crashed)).toEqual([]);
    } finally {
      crashed.close();
    }

    const rerun = await runCli(
      ['--db', db, '--config', config, 'sync', 'slack', '--since', SINCE],
      {
        env: { SLACK_TOKEN: USER_TOKEN, SYNCBALANCE_SALT: TEST_SALT },
      },
    );
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    const after = await Warehouse.open(db, { readOnly: true });
    try {
      expect(await slackRows(after)).toEqual(await slackRows(clean));
      expect(await coverage(after)).toHaveLength(1);
    } finally {
      after.close();
    }
  }, 180_000);
});
