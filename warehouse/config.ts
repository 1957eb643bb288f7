/**
 * The one configuration file (YAML or JSON), parsed once at start-up into a typed `Config`.
 * Every default lives in this file; nothing else in the code base invents one.
 * Secrets never come from here: see `secrets.ts`.
 */
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
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
