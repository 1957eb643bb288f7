/**
 * What `syncbalance refresh` and `syncbalance schedule` really run, end to end: the registered
 * sources (Google Calendar first, then Slack, each only once connected) and the weekly email job.
 * The Slack sync runs through the real CLI against the loopback Slack emulator; the report job
 * sends to a real SMTP server on loopback.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredReportJob, registeredSources } from '../../jobs/registry.ts';
import '../../jobs/wiring.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { jobRunsOf } from '../../warehouse/job-log.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { readCurrent } from '../../warehouse/snapshot.ts';
import { runCli } from '../helpers/cli.ts';
import { TEST_SALT, tempDir } from '../helpers/warehouse.ts';
import { buildReportDemo, DEMO_NOW, demoCopy, reportConfig, demoManagers } from '../report/demo.ts';
import { startSmtpServer } from '../report/smtp-server.ts';
import type { DemoWarehouse } from '../server/helpers/demo.ts';
import { startEmulator } from '../slack-api/support.ts';
import { smallWorkspace, USER_TOKEN } from '../slack-api/workspace.ts';

const ROSTER = join(import.meta.dirname, '..', 'fixtures', 'roster', 'valid.csv');

describe('the registered jobs', () => {
  it('refresh runs Google Calendar, then Slack; the scheduler sends the weekly email', () => {
    expect(registeredSources().map((source) => source.name)).toEqual([
      'google_calendar',
      'slack_api',
    ]);
    expect(registeredReportJob()).not.toBeNull();
  });

  it('a source runs only once it is connected: no credential file, no token, no run', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'w.duckdb');
    for (const source of registeredSources())
      expect(source.isConfigured(reportConfig(25), {}, dbPath)).toBe(false);
    const slack = registeredSources().find((source) => source.name === 'slack_api');
    expect(slack?.isConfigured(reportConfig(25), { SLACK_TOKEN: USER_TOKEN }, dbPath)).toBe(true);
  });
});

describe('syncbalance refresh with Slack connected', () => {
  it('syncs Slack, builds and publishes, logs each step, and never prints the token', async () => {
    const { workspace } = smallWorkspace(Date.now() - 3_600_000);
    const emulator = await startEmulator(workspace);
    const dir = tempDir();
    const db = join(dir, 'warehouse.duckdb');
    const config = join(dir, 'syncbalance.config.yaml');
    writeFileSync(config, `slack:\n  apiUrl: ${emulator.url}\n`);
    const env = { SLACK_TOKEN: USER_TOKEN, SYNCBALANCE_SALT: TEST_SALT };
    const cli = (args: string[]) =>
      runCli(['--db', db, '--config', config, ...args], { cwd: dir, env });

    expect((await cli(['import', 'roster', ROSTER])).code).toBe(0);
    const run = await cli(['refresh']);
    expect(run.stderr + run.stdout).not.toContain(USER_TOKEN);
    expect(run.code, run.stderr).toBe(0);

    expect(readCurrent(db)).not.toBeNull();
    const warehouse = await Warehouse.open(db, { readOnly: true });
    try {
      const [slack] = await jobRunsOf(warehouse, 'source:slack_api');
      expect(slack?.status).toBe('ok');
      expect(slack?.counts).toMatchObject({ complete: true });
      expect(Number(slack?.counts['messages_written'])).toBeGreaterThan(0);
      expect(await jobRunsOf(warehouse, 'source:google_calendar')).toEqual([]);
      expect((await jobRunsOf(warehouse, 'publish')).map((entry) => entry.status)).toEqual(['ok']);
      const messages = await warehouse.one(`SELECT count(*)::INTEGER AS n FROM raw.slack_messages`);
      expect(Number(messages?.['n'])).toBeGreaterThan(0);
    } finally {
      warehouse.close();
    }
  });
});

describe('the scheduled weekly email job', () => {
  let demo: DemoWarehouse;
  beforeAll(async () => {
    demo = await buildReportDemo();
  });
  afterAll(() => {
    demo.remove();
  });

  it('sends every due report once; the next tick sends nothing again', async () => {
    const smtp = await startSmtpServer();
    try {
      const { db, path } = await demoCopy(demo);
      const managers = await demoManagers(db);
      db.close();
      const job = registeredReportJob();
      if (job === null) throw new Error('no report job registered');
      // Monday 2026-11-16 has passed 08:00 in every zone by the Tuesday of DEMO_NOW.
      const context = {
        config: reportConfig(smtp.port),
        env: { SYNCBALANCE_SALT: TEST_SALT },
        dbPath: path,
        reporter: silentReporter,
        now: () => DEMO_NOW,
        signal: new AbortController().signal,
      };
      const first = await job.run(context);
      expect(first.counts['sent']).toBe(managers.all.length);
      expect(smtp.messages.length).toBe(first.counts['sent']);
      const second = await job.run(context);
      expect(second.counts['sent'] ?? 0).toBe(0);
      expect(smtp.messages.length).toBe(first.counts['sent']);
    } finally {
      await smtp.close();
    }
  });
});
