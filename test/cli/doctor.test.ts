/**
 * `syncbalance doctor` as a user runs it: every check failing (or warning) on a real warehouse
 * arranged to trip it and passing on a healthy one, exit code 1 only on a failure, the JSON shape
 * checked with its zod schema, and no secret (salt, token, password) in any output.
 */
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../warehouse/db.ts';
import { doctorReportSchema, type DoctorCheck, type DoctorReport } from '../../warehouse/doctor.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';

const HEALTHY_ROSTER = [
  'email,team,timezone,work_days,work_start,work_end',
  'ada@example.com,Eng,Europe/Berlin,Mon-Fri,09:00,17:00',
  'bob@example.com,Eng,America/New_York,Mon-Thu,08:00,18:00',
  'cy@example.com,Eng,Asia/Tokyo,,,',
  '',
].join('\n');

/** Bob has no zone anywhere (no calendar, no Slack) and a 13-hour day. */
const SURPRISING_ROSTER = [
  'email,team,timezone,work_days,work_start,work_end',
  'ada@example.com,Eng,Europe/Berlin,Mon-Fri,09:00,17:00',
  'bob@example.com,Eng,,Mon-Fri,08:00,21:00',
  'cy@example.com,Eng,Asia/Tokyo,,,',
  '',
].join('\n');

const SLACK_TOKEN = 'xoxb-doctor-canary-0123456789';
const SMTP_PASSWORD = 'smtp-canary-password-42';

let base: string;

/** A copy of the healthy warehouse (roster imported today, built) in a fresh folder. */
function healthy(): { dir: string; db: string } {
  const dir = tempDir();
  cpSync(base, dir, { recursive: true });
  chmodSync(join(dir, 'w.duckdb.salt'), 0o600);
  return { dir, db: join(dir, 'w.duckdb') };
}

async function doctor(
  db: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<{ result: CliResult; report: DoctorReport }> {
  const result = await runCli(['--db', db, ...args, 'doctor', '--json'], { env });
  return { result, report: doctorReportSchema.parse(JSON.parse(result.stdout)) };
}

function check(report: DoctorReport, id: string): DoctorCheck {
  const found = report.checks.find((item) => item.id === id);
  if (found === undefined) throw new Error(`no check ${id}`);
  return found;
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'syncbalance-doctor-'));
  const roster = join(base, 'roster.csv');
  writeFileSync(roster, HEALTHY_ROSTER);
  const db = join(base, 'w.duckdb');
  const imported = await runCli(['--db', db, 'import', 'roster', roster]);
  expect(imported.code, imported.stderr).toBe(0);
  const built = await runCli(['--db', db, 'build']);
  expect(built.code, built.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('syncbalance doctor', () => {
  it('passes every check on a healthy warehouse, exit 0, in text and JSON, without the salt', async () => {
    const { db } = healthy();
    const { result, report } = await doctor(db);
    expect(result.code, result.stderr).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.map((item) => [item.id, item.status])).toEqual([
      ['salt-file', 'ok'],
      ['credentials-google', 'ok'],
      ['credentials-slack', 'ok'],
      ['credentials-smtp', 'ok'],
      ['credentials-session', 'ok'],
      ['build-settings', 'ok'],
      ['roster-age', 'ok'],
      ['zone-fallback', 'ok'],
      ['shift-length', 'ok'],
      ['source-schedule', 'ok'],
    ]);
    expect(report.counts).toEqual({ ok: 10, warn: 0, fail: 0 });
    expect(report.checks.every((item) => item.fix === null)).toBe(true);
    const text = await runCli(['--db', db, 'doctor']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ok {4}salt-file +the salt file .*readable by you only$/m);
    expect(text.stdout).toMatch(/^0 checks failed, 0 warnings, 10 ok$/m);
    const salt = readFileSync(`${db}.salt`, 'utf8').trim();
    for (const output of [result.stdout, result.stderr, text.stdout, text.stderr])
      expect(output).not.toContain(salt);
  }, 180_000);

  it('fails on a salt file readable by others, with the chmod that fixes it, and exits 1', async () => {
    const { db } = healthy();
    chmodSync(`${db}.salt`, 0o644);
    const { result, report } = await doctor(db);
    expect(result.code).toBe(1);
    expect(report.ok).toBe(false);
    expect(check(report, 'salt-file')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('readable by other users') as string,
      fix: `chmod 600 ${db}.salt`,
    });
    expect(result.stderr).toBe('error: 1 check failed: salt-file\n');
    const text = await runCli(['--db', db, 'doctor']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^FAIL {2}salt-file /m);
    expect(text.stdout).toContain(`fix: chmod 600 ${db}.salt`);
    expect(text.stdout + text.stderr).not.toContain(readFileSync(`${db}.salt`, 'utf8').trim());
  }, 180_000);

  it('fails when the salt file is gone although the warehouse was imported with one', async () => {
    const { db } = healthy();
    rmSync(`${db}.salt`);
    const { result, report } = await doctor(db);
    expect(result.code).toBe(1);
    expect(check(report, 'salt-file')).toMatchObject({ status: 'fail' });
    expect(check(report, 'salt-file').fix).toContain('SYNCBALANCE_SALT');
    const fromEnvironment = await doctor(db, [], {
      SYNCBALANCE_SALT: 'env-salt-canary-0123456789',
    });
    expect(check(fromEnvironment.report, 'salt-file')).toMatchObject({ status: 'ok' });
    expect(fromEnvironment.result.stdout + fromEnvironment.result.stderr).not.toContain(
      'env-salt-canary',
    );
  }, 180_000);

  it('fails when the config differs from the last build, naming the setting and the fix', async () => {
    const { dir, db } = healthy();
    const config = join(dir, 'config.yaml');
    writeFileSync(config, 'minGroupSize: 7\n');
    const { result, report } = await doctor(db, ['--config', config]);
    expect(result.code).toBe(1);
    const stale = check(report, 'build-settings');
    expect(stale.status).toBe('fail');
    expect(stale.message).toContain('minGroupSize: built with 5, configured 7');
    expect(stale.fix).toBe(
      `syncbalance build (to apply the new settings), or set them back in ${config}`,
    );
  }, 180_000);

  it('fails on a roster older than 90 days and on no warehouse at all', async () => {
    const dir = tempDir();
    const db = join(dir, 'w.duckdb');
    const roster = join(dir, 'roster.csv');
    writeFileSync(roster, HEALTHY_ROSTER);
    const old = daysAgo(120);
    expect((await runCli(['--db', db, 'import', 'roster', roster, '--as-of', old])).code).toBe(0);
    const { result, report } = await doctor(db);
    expect(result.code).toBe(1);
    const age = check(report, 'roster-age');
    expect(age.status).toBe('fail');
    expect(age.message).toMatch(
      new RegExp(`^the latest roster is from ${old}, 1(19|20|21) days ago`),
    );
    expect(age.fix).toContain('syncbalance import roster');
    // Never built either: the build check says so.
    expect(check(report, 'build-settings')).toMatchObject({
      status: 'fail',
      fix: 'syncbalance build',
    });

    const nothing = await doctor(join(dir, 'none.duckdb'));
    expect(nothing.result.code).toBe(1);
    expect(check(nothing.report, 'roster-age')).toMatchObject({ status: 'fail' });
    expect(check(nothing.report, 'build-settings').status).toBe('warn');
  }, 180_000);

  it('warns on a person whose zone is only the default and on a 13-hour day, and still exits 0', async () => {
    const { dir, db } = healthy();
    const roster = join(dir, 'surprising.csv');
    writeFileSync(roster, SURPRISING_ROSTER);
    const imported = await runCli(['--db', db, 'import', 'roster', roster]);
    expect(imported.code, imported.stderr).toBe(0);
    const { result, report } = await doctor(db);
    expect(result.code, result.stderr).toBe(0);
    expect(report.ok).toBe(true);
    expect(check(report, 'zone-fallback')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(
        /^1 of 3 people has a time zone only from the organisation default \(timezone: UTC\)/,
      ) as string,
      fix: expect.stringContaining('add a timezone column') as string,
    });
    expect(check(report, 'shift-length')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(
        /^1 person has a roster working day longer than 12 hours/,
      ) as string,
      fix: expect.stringContaining('work_start and work_end') as string,
    });
    expect(report.counts).toEqual({ ok: 8, warn: 2, fail: 0 });
    // Counts only: no address from the roster.
    expect(result.stdout).not.toContain('@example.com');
  }, 180_000);

  it('warns on a default working day longer than 12 hours', async () => {
    const { dir, db } = healthy();
    const config = join(dir, 'config.yaml');
    writeFileSync(config, "workingHours: { start: '07:00', end: '20:00' }\n");
    const { report } = await doctor(db, ['--config', config]);
    expect(check(report, 'shift-length')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining(
        'the default working day (workingHours 07:00–20:00) is 13 hours',
      ) as string,
    });
  }, 180_000);

  it('fails on a token file others can read, one that is damaged and one that cannot be read, never printing the token', async () => {
    const { db, dir } = healthy();
    const slack = join(dir, 'w.slack-token.json');
    writeFileSync(slack, JSON.stringify({ token: SLACK_TOKEN }), { mode: 0o644 });
    chmodSync(slack, 0o644);
    const smtp = join(dir, 'w.smtp-password');
    writeFileSync(smtp, SMTP_PASSWORD, { mode: 0o600 });
    chmodSync(smtp, 0o600);
    const exposed = await doctor(db);
    expect(exposed.result.code).toBe(1);
    expect(check(exposed.report, 'credentials-slack')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('is readable by other users') as string,
      fix: `chmod 600 ${slack}`,
    });
    expect(check(exposed.report, 'credentials-smtp').status).toBe('ok');

    writeFileSync(slack, `not json ${SLACK_TOKEN}`);
    chmodSync(slack, 0o600);
    const damaged = await doctor(db);
    expect(check(damaged.report, 'credentials-slack')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('is not a Slack credential file') as string,
      fix: 'syncbalance connect slack',
    });

    // A directory where the file belongs cannot be read by anyone, root included.
    const google = join(dir, 'w.google.json');
    mkdirSync(google);
    const unreadable = await doctor(db);
    expect(check(unreadable.report, 'credentials-google')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('is a directory, not a file') as string,
      fix: expect.stringContaining('syncbalance connect google') as string,
    });
    rmSync(google, { recursive: true });
    if (process.getuid?.() !== 0) {
      // Permission bits stop everyone but root.
      writeFileSync(google, '{}', { mode: 0o600 });
      chmodSync(google, 0o000);
      const denied = await doctor(db);
      expect(check(denied.report, 'credentials-google').message).toContain(
        'cannot be read (EACCES)',
      );
      chmodSync(google, 0o600);
      rmSync(google);
    }

    writeFileSync(slack, JSON.stringify({ token: SLACK_TOKEN }));
    const fixed = await doctor(db, [], { SLACK_TOKEN, SYNCBALANCE_SMTP_PASSWORD: SMTP_PASSWORD });
    expect(check(fixed.report, 'credentials-slack').status).toBe('ok');
    expect(fixed.result.code).toBe(0);
    for (const run of [exposed, damaged, unreadable, fixed]) {
      const output = run.result.stdout + run.result.stderr;
      expect(output).not.toContain(SLACK_TOKEN);
      expect(output).not.toContain(SMTP_PASSWORD);
    }
    const text = await runCli(['--db', db, 'doctor'], { env: { SLACK_TOKEN } });
    expect(text.stdout + text.stderr).not.toContain(SLACK_TOKEN);
  }, 180_000);

  it('reads the published snapshot while a writer holds the warehouse, and says what it could not check', async () => {
    const { db } = healthy();
    const holder = await Warehouse.open(db);
    try {
      const { result, report } = await doctor(db);
      expect(result.code, result.stderr).toBe(0);
      expect(check(report, 'build-settings').status).toBe('ok');
      const roster = check(report, 'roster-age');
      expect(roster.status).toBe('warn');
      expect(roster.message).toContain('is in use by a writer');
      expect(roster.fix).toBe(
        'run syncbalance doctor again when the running refresh or import has finished',
      );
    } finally {
      holder.close();
    }
  }, 180_000);

  it('fails when a live source has not synced for longer than its refresh schedule', async () => {
    const { dir, db } = healthy();
    const slack = join(dir, 'w.slack-token.json');
    writeFileSync(slack, JSON.stringify({ token: SLACK_TOKEN }), { mode: 0o600 });
    chmodSync(slack, 0o600);
    const config = join(dir, 'config.yaml');
    writeFileSync(config, "schedule:\n  refresh: { cron: '0 * * * *', timezone: Europe/Berlin }\n");

    const unscheduled = await doctor(db);
    expect(check(unscheduled.report, 'source-schedule')).toMatchObject({
      status: 'ok',
      message: 'no refresh schedule: slack_api sync only when you run syncbalance refresh',
    });

    const never = await doctor(db, ['--config', config]);
    expect(never.result.code).toBe(1);
    const overdue = check(never.report, 'source-schedule');
    expect(overdue.status).toBe('fail');
    expect(overdue.message).toContain('slack_api last synced never');
    expect(overdue.fix).toContain('syncbalance refresh');

    const writeRun = async (finishedAt: string): Promise<void> => {
      const warehouse = await Warehouse.open(db);
      try {
        await warehouse.run(
          `INSERT INTO meta.import_runs
           SELECT nextval('meta.import_run_ids'), 'slack_api', $1::TIMESTAMPTZ, $1::TIMESTAMPTZ, '{}'`,
          [finishedAt],
        );
      } finally {
        warehouse.close();
      }
    };
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
    await writeRun(threeDaysAgo.toISOString());
    const stale = await doctor(db, ['--config', config]);
    expect(check(stale.report, 'source-schedule').message).toContain(
      `slack_api last synced ${threeDaysAgo.toISOString().slice(0, 19)}Z`,
    );
    expect(stale.result.code).toBe(1);

    await writeRun(new Date().toISOString());
    const fresh = await doctor(db, ['--config', config]);
    expect(check(fresh.report, 'source-schedule').status).toBe('ok');
    expect(fresh.result.code, fresh.result.stderr).toBe(0);
    for (const run of [never, stale, fresh])
      expect(run.result.stdout + run.result.stderr).not.toContain(SLACK_TOKEN);
  }, 180_000);
});
