/**
 * `syncbalance report` as a user runs it, in a child process: preview writes a folder, send works
 * against a real SMTP server, a sender killed between two messages loses and repeats nothing on
 * the rerun, and the SMTP password is used but never printed or stored.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { credentialPath } from '../../warehouse/credentials.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';
import { tempDir, TEST_SALT } from '../helpers/warehouse.ts';
import type { DemoWarehouse } from '../server/helpers/demo.ts';
import {
  buildReportDemo,
  demoCopy,
  demoManagers,
  DEMO_LAST_WEEK,
  type DemoManagers,
} from './demo.ts';
import { SmtpRefusal, startSmtpServer, type TestSmtpServer } from './smtp-server.ts';

let demo: DemoWarehouse;
let smtp: TestSmtpServer;
let dbPath: string;
let managers: DemoManagers;

beforeAll(async () => {
  demo = await buildReportDemo();
});
afterAll(() => {
  demo.remove();
});
beforeEach(async () => {
  smtp = await startSmtpServer();
  const copy = await demoCopy(demo);
  dbPath = copy.path;
  managers = await demoManagers(copy.db);
  copy.db.close();
});
afterEach(async () => {
  await smtp.close();
});

function writeConfig(smtpSettings: Record<string, unknown> = {}): string {
  const file = join(tempDir(), 'syncbalance.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      report: {
        dashboardUrl: 'https://sync.example.test',
        smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', ...smtpSettings },
      },
    }),
  );
  return file;
}

const ENV = { SYNCBALANCE_SALT: TEST_SALT };

function countTo(address: string): number {
  return smtp.messages.filter((message) => message.to.includes(address)).length;
}

describe('syncbalance report preview', () => {
  it('writes the HTML, the text part and the chart PNGs of one manager’s report', async () => {
    const out = join(tempDir(), 'preview');
    const result = await runCli(
      [
        '--db',
        dbPath,
        'report',
        'preview',
        '--manager',
        managers.meetingHeavy,
        '--week',
        '2026-11-12',
        '--out',
        out,
      ],
      { env: ENV },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual([
      'focus-time-product-management.png',
      'focus-time-product-management.svg',
      'meeting-load-product-management.png',
      'meeting-load-product-management.svg',
      'message.html',
      'report.html',
      'report.txt',
      'subject.txt',
    ]);
    expect(readFileSync(join(out, 'message.html'), 'utf8')).toContain(
      'src="cid:meeting-load-product-management@syncbalance"',
    );
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(
      'src="meeting-load-product-management.png"',
    );
    expect(readFileSync(join(out, 'report.txt'), 'utf8')).toContain(`Week of 9 November 2026`);
    expect(readFileSync(join(out, 'subject.txt'), 'utf8')).toContain('Product/Management');
  });

  it('refuses an address with no teams, with exit code 2', async () => {
    const result = await runCli(
      ['--db', dbPath, 'report', 'preview', '--manager', 'nobody@example.test', '--out', tempDir()],
      { env: ENV },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no teams to report on');
  });
});

describe('syncbalance report send', () => {
  it('refuses a week that has not ended, with exit code 2, and sends nothing', async () => {
    const config = writeConfig();
    const result = await runCli(
      ['--db', dbPath, '--config', config, 'report', 'send', '--week', '2099-01-07'],
      { env: ENV },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the week of 2099-01-05 has not ended yet');
    expect(smtp.messages).toHaveLength(0);
  });

  it('a sender killed between two messages, then rerun, sends each message exactly once', async () => {
    const config = writeConfig();
    const some = [managers.meetingHeavy, managers.twoTeams, managers.tooSmall];
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'scripts', 'syncbalance.js'),
        '--db',
        dbPath,
        '--config',
        config,
        'report',
        'send',
        '--manager',
        ...some,
      ],
      { cwd: REPO_ROOT, env: { ...process.env, ...ENV, CI: 'true' }, stdio: 'ignore' },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => {
        resolve(signal);
      }),
    );
    // The first message has been accepted and recorded when the second one starts: kill then.
    smtp.hooks = {
      onMailFrom: async (count) => {
        if (count !== 2) return;
        child.kill('SIGKILL');
        await exited;
        throw new SmtpRefusal(421, 'shutting down');
      },
    };
    expect(await exited).toBe('SIGKILL');
    expect(smtp.messages).toHaveLength(1);
    expect(countTo(managers.meetingHeavy)).toBe(1);
    smtp.hooks = {};

    const rerun = await runCli(
      ['--db', dbPath, '--config', config, 'report', 'send', '--manager', ...some],
      { env: ENV },
    );
    expect(rerun.stderr).not.toContain('error');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('1 already-sent, 2 sent');
    for (const manager of some) expect(countTo(manager)).toBe(1);

    const again = await runCli(
      ['--db', dbPath, '--config', config, 'report', 'send', '--manager', ...some],
      { env: ENV },
    );
    expect(again.stdout).toContain('3 already-sent');
    expect(smtp.messages).toHaveLength(3);

    const status = await runCli(['--db', dbPath, 'report', 'status'], { env: ENV });
    expect(status.stdout).toContain(`${DEMO_LAST_WEEK}  3 sent, 0 to retry, 0 failed, 0 in flight`);
  });

  it('logs in with the password from the environment or an owner-only file, and never prints or stores it', async () => {
    const password = 'correct-horse-battery-staple-7731';
    smtp.hooks = { auth: { user: 'reports', pass: password } };
    const config = writeConfig({ user: 'reports' });
    const args = [
      '--db',
      dbPath,
      '--config',
      config,
      'report',
      'send',
      '--manager',
      managers.meetingHeavy,
    ];

    // Another manager: a refused login is retried only after the backoff.
    const wrong = await runCli([...args.slice(0, -1), managers.twoTeams], {
      env: { ...ENV, SYNCBALANCE_SMTP_PASSWORD: 'wrong-password-123' },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('EAUTH');
    expect(`${wrong.stdout}${wrong.stderr}`).not.toContain('wrong-password-123');

    const missing = await runCli(args, { env: ENV });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('SYNCBALANCE_SMTP_PASSWORD');

    const file = credentialPath(dbPath, 'smtp-password');
    writeFileSync(file, `${password}\n`);
    chmodSync(file, 0o644);
    const exposed = await runCli(args, { env: ENV });
    expect(exposed.code).toBe(2);
    expect(exposed.stderr).toContain('readable by other users');
    expect(exposed.stderr).not.toContain(password);

    chmodSync(file, 0o600);
    const fromFile = await runCli(args, { env: ENV });
    expect(fromFile.stderr).not.toContain('error');
    expect(fromFile.code).toBe(0);
    expect(countTo(managers.meetingHeavy)).toBe(1);
    expect(smtp.offeredPasswords).toContain(password);
    expect(`${fromFile.stdout}${fromFile.stderr}`).not.toContain(password);

    const db = await Warehouse.open(dbPath, { readOnly: true });
    const stored = JSON.stringify(await db.all('SELECT * FROM meta.report_deliveries'));
    db.close();
    expect(stored).not.toContain(password);
    expect(stored).not.toContain('wrong-password-123');
    expect(existsSync(dbPath)).toBe(true);
    expect(readFileSync(dbPath).includes(password)).toBe(false);
  });

  it('a second sender in another process cannot open the warehouse while one holds it, and sends nothing', async () => {
    const config = writeConfig();
    const holder = await Warehouse.open(dbPath);
    try {
      const result = await runCli(['--db', dbPath, '--config', config, 'report', 'send'], {
        env: ENV,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('in use by another process');
    } finally {
      holder.close();
    }
    expect(smtp.messages).toHaveLength(0);
  });

  it('a dry run renders every report and sends and records nothing', async () => {
    const config = writeConfig();
    const result = await runCli(
      ['--db', dbPath, '--config', config, 'report', 'send', '--dry-run'],
      { env: ENV },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${managers.all.length} would-send`);
    expect(smtp.messages).toHaveLength(0);
    for (const manager of managers.all) expect(result.stderr).not.toContain(manager);
  });
});
