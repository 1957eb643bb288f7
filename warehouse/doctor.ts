/**
 * `syncbalance doctor`: the problems a user would otherwise find by surprise (a refused import, a
 * dashboard that will not show a team, a chart that quietly stopped a month ago), each checked
 * here with a fix they can run or write into the config. A check is `ok`, `warn` (plausible but
 * worth a look: the numbers may be off) or `fail` (unsafe, or the product refuses or silently
 * shows old data); the CLI exits 1 on any `fail`.
 *
 * Privacy and secrets: messages give counts and file paths only, never a person, a salt, a token or
 * a password. Files are inspected by their mode and by the loaders that use them; their contents
 * never reach a message.
 *
 * Credential files are read by the loaders of their sources (ingest/), which the core may not
 * import, so the CLI passes them in as `CredentialFile`s.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { Cron } from 'croner';
import { z } from 'zod';
import { staleBuildSettings } from './build.ts';
import type { Config } from './config.ts';
import { sqlString, type Warehouse } from './db.ts';
import { isExposed } from './credentials.ts';
import { saltFileFor } from './identity.ts';
import { redactSecrets } from './job-log.ts';

export const CHECK_STATUSES = ['ok', 'warn', 'fail'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const doctorCheckSchema = z.object({
  id: z.string(),
  status: z.enum(CHECK_STATUSES),
  message: z.string(),
  /** A command to run or a config change to make; null when there is nothing to do. */
  fix: z.string().nullable(),
});
export type DoctorCheck = z.infer<typeof doctorCheckSchema>;

export const doctorReportSchema = z.object({
  /** False when any check failed (the CLI's exit code is then 1). */
  ok: z.boolean(),
  warehouse: z.string(),
  checked_at: z.string(),
  counts: z.object({ ok: z.number(), warn: z.number(), fail: z.number() }),
  checks: z.array(doctorCheckSchema),
});
export type DoctorReport = z.infer<typeof doctorReportSchema>;

/** A roster older than this no longer says who is on which team (issue 15). */
export const ROSTER_MAX_AGE_DAYS = 90;
/** A working day longer than this is almost always a typo (`09:00`–`21:00` for 09:00–17:00). */
export const SHIFT_MAX_HOURS = 12;

/** A secret file beside the warehouse, with the loader that reads it the way its source does. */
export interface CredentialFile {
  /** The check's id, e.g. `credentials-google`. */
  readonly id: string;
  /** What to call it ("the Google connection"). */
  readonly label: string;
  readonly file: string;
  /** The command that writes a fresh one (`syncbalance connect google`). */
  readonly rewrite: string;
  /** Throws when the file cannot be read or is damaged; its message must name no secret. */
  read(file: string): void;
}

/** A live source a refresh runs, and whether this installation has it set up. */
export interface LiveSource {
  readonly name: string;
  readonly configured: boolean;
}

export interface DoctorInput {
  readonly config: Config;
  /** The config file's path, to name it in fixes (null: the defaults, no file). */
  readonly configFile: string | null;
  readonly dbPath: string;
  /**
   * The working warehouse, read-only; null when there is none, or when a writer holds it and the
   * published snapshot stands in (`readingSnapshot`).
   */
  readonly db: Warehouse | null;
  /** Why `db` is null or a snapshot, for the checks that need what only the working file has. */
  readonly dbNote: string | null;
  readonly readingSnapshot: boolean;
  readonly saltFromEnvironment: boolean;
  readonly credentials: readonly CredentialFile[];
  readonly liveSources: readonly LiveSource[];
  readonly now: Date;
  /** Secret values known to the environment, removed from any message as a last defence. */
  readonly secrets: readonly string[];
}

const ok = (id: string, message: string): DoctorCheck => ({ id, status: 'ok', message, fix: null });

function notChecked(id: string, input: DoctorInput, what: string): DoctorCheck {
  return {
    id,
    status: 'warn',
    message: `${what} not checked: ${input.dbNote ?? 'no warehouse'}`,
    fix:
      input.db === null && !existsSync(input.dbPath)
        ? `import a roster first: syncbalance --db ${input.dbPath} import roster <roster.csv>`
        : 'run syncbalance doctor again when the running refresh or import has finished',
  };
}

async function tableExists(db: Warehouse, schema: string, table: string): Promise<boolean> {
  const row = await db.one(
    `SELECT (SELECT count(*) FROM duckdb_tables() WHERE schema_name = $1 AND table_name = $2)
          + (SELECT count(*) FROM duckdb_views() WHERE schema_name = $1 AND view_name = $2) AS n`,
    [schema, table],
  );
  return Number(row?.['n'] ?? 0) > 0;
}

function chmodFix(files: readonly string[]): string {
  return `chmod 600 ${files.join(' ')}`;
}

function readProblem(file: string): string | null {
  try {
    accessSync(file, constants.R_OK);
    readFileSync(file);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code})`;
  }
}

async function storedSaltFingerprint(db: Warehouse | null): Promise<boolean> {
  if (db === null || !(await tableExists(db, 'meta', 'settings'))) return false;
  const row = await db.one(
    `SELECT count(*)::INTEGER AS n FROM meta.settings WHERE key = 'salt_fingerprint'`,
  );
  return Number(row?.['n'] ?? 0) > 0;
}

async function checkSalt(input: DoctorInput): Promise<DoctorCheck> {
  const id = 'salt-file';
  const file = saltFileFor(input.dbPath);
  if (existsSync(file)) {
    const problem = readProblem(file);
    if (problem !== null)
      return {
        id,
        status: 'fail',
        message: `the salt file ${file} ${problem}: imports and syncs will fail`,
        fix: `chown $(id -u) ${file} && chmod 600 ${file} (or restore it from your backup)`,
      };
    if (isExposed(file))
      return {
        id,
        status: 'fail',
        message: `the salt file ${file} is readable by other users: with it, anyone holding a list of email addresses can tell who is who in the warehouse`,
        fix: chmodFix([file]),
      };
    if (readFileSync(file, 'utf8').trim().length < 16)
      return {
        id,
        status: 'fail',
        message: `the salt file ${file} is damaged (fewer than 16 characters)`,
        fix: `restore ${file} from your backup; without the original salt, start a new warehouse`,
      };
    return ok(
      id,
      `the salt file ${file} is readable by you only${input.saltFromEnvironment ? ' (SYNCBALANCE_SALT is set and takes precedence)' : ''}`,
    );
  }
  if (input.saltFromEnvironment) return ok(id, 'the salt comes from SYNCBALANCE_SALT');
  if (await storedSaltFingerprint(input.db))
    return {
      id,
      status: 'fail',
      message: `the warehouse was imported with a salt, but ${file} is missing and SYNCBALANCE_SALT is not set: the next import would create a new salt and be refused`,
      fix: `restore ${file} from your backup (chmod 600), or set SYNCBALANCE_SALT to the original salt`,
    };
  return ok(id, `no salt yet: the first import creates ${file}, readable by you only`);
}

function checkCredential(credential: CredentialFile, secrets: readonly string[]): DoctorCheck {
  const { id, label, file } = credential;
  if (!existsSync(file)) return ok(id, `${label} is not set up (no ${file})`);
  const problem = readProblem(file);
  if (problem !== null)
    return {
      id,
      status: 'fail',
      message: `${label} in ${file} ${problem}, so what needs it cannot run`,
      fix: `chown $(id -u) ${file} && chmod 600 ${file}, or write a new one: ${credential.rewrite}`,
    };
  if (isExposed(file))
    return {
      id,
      status: 'fail',
      message: `${label} in ${file} is readable by other users, so syncbalance refuses to use it`,
      fix: chmodFix([file]),
    };
  try {
    credential.read(file);
  } catch (error) {
    const reason = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
    return {
      id,
      status: 'fail',
      message: `${label} is unusable (${reason})`,
      fix: credential.rewrite,
    };
  }
  return ok(id, `${label} in ${file} is readable by you only`);
}

async function checkBuildSettings(input: DoctorInput): Promise<DoctorCheck> {
  const id = 'build-settings';
  if (input.db === null) return notChecked(id, input, 'the build settings');
  const stale = await staleBuildSettings(input.db, input.config);
  if (stale.length === 0) return ok(id, 'the last build used the settings configured now');
  const built = !(stale.length === 1 && stale[0] === 'the models have not been built yet');
  const config = input.configFile ?? 'the config file';
  return {
    id,
    status: 'fail',
    message: built
      ? `the config differs from the settings of the last build, so the dashboard, exports and reports refuse to show it: ${stale.join('; ')}`
      : 'the models have not been built yet, so there is nothing to show',
    fix: built
      ? `syncbalance build (to apply the new settings), or set them back in ${config}`
      : 'syncbalance build',
  };
}

const rosterAgeSchema = z.object({
  as_of: z.string().nullable(),
  age_days: z.coerce.number().nullable(),
});

async function checkRosterAge(input: DoctorInput): Promise<DoctorCheck> {
  const id = 'roster-age';
  if (input.db === null && !existsSync(input.dbPath))
    return {
      id,
      status: 'fail',
      message: `there is no warehouse at ${input.dbPath}, so no roster either`,
      fix: `syncbalance --db ${input.dbPath} import roster <roster.csv> (or syncbalance demo to try it out)`,
    };
  if (input.db === null || input.readingSnapshot) return notChecked(id, input, 'the roster’s age');
  const [row] = await input.db.parse(
    rosterAgeSchema,
    // The roster's date is a local date: "today" is the organisation's, not UTC's.
    `SELECT strftime(max(as_of), '%Y-%m-%d') AS as_of,
            (timezone($timezone, $now::TIMESTAMPTZ)::DATE - max(as_of))::INTEGER AS age_days
     FROM raw.roster_snapshots`,
    { timezone: input.config.timezone, now: input.now.toISOString() },
  );
  const importFix = `syncbalance import roster <current-roster.csv> (takes today's date; --as-of YYYY-MM-DD for another)`;
  if (row?.as_of == null || row.age_days === null)
    return {
      id,
      status: 'fail',
      message: 'no roster has been imported: no one belongs to a team',
      fix: importFix,
    };
  if (row.age_days > ROSTER_MAX_AGE_DAYS)
    return {
      id,
      status: 'fail',
      message: `the latest roster is from ${row.as_of}, ${row.age_days} days ago (more than ${ROSTER_MAX_AGE_DAYS}): people who joined, left or moved since are counted in the wrong team or not at all`,
      fix: importFix,
    };
  return ok(id, `the latest roster is from ${row.as_of} (${row.age_days} days ago)`);
}

const zoneSchema = z.object({ people: z.coerce.number(), fallback: z.coerce.number() });

async function checkZoneFallbacks(input: DoctorInput): Promise<DoctorCheck> {
  const id = 'zone-fallback';
  if (input.db === null || input.readingSnapshot)
    return notChecked(id, input, 'people’s time zones');
  if (!(await tableExists(input.db, 'intermediate', 'int_person_zone_fallbacks')))
    return {
      id,
      status: 'warn',
      message: 'people’s time zones not checked: the models have not been built yet',
      fix: 'syncbalance build',
    };
  // People of the latest roster whose zone neither the roster, their calendar nor their Slack
  // profile gives, so int_person_weeks puts them in the organisation's default zone.
  const [row] = await input.db.parse(
    zoneSchema,
    `WITH latest AS (
       SELECT person_id, timezone FROM raw.roster_people
       WHERE as_of = (SELECT max(as_of) FROM raw.roster_snapshots)
     )
     SELECT count(*) AS people,
            count(*) FILTER (
              WHERE latest.timezone IS NULL AND fallbacks.calendar_timezone IS NULL
                AND fallbacks.slack_timezone IS NULL
            ) AS fallback
     FROM latest
     LEFT JOIN intermediate.int_person_zone_fallbacks AS fallbacks USING (person_id)`,
  );
  const fallback = row?.fallback ?? 0;
  if (fallback === 0)
    return ok(id, 'every person’s time zone comes from the roster, their calendar or Slack');
  const config = input.configFile ?? 'syncbalance.config.yaml';
  return {
    id,
    status: 'warn',
    message: `${fallback} of ${row?.people ?? 0} people ${fallback === 1 ? 'has' : 'have'} a time zone only from the organisation default (timezone: ${input.config.timezone}): their working hours, after-hours messages and focus time are placed in that zone`,
    fix: `add a timezone column (IANA, e.g. Europe/Berlin) to the roster for them and import it again (syncbalance import roster <roster.csv>), or set timezone: in ${config} if ${input.config.timezone} is right for everyone`,
  };
}

const shiftSchema = z.object({ long: z.coerce.number() });

/** Hours from `start` to `end` (HH:MM), a shift whose end is not after its start ending next day. */
function shiftHours(start: string, end: string): number {
  const minutes = (text: string): number =>
    Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
  const length = minutes(end) - minutes(start);
  return (length <= 0 ? length + 24 * 60 : length) / 60;
}

async function checkShiftLength(input: DoctorInput): Promise<DoctorCheck> {
  const id = 'shift-length';
  const { start, end } = input.config.workingHours;
  const defaultHours = shiftHours(start, end);
  const config = input.configFile ?? 'syncbalance.config.yaml';
  const problems: string[] = [];
  const fixes: string[] = [];
  if (defaultHours > SHIFT_MAX_HOURS) {
    problems.push(
      `the default working day (workingHours ${start}–${end}) is ${defaultHours} hours`,
    );
    fixes.push(`correct workingHours.start and workingHours.end in ${config}`);
  }
  if (input.db !== null && !input.readingSnapshot) {
    // Same arithmetic as int_shifts: an end not after the start is the next day's.
    const [row] = await input.db.parse(
      shiftSchema,
      `SELECT count(*) AS long FROM raw.roster_people
       WHERE as_of = (SELECT max(as_of) FROM raw.roster_snapshots)
         AND work_start IS NOT NULL
         AND (CASE WHEN work_end <= work_start THEN 86400 ELSE 0 END
              + epoch(work_end) - epoch(work_start)) > ${SHIFT_MAX_HOURS} * 3600`,
    );
    const long = row?.long ?? 0;
    if (long > 0) {
      problems.push(
        `${long} ${long === 1 ? 'person has' : 'people have'} a roster working day longer than ${SHIFT_MAX_HOURS} hours (work_start to work_end; an end before the start is the next day)`,
      );
      fixes.push(
        'correct their work_start and work_end in the roster (24-hour HH:MM, e.g. 09:00 and 17:00) and import it again: syncbalance import roster <roster.csv>',
      );
    }
  } else if (problems.length === 0) {
    return notChecked(id, input, 'the roster’s working hours');
  }
  if (problems.length === 0)
    return ok(id, `no working day is longer than ${SHIFT_MAX_HOURS} hours`);
  return {
    id,
    status: 'warn',
    message: `${problems.join('; ')}: focus time and after-hours figures rest on those hours`,
    fix: fixes.join('; '),
  };
}

const lastSyncSchema = z.object({ source: z.string(), last_ok_at: z.string().nullable() });

/**
 * The refresh runs every configured live source; one is overdue when its last successful sync
 * precedes the refresh before the latest one. One missed run is tolerated: the latest may still be
 * running or have failed once, and `status` shows that; two in a row are what users miss for weeks.
 */
async function checkSourceSchedule(input: DoctorInput): Promise<DoctorCheck> {
  const id = 'source-schedule';
  const configured = input.liveSources.filter((source) => source.configured);
  const entry = input.config.schedule.refresh;
  if (configured.length === 0)
    return ok(id, 'no live source (Google Calendar, Slack API) is set up');
  if (entry === undefined)
    return ok(
      id,
      `no refresh schedule: ${configured.map((source) => source.name).join(', ')} sync only when you run syncbalance refresh`,
    );
  if (input.db === null) return notChecked(id, input, 'the sources’ last syncs');
  const cron = new Cron(entry.cron, { timezone: entry.timezone, paused: true });
  let previous: Date[];
  try {
    // Most recent first.
    previous = cron.previousRuns(2, input.now);
  } finally {
    cron.stop();
  }
  const due = previous[1] ?? previous[0];
  if (due === undefined) return ok(id, `the refresh schedule (${entry.cron}) has not come due yet`);
  const names = configured.map((source) => source.name);
  const hasJobRuns = await tableExists(input.db, 'meta', 'job_runs');
  // A manual `syncbalance sync …` logs an import run; a refresh logs both.
  const rows = await input.db.parse(
    lastSyncSchema,
    `WITH names(source) AS (SELECT unnest([${names.map(sqlString).join(', ')}]::VARCHAR[])),
     runs AS (
       SELECT source, finished_at FROM meta.import_runs
       ${hasJobRuns ? `UNION ALL SELECT substr(job, 8), finished_at FROM meta.job_runs WHERE job LIKE 'source:%' AND status = 'ok'` : ''}
     )
     SELECT names.source, strftime(max(runs.finished_at) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS last_ok_at
     FROM names LEFT JOIN runs USING (source)
     GROUP BY names.source ORDER BY names.source`,
  );
  const overdue = rows.filter(
    (row) => row.last_ok_at === null || Date.parse(row.last_ok_at) < due.getTime(),
  );
  const schedule = `schedule.refresh ${entry.cron} (${entry.timezone})`;
  if (overdue.length === 0)
    return ok(
      id,
      `every live source synced within its schedule (${schedule}): ${rows.map((row) => `${row.source} ${row.last_ok_at ?? 'never'}`).join(', ')}`,
    );
  return {
    id,
    status: 'fail',
    message: `overdue by ${schedule}, which ran at ${due.toISOString()} and since: ${overdue.map((row) => `${row.source} last synced ${row.last_ok_at ?? 'never'}`).join(', ')}; the dashboard shows their data as of then`,
    fix: 'syncbalance refresh (its output names the failing source), then check that syncbalance schedule (or serve --schedule) is running: syncbalance status',
  };
}

async function safely(
  id: string,
  input: DoctorInput,
  check: () => Promise<DoctorCheck>,
): Promise<DoctorCheck> {
  try {
    return await check();
  } catch (error) {
    // A damaged or very old warehouse must not hide the other checks' findings.
    return {
      id,
      status: 'fail',
      message: `could not be checked: ${redactSecrets(error instanceof Error ? error.message : String(error), input.secrets)}`,
      fix: 'run syncbalance build, then syncbalance doctor --verbose',
    };
  }
}

/** Every check, in a fixed order (monitoring may key on the ids). */
export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [
    await safely('salt-file', input, () => checkSalt(input)),
    ...input.credentials.map((credential) => checkCredential(credential, input.secrets)),
    await safely('build-settings', input, () => checkBuildSettings(input)),
    await safely('roster-age', input, () => checkRosterAge(input)),
    await safely('zone-fallback', input, () => checkZoneFallbacks(input)),
    await safely('shift-length', input, () => checkShiftLength(input)),
    await safely('source-schedule', input, () => checkSourceSchedule(input)),
  ].map((check) => ({
    ...check,
    message: redactSecrets(check.message, input.secrets),
    fix: check.fix === null ? null : redactSecrets(check.fix, input.secrets),
  }));
  const count = (status: CheckStatus): number =>
    checks.filter((check) => check.status === status).length;
  return {
    ok: count('fail') === 0,
    warehouse: input.dbPath,
    checked_at: input.now.toISOString(),
    counts: { ok: count('ok'), warn: count('warn'), fail: count('fail') },
    checks,
  };
}
