/**
 * The one configuration file (YAML or JSON), parsed once at start-up into a typed `Config`.
 * Every default lives in this file; nothing else in the code base invents one.
 * Secrets never come from here: see `secrets.ts`.
 */
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { totalmem } from 'node:os';
import { Cron } from 'croner';
import { isPair, isScalar, parseDocument, visit, type Pair } from 'yaml';
import { z } from 'zod';
import { InputError, type Problem } from './errors.ts';
import { readTextFile } from './files.ts';
import { teamPathSchema } from './team-path.ts';
import { isClockTime, isTimeZone, parseWorkDays, type IsoWeekday } from './schedule.ts';

export const DEFAULT_CONFIG_FILE = 'syncbalance.config.yaml';

/** Larger than any organisation, and small enough for the SQL INTEGER it becomes. */
const MAX_GROUP_SIZE = 1_000_000;
/** yaml's own default: more alias expansions than this is a resource-exhaustion attack. */
const MAX_YAML_ALIASES = 100;

const timeZone = z
  .string()
  .refine(isTimeZone, { message: 'expected an IANA time zone such as Europe/Berlin' });
const clockTime = z.string().refine(isClockTime, { message: 'expected HH:MM' });
const email = z
  .email({ message: 'expected an email address' })
  .transform((value) => value.trim().toLowerCase());

const workDays = z
  .union([z.string(), z.array(z.string())])
  .transform((value, ctx): IsoWeekday[] => {
    const parsed = parseWorkDays(Array.isArray(value) ? value.join(',') : value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return parsed.value;
  });

const teamPath = teamPathSchema;

/**
 * Targets a team agrees to. A target left out is inherited (from the nearest ancestor team that
 * sets it, else the default); `null` switches it off for the team and its descendants.
 */
export const agreementsSchema = z.strictObject({
  meetingLoadPctMax: z.number().min(0).max(100).nullable().optional(),
  focusHoursMin: z.number().min(0).max(168).nullable().optional(),
  responseMedianWorkingMinutesMax: z.number().min(0).max(525_600).nullable().optional(),
  offHoursShareMax: z.number().min(0).max(1).nullable().optional(),
});
export type Agreements = z.infer<typeof agreementsSchema>;

const authSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('none') }),
  z.strictObject({
    mode: z.literal('google'),
    /** OAuth client id of the Google sign-in button; ID tokens must be issued for it. */
    clientId: z.string().min(1),
    /** Only accounts of this Google Workspace domain may sign in. */
    hostedDomain: z.string().min(1),
    /**
     * Where Google's token-signing certificates are fetched. Only for tests and emulators: in
     * production leave it unset so the library uses Google's own address.
     */
    certsUrl: z.url().optional(),
    /**
     * Addresses of reverse proxies (TLS terminators) in front of the server, whose
     * X-Forwarded-For is believed, so the sign-in rate limit counts each client on its own.
     */
    trustedProxies: z
      .array(z.string().refine((value) => isIP(value) !== 0, { message: 'expected an IP address' }))
      .default([]),
  }),
  z.strictObject({
    mode: z.literal('proxy'),
    /** Header the reverse proxy sets to the signed-in user's email (e.g. X-Forwarded-Email). */
    header: z.string().min(1),
    /**
     * What the header's value must be, exactly: `email`, one address; `google-iap`,
     * `accounts.google.com:` and one address (Google's Identity-Aware Proxy). Anything else is
     * refused with 401 (see docs/security.md).
     */
    headerFormat: z.enum(['email', 'google-iap']).default('email'),
    /** Addresses of the proxies allowed to set that header. Requests from elsewhere are refused. */
    trustedProxies: z
      .array(z.string().refine((value) => isIP(value) !== 0, { message: 'expected an IP address' }))
      .min(1),
  }),
]);
export type AuthConfig = z.infer<typeof authSchema>;

const DEFAULT_AGREEMENTS: Agreements = {
  meetingLoadPctMax: 30,
  focusHoursMin: 12,
  responseMedianWorkingMinutesMax: 240,
  offHoursShareMax: 0.1,
};

/**
 * The scheduled weekly email report (docs/email-report.md). The SMTP password is a secret and never
 * lives here: `SYNCBALANCE_SMTP_PASSWORD`, else the owner-only credential file beside the
 * warehouse (`<warehouse>.smtp-password`).
 */
export const reportConfigSchema = z.strictObject({
  /** When the scheduler sends: this weekday and local time, in each manager's zone by default. */
  schedule: z
    .strictObject({
      day: z.enum(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']).default('Mon'),
      time: clockTime.default('08:00'),
      /** `manager`: the manager's zone from the roster (else `timezone` above); or one IANA zone. */
      timezone: z.union([z.literal('manager'), timeZone]).default('manager'),
    })
    .prefault({}),
  /** Where the dashboard is served; each team section links to its page there. */
  dashboardUrl: z.url({ message: 'expected an absolute URL' }).default('http://localhost:3000'),
  smtp: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(1).max(65535).default(587),
      /** `tls`: TLS from the first byte (port 465); `starttls`: required upgrade; `none`: loopback only. */
      security: z.enum(['tls', 'starttls', 'none']).default('starttls'),
      user: z.string().min(1).optional(),
    })
    .prefault({}),
  from: z.string().min(3).default('syncbalance <syncbalance@localhost>'),
  replyTo: z.string().min(3).optional(),
  /** These addresses get no report. */
  optOut: z.array(email).default([]),
  /** Admins (see `admins`) get a report only for the teams listed here under their address. */
  teams: z.record(z.string(), z.array(teamPath)).default({}),
  /** Failed sends (SMTP down, 4xx) are retried at the next run after this wait, doubling each time. */
  backoff: z
    .strictObject({
      firstRetryMinutes: z.number().int().min(1).default(15),
      maxRetryMinutes: z
        .number()
        .int()
        .min(1)
        .default(24 * 60),
      maxAttempts: z.number().int().min(1).max(100).default(8),
    })
    .prefault({}),
});
export type ReportConfig = z.infer<typeof reportConfigSchema>;
/** The Slack API sync (`syncbalance sync slack`); see docs/sources-slack.md. */
export const slackConfigSchema = z
  .strictObject({
    /**
     * Days of thread parents re-read on every run, so replies added to older threads, edits and
     * deletions within this window are seen.
     */
    rescanDays: z.number().int().min(0).max(90).default(14),
    /** How far back the first sync reads when `--since` is not given. */
    historyDays: z.number().int().min(1).max(3650).default(182),
    /** Requests in flight at once per Slack rate-limit tier (Tier 3: history and replies). */
    concurrency: z
      .strictObject({
        tier2: z.number().int().min(1).max(10).default(1),
        tier3: z.number().int().min(1).max(20).default(3),
        tier4: z.number().int().min(1).max(20).default(2),
      })
      .prefault({}),
    /**
     * Base URL of the Slack Web API. Only for emulators in tests: leave it unset in production so
     * the client uses Slack's own address; a token is sent to whatever address this names.
     */
    apiUrl: z.url().optional(),
  })
  .prefault({});
function isCronPattern(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

/** One cron entry of the scheduler: a cron pattern read in an IANA time zone. */
const cronEntrySchema = z.strictObject({
  /** Five fields (minute hour day month weekday), or six with seconds first, as croner reads them. */
  cron: z.string().refine(isCronPattern, {
    message: "expected a cron pattern such as '0 6 * * *' (minute hour day month weekday)",
  }),
  timezone: timeZone.default('UTC'),
});

/**
 * Always-on service: how many published snapshots to keep, and when `syncbalance schedule` (or
 * `serve --schedule`) runs the refresh and the report. A job without an entry is not scheduled.
 */
const alwaysOnSchema = {
  snapshots: z
    .strictObject({
      /** Published snapshots kept, the current one included; older ones are deleted on publish. */
      keep: z.number().int().min(1).max(100).default(3),
      /** How often a server checks for a newer snapshot, in milliseconds. */
      pollMs: z.number().int().min(100).max(5_000).default(1_000),
    })
    .prefault({}),
  schedule: z
    .strictObject({
      refresh: cronEntrySchema.optional(),
      report: cronEntrySchema.optional(),
    })
    .prefault({}),
};

/**
 * Google Calendar live sync (`syncbalance connect google`, `syncbalance sync google`); see
 * docs/sources-google-calendar.md. Credentials are never here: they live in an owner-only file
 * beside the warehouse.
 */
export const googleConfigSchema = z
  .strictObject({
    /** The window of a full sync: whole weeks from the Monday this many weeks back, and ahead. */
    window: z
      .strictObject({
        weeksBack: z.number().int().min(1).max(260).default(26),
        weeksAhead: z.number().int().min(0).max(52).default(4),
      })
      .prefault({}),
    /** Calendars synced at once; keeps a large organisation under Google's per-project quota. */
    concurrency: z.number().int().min(1).max(32).default(4),
    /**
     * Desktop connection only: other people's calendars (their addresses) that the signed-in
     * account can read, synced besides its own primary calendar.
     */
    calendars: z.array(email).default([]),
    /** Retries of rate-limited (403, 429) and failed (5xx) requests, with exponential backoff. */
    retry: z
      .strictObject({
        attempts: z.number().int().min(1).max(20).default(6),
        baseDelayMs: z.number().int().min(0).max(60_000).default(1000),
      })
      .prefault({}),
    /**
     * Only for tests and emulators: the root of the Calendar and Directory APIs and the OAuth token
     * endpoint. In production leave them unset so the official Google addresses are used.
     */
    rootUrl: z.url().optional(),
    tokenUrl: z.url().optional(),
  })
  .prefault({});
export type GoogleConfig = z.infer<typeof googleConfigSchema>;

/** A DuckDB memory size (`4GB`, `2500MiB`) or a share of the machine's memory (`55%`). */
const memorySize = z
  .string()
  .regex(/^(\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)|([1-9]|[1-9]\d)%)$/i, {
    message: "expected a size such as '4GB' or '2500MiB', or a share of the memory such as '55%'",
  });

/**
 * How DuckDB may use the machine while syncbalance writes the working warehouse (imports, syncs,
 * builds): how much memory before it spills to disk, and where it spills. Readers (servers,
 * exports) of the small published snapshots keep DuckDB's defaults.
 */
export const warehouseConfigSchema = z
  .strictObject({
    /**
     * DuckDB's memory_limit. The default, 55% of the machine's memory, leaves room for the
     * process around DuckDB and for a server reading snapshots beside a running build (DuckDB's
     * own default, 80%, does not).
     */
    memoryLimit: memorySize.default('55%'),
    /** Where DuckDB spills what does not fit; default `<warehouse>.tmp` beside the warehouse file. */
    tempDirectory: z.string().min(1).optional(),
  })
  .prefault({});
export type WarehouseConfig = z.infer<typeof warehouseConfigSchema>;

/**
 * The DuckDB settings for opening the working warehouse at `dbPath` for writing: a share of memory
 * becomes a size in MiB of this machine's memory, and the temp directory defaults to beside the
 * file.
 */
export function warehouseOpenSettings(
  config: Config,
  dbPath: string,
  machineBytes = totalmem(),
): { memoryLimit: string; tempDirectory: string } {
  const { memoryLimit, tempDirectory } = config.warehouse;
  const share = /^(\d+)%$/.exec(memoryLimit);
  return {
    memoryLimit: share
      ? `${Math.floor((machineBytes * Number(share[1])) / 100 / 2 ** 20)}MiB`
      : memoryLimit,
    tempDirectory: tempDirectory ?? `${dbPath}.tmp`,
  };
}

export const configSchema = z.strictObject({
  /** Organisation default time zone, used when neither roster, calendar nor Slack gives one. */
  timezone: timeZone.default('UTC'),
  /** Default working hours, used when the roster leaves a person's schedule empty. */
  workingHours: z
    .strictObject({
      days: workDays.default([1, 2, 3, 4, 5]),
      start: clockTime.default('09:00'),
      end: clockTime.default('17:00'),
    })
    .refine((hours) => hours.start !== hours.end, {
      message: 'start and end must differ',
      path: ['end'],
    })
    .prefault({}),
  /** Team-weeks and metric cells with fewer contributing people than this are never shown. */
  minGroupSize: z
    .number()
    .int()
    .min(3, { message: 'must be at least 3: smaller groups would expose individuals' })
    .max(MAX_GROUP_SIZE, { message: `must be at most ${MAX_GROUP_SIZE.toLocaleString('en-US')}` })
    .default(5),
  focusBlockMinutes: z.number().int().min(15).max(600).default(120),
  minutesPerMessage: z.number().positive().max(60).default(2),
  meetingMaxHours: z.number().positive().max(24).default(8),
  latencyCapDays: z.number().int().min(1).max(60).default(7),
  /**
   * A team-week whose activity z-score against the team's other weeks is below this is flagged as
   * a probable holiday (docs/metrics.md): marked in the dashboard, left out of the 4-week baseline.
   */
  holidayZScore: z.number().min(-10).max(0).default(-1.5),
  workingAgreements: z
    .strictObject({
      /** Applies to every team without an entry of its own (or of an ancestor) below. */
      default: agreementsSchema.default(DEFAULT_AGREEMENTS),
      teams: z.record(teamPath, agreementsSchema).default({}),
    })
    .prefault({}),
  /** These people see every team. */
  admins: z.array(email).default([]),
  server: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(3000),
      auth: authSchema.default({ mode: 'none' }),
    })
    .prefault({}),
  report: reportConfigSchema.prefault({}),
  slack: slackConfigSchema,
  ...alwaysOnSchema,
  google: googleConfigSchema,
  warehouse: warehouseConfigSchema,
});

export type Config = z.infer<typeof configSchema>;

/** The configuration when no file is given: every default above. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((part) => String(part)).join('.');
}

/** Validates already-parsed data (from YAML, JSON or a test) and reports every problem at once. */
export function parseConfig(data: unknown, file = '<config>'): Config {
  const result = configSchema.safeParse(data ?? {});
  if (result.success) return result.data;
  const problems: Problem[] = result.error.issues.map((issue) => ({
    location: { file, ...(issue.path.length > 0 ? { field: issuePath(issue.path) } : {}) },
    message: issue.message,
  }));
  throw new InputError(
    `invalid configuration in ${file} (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
    problems,
  );
}

/**
 * Reads the config file: the given path (which must exist), else `syncbalance.config.yaml` in the
 * working directory when present, else the defaults.
 */
export function loadConfig(
  path: string | undefined,
  cwd = process.cwd(),
): { config: Config; file: string | null } {
  const file =
    path ?? (existsSync(`${cwd}/${DEFAULT_CONFIG_FILE}`) ? `${cwd}/${DEFAULT_CONFIG_FILE}` : null);
  if (file === null) return { config: defaultConfig(), file: null };
  const text = readTextFile(file, 'config file', { invalidUtf8: 'refuse' });
  // YAML is a superset of JSON, so one parser serves both formats.
  const document = parseDocument(text, { prettyErrors: true });
  const yamlError = document.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0].line;
    throw InputError.at(
      { file, ...(line === undefined ? {} : { line }) },
      `not valid YAML: ${yamlError.message.split('\n')[0] ?? ''}`,
    );
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    // Only the alias limit throws here (yaml's ReferenceError); say where the aliases are.
    throw InputError.at(
      { file, ...firstAliasLocation(document, text) },
      `aliases (*name) expand to more than ${MAX_YAML_ALIASES} copies, which would exhaust memory (a "YAML bomb"): write the values out instead`,
      { cause: error },
    );
  }
  return { config: parseConfig(data, file), file };
}

/** Line and key of the first alias in the document, for the alias-limit error. */
function firstAliasLocation(
  document: ReturnType<typeof parseDocument>,
  text: string,
): { line?: number; field?: string } {
  let found: { line?: number; field?: string } = {};
  visit(document, {
    Alias(_key, node, path) {
      const offset = node.range?.[0];
      const keys = path
        .filter((step): step is Pair => isPair(step))
        .map((pair) => (isScalar(pair.key) ? String(pair.key.value) : '?'));
      found = {
        ...(offset === undefined ? {} : { line: text.slice(0, offset).split('\n').length }),
        ...(keys.length > 0 ? { field: keys.join('.') } : {}),
      };
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * The agreements in force for a team, target by target: its own entry, else its nearest
 * ancestor's, else the default. Targets switched off with null are left out.
 */
export function agreementsFor(config: Config, team: string): Agreements {
  const segments = team.split('/');
  let merged: Agreements = { ...config.workingAgreements.default };
  for (let length = 1; length <= segments.length; length++) {
    const own = config.workingAgreements.teams[segments.slice(0, length).join('/')];
    if (own) merged = { ...merged, ...own };
  }
  return Object.fromEntries(
    Object.entries(merged).filter(([, value]) => typeof value === 'number'),
  );
}
