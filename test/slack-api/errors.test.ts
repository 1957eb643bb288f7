/**
 * How the Slack sync meets Slack's limits and refusals: rate limits are waited out as asked,
 * conversations a token may not read are noted and skipped, a failing Slack leaves the run
 * without coverage (so those weeks stay unknown), and a bad token stops the run.
 */
import { describe, expect, it } from 'vitest';
import { SlackTokenRejected } from '../../ingest/slack-api/client.ts';
import { tempWarehouse, testPseudonymizer as keys } from '../helpers/warehouse.ts';
import { configFor, coverage, messages, slackRows, startEmulator, sync } from './support.ts';
import {
  BOT_TOKEN,
  message,
  NO_IM_TOKEN,
  REVOKED_TOKEN,
  smallWorkspace,
  tsAt,
  USER_TOKEN,
} from './workspace.ts';

async function cleanRows(): Promise<Record<string, unknown[]>> {
  const { workspace, now } = smallWorkspace();
  const emulator = await startEmulator(workspace);
  const db = await tempWarehouse();
  await sync(db, emulator, now);
  return slackRows(db);
}

async function states(db: Awaited<ReturnType<typeof tempWarehouse>>) {
  return db.all(
    `SELECT conversation_key, last_error, synced_through IS NOT NULL AS synced
     FROM meta.slack_sync_conversations ORDER BY conversation_key`,
  );
}

describe('slack sync under rate limits', () => {
  it('a storm of 429s that ends: every wait is logged, and the rows equal a run without it', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    emulator.faults.rateLimit = { remaining: 25, retryAfterSeconds: 0 };
    const db = await tempWarehouse();
    const { summary, reporter } = await sync(db, emulator, now);
    expect(emulator.requests.filter((request) => request.status === 429)).toHaveLength(25);
    expect(summary.requests.rateLimited).toBe(25);
    expect(reporter.infos.filter((line) => /rate limit on .*waiting 0 s/.test(line))).toHaveLength(
      25,
    );
    expect(summary.coverage).not.toBeNull();
    expect(await slackRows(db)).toEqual(await cleanRows());
  });

  it('waits as long as Retry-After says before the next request', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    emulator.faults.rateLimit = {
      remaining: 1,
      retryAfterSeconds: 1,
      methods: ['conversations.history'],
    };
    const db = await tempWarehouse();
    // One conversation at a time, so no other request is in flight when the 429 arrives.
    const config = configFor(emulator, { concurrency: { tier3: 1 } });
    await sync(db, emulator, now, { sleep: undefined, config });
    const limited = emulator.requests.findIndex((request) => request.status === 429);
    const next = emulator.requests
      .slice(limited + 1)
      .find((request) => request.method === 'conversations.history');
    expect(next?.params['channel']).toBe(emulator.requests[limited]?.params['channel']);
    expect(next).toBeDefined();
    expect(next!.at - emulator.requests[limited]!.at).toBeGreaterThanOrEqual(990);
  });

  it('an app held to one request a period still finishes, waiting out every 429 without hammering', async () => {
    const { workspace, now } = smallWorkspace();
    // Only the DM and the group DM: five history and replies requests, one a second.
    workspace.conversations = workspace.conversations.filter(
      (c) => c.type === 'im' || c.type === 'mpim',
    );
    const emulator = await startEmulator(workspace);
    emulator.faults.throttle = {
      seconds: 1,
      methods: ['conversations.history', 'conversations.replies'],
    };
    const db = await tempWarehouse();
    const { summary } = await sync(db, emulator, now, { sleep: undefined });
    expect(summary.coverage).not.toBeNull();
    expect(summary.conversationsRead).toBe(2);
    const accepted = emulator.requests.filter(
      (request) =>
        request.method.startsWith('conversations.') &&
        request.method !== 'conversations.list' &&
        request.status === 200,
    );
    for (let index = 1; index < accepted.length; index++)
      expect(accepted[index]!.at - accepted[index - 1]!.at).toBeGreaterThanOrEqual(990);
    // Each refused request was retried only after the wait Slack asked for: few 429s, no storm.
    const refused = emulator.requests.filter((request) => request.status === 429).length;
    expect(refused).toBeLessThanOrEqual(accepted.length * 3);
  });

  it('ratelimited answers in a 200 body are waited out and retried too', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    emulator.faults.ratelimitedBodies = { remaining: 6, retryAfterSeconds: 0 };
    const db = await tempWarehouse();
    const { summary } = await sync(db, emulator, now);
    expect(summary.requests.rateLimited).toBe(6);
    expect(await slackRows(db)).toEqual(await cleanRows());
  });

  it('short pages are followed by their cursors to the end', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    emulator.faults.maxPageSize = 1;
    const db = await tempWarehouse();
    await sync(db, emulator, now);
    expect(emulator.calls('conversations.history').some((call) => call.params['cursor'])).toBe(
      true,
    );
    expect(emulator.calls('users.list').length).toBe(workspace.users.length);
    expect(await slackRows(db)).toEqual(await cleanRows());
  });
});

describe('slack sync with limited tokens', () => {
  it('a token without im:history reads everything else, records the DM as missing_scope, warns, and still covers the period', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    const db = await tempWarehouse();
    const { summary, reporter } = await sync(db, emulator, now, { token: NO_IM_TOKEN });
    expect(summary.unreadable).toEqual({
      not_in_channel: 0,
      missing_scope: 1,
      channel_not_found: 0,
    });
    expect(summary.conversationsRead).toBe(3);
    expect(reporter.warnings.some((line) => line.includes('im:history'))).toBe(true);
    const dm = keys.slackConversation('DANABEN');
    expect((await states(db)).find((row) => row['conversation_key'] === dm)).toEqual({
      conversation_key: dm,
      last_error: 'missing_scope',
      synced: false,
    });
    expect((await messages(db)).some((row) => row.conversation_key === dm)).toBe(false);
    expect(await coverage(db)).toHaveLength(1);
  });

  it('a bot token reads the channels it is in; the others are noted as not_in_channel and summarised, not fatal', async () => {
    const { workspace, now } = smallWorkspace();
    workspace.conversations.push({
      id: 'CRANDOM',
      type: 'public_channel',
      members: ['UANA'],
      messages: [message(tsAt(now - 86_400_000), 'UANA')],
    });
    const emulator = await startEmulator(workspace);
    const db = await tempWarehouse();
    const { summary, reporter } = await sync(db, emulator, now, { token: BOT_TOKEN });
    // Private conversations are not even listed to a bot that is not in them.
    expect(summary.conversations).toBe(2);
    expect(summary.unreadable.not_in_channel).toBe(1);
    expect(reporter.warnings.some((line) => line.includes('not a member'))).toBe(true);
    expect(reporter.results.at(-1)).toContain('1 not readable with this token');
    expect(new Set((await messages(db)).map((row) => row.conversation_key))).toEqual(
      new Set([keys.slackConversation('CGENERAL')]),
    );
  });

  it('a revoked token stops the run with a clear message that never shows the token, and writes nothing', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    const db = await tempWarehouse();
    const failure = await sync(db, emulator, now, { token: REVOKED_TOKEN }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SlackTokenRejected);
    expect((failure as Error).message).toMatch(/revoked.*connect slack/);
    expect((failure as Error).message).not.toContain(REVOKED_TOKEN);
    expect(await messages(db)).toEqual([]);
    expect(await coverage(db)).toEqual([]);
  });

  it('a token revoked mid-sync stops the run; conversations already read stay, no coverage is recorded', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    const db = await tempWarehouse();
    let histories = 0;
    emulator.onRequest = (method) => {
      if (method === 'conversations.history' && ++histories === 3)
        emulator.workspace.tokens[USER_TOKEN]!.revoked = true;
    };
    await expect(sync(db, emulator, now)).rejects.toBeInstanceOf(SlackTokenRejected);
    expect(await coverage(db)).toEqual([]);
    const [run] = await db.all(`SELECT summary->>'complete' AS complete FROM meta.import_runs`);
    expect(run).toEqual({ complete: 'false' });
  });
});

describe('slack sync when Slack fails', () => {
  it('a conversation Slack keeps failing is retried, then left incomplete: no coverage this run, finished by the next', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    emulator.faults.failMethods = {
      methods: ['conversations.history'],
      error: 'internal_error',
      remaining: 5,
      channel: 'GLEADS',
    };
    const db = await tempWarehouse();
    const { summary, reporter } = await sync(db, emulator, now);
    expect(summary.failed).toBe(1);
    expect(summary.coverage).toBeNull();
    expect(await coverage(db)).toEqual([]);
    expect(reporter.warnings.some((line) => line.includes('Slack kept failing'))).toBe(true);
    const leads = keys.slackConversation('GLEADS');
    expect((await states(db)).find((row) => row['conversation_key'] === leads)).toMatchObject({
      last_error: 'failed',
    });

    const next = await sync(db, emulator, now + 3_600_000);
    expect(next.summary.failed).toBe(0);
    expect(await coverage(db)).toHaveLength(1);
    expect((await slackRows(db))['messages']).toEqual((await cleanRows())['messages']);
  });
});

describe('slack sync refusing what it cannot use', () => {
  it('refuses a token of another workspace than the one the warehouse syncs, writing nothing', async () => {
    const { workspace, now } = smallWorkspace();
    const emulator = await startEmulator(workspace);
    const db = await tempWarehouse();
    await sync(db, emulator, now);
    const before = await slackRows(db);
    emulator.workspace.team = { ...emulator.workspace.team, id: 'T0OTHER' };
    await expect(sync(db, emulator, now + 3_600_000)).rejects.toThrow(
      /belongs to another workspace than the one this warehouse syncs \(team T0ACME\)/,
    );
    expect(await slackRows(db)).toEqual(before);
  });

  it('refuses a token without users:read, which could match no message to a person', async () => {
    const { workspace, now } = smallWorkspace();
    const grant = workspace.tokens[USER_TOKEN]!;
    grant.scopes = grant.scopes.filter((scope) => scope !== 'users:read');
    const emulator = await startEmulator(workspace);
    const db = await tempWarehouse();
    await expect(sync(db, emulator, now)).rejects.toThrow(/lacks the users:read scope/);
    expect(await messages(db)).toEqual([]);
  });
});
