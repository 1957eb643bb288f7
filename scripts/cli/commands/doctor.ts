/**
 * `syncbalance doctor`: the checks of warehouse/doctor.ts, on the working warehouse (read-only) or,
 * while a writer holds it, on the published snapshot. Exit code 1 when any check fails.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  loadConnection,
  googleCredentialFile,
} from '../../../ingest/google-calendar/credentials.ts';
import { resolveSlackToken, SLACK_CREDENTIAL } from '../../../ingest/slack-api/sync.ts';
import { registeredSources } from '../../../jobs/registry.ts';
import '../../../jobs/wiring.ts';
import { sessionSecretFileFor, resolveSessionSecret } from '../../../server/auth/secret.ts';
import { SMTP_PASSWORD_CREDENTIAL, smtpPassword } from '../../../server/report/smtp.ts';
import { DEFAULT_CONFIG_FILE } from '../../../warehouse/config.ts';
import { credentialPath } from '../../../warehouse/credentials.ts';
import type { Warehouse } from '../../../warehouse/db.ts';
import {
  runDoctor,
  type CheckStatus,
  type CredentialFile,
  type DoctorReport,
} from '../../../warehouse/doctor.ts';
import { RuntimeFailure } from '../../../warehouse/errors.ts';
import { openCurrentSnapshot } from '../../../warehouse/snapshot.ts';
import type { CliContext, GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';
import { secretsOf } from './publish.ts';
import { contextOf, plural } from './shared.ts';

/** Each secret file beside the warehouse, read by the code that uses it (with no environment). */
function credentialFiles(dbPath: string): CredentialFile[] {
  return [
    {
      id: 'credentials-google',
      label: 'the Google connection',
      file: googleCredentialFile(dbPath),
      rewrite: 'syncbalance connect google',
      read: (file) => void loadConnection(file),
    },
    {
      id: 'credentials-slack',
      label: 'the Slack token',
      file: credentialPath(dbPath, SLACK_CREDENTIAL),
      rewrite: 'syncbalance connect slack',
      read: () => void resolveSlackToken({ dbPath, env: {} }),
    },
    {
      id: 'credentials-smtp',
      label: 'the SMTP password',
      file: credentialPath(dbPath, SMTP_PASSWORD_CREDENTIAL),
      rewrite: `printf '%s' 'the-password' > ${credentialPath(dbPath, SMTP_PASSWORD_CREDENTIAL)} && chmod 600 ${credentialPath(dbPath, SMTP_PASSWORD_CREDENTIAL)} (or set SYNCBALANCE_SMTP_PASSWORD)`,
      read: () => void smtpPassword(undefined, dbPath),
    },
    {
      id: 'credentials-session',
      label: 'the session secret',
      file: sessionSecretFileFor(dbPath),
      rewrite: `rm ${sessionSecretFileFor(dbPath)} (a new one is made at the next syncbalance serve; everyone signs in again)`,
      read: () => void resolveSessionSecret(dbPath, undefined),
    },
  ];
}

interface Opened {
  readonly db: Warehouse | null;
  readonly note: string | null;
  readonly snapshot: boolean;
}

/** The working warehouse read-only; while a writer holds it, the published snapshot. */
async function openForChecks(context: CliContext): Promise<Opened> {
  if (!existsSync(context.dbPath))
    return { db: null, note: `there is no warehouse at ${context.dbPath}`, snapshot: false };
  try {
    return { db: await context.openWarehouse({ readOnly: true }), note: null, snapshot: false };
  } catch {
    const opened = await openCurrentSnapshot(context.dbPath);
    const busy = `the warehouse ${context.dbPath} is in use by a writer (a refresh, an import or a build)`;
    return opened === null
      ? { db: null, note: `${busy} and nothing is published yet`, snapshot: false }
      : { db: opened.db, note: `${busy}; read from the published snapshot`, snapshot: true };
  }
}

function configFileOf(command: Command, io: Io): string | null {
  const given = command.optsWithGlobals<GlobalOptions>().config;
  if (given !== undefined) return resolve(io.cwd, given);
  const fallback = resolve(io.cwd, DEFAULT_CONFIG_FILE);
  return existsSync(fallback) ? fallback : null;
}

const LABEL: Record<CheckStatus, string> = { ok: 'ok', warn: 'WARN', fail: 'FAIL' };

function printReport(context: CliContext, report: DoctorReport): void {
  const width = Math.max(...report.checks.map((check) => check.id.length));
  for (const check of report.checks) {
    context.reporter.result(
      `${LABEL[check.status].padEnd(4)}  ${check.id.padEnd(width)}  ${check.message}`,
    );
    if (check.fix !== null) context.reporter.result(`${' '.repeat(width + 8)}fix: ${check.fix}`);
  }
  const { ok, warn, fail } = report.counts;
  context.reporter.result(`${plural(fail, 'check')} failed, ${plural(warn, 'warning')}, ${ok} ok`);
}

export function registerDoctor(program: Command, io: Io): void {
  program
    .command('doctor')
    .description(
      'check for what would otherwise surprise you (exposed salt or credentials, a stale build, an old roster, default time zones, long shifts, overdue sources), each with a fix; exits 1 when a check fails',
    )
    .option('--json', 'print one JSON object')
    .action(async (options: { json?: boolean }, command: Command) => {
      const context = contextOf(command, io);
      const opened = await openForChecks(context);
      let report: DoctorReport;
      try {
        report = await runDoctor({
          config: context.config,
          configFile: configFileOf(command, io),
          dbPath: context.dbPath,
          db: opened.db,
          dbNote: opened.note,
          readingSnapshot: opened.snapshot,
          saltFromEnvironment: context.env.SYNCBALANCE_SALT !== undefined,
          credentials: credentialFiles(context.dbPath),
          liveSources: registeredSources().map((source) => ({
            name: source.name,
            configured: source.isConfigured(context.config, context.env, context.dbPath),
          })),
          now: context.io.now(),
          secrets: secretsOf(context),
        });
      } finally {
        opened.db?.close();
      }
      if (options.json === true) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else printReport(context, report);
      if (!report.ok)
        throw new RuntimeFailure(
          `${plural(report.counts.fail, 'check')} failed: ${report.checks
            .filter((check) => check.status === 'fail')
            .map((check) => check.id)
            .join(', ')}`,
        );
    });
}
