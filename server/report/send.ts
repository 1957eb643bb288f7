/**
 * Sends one week's reports, each (manager, week) exactly once, however often this runs.
 *
 * Per manager: skip if `meta.report_deliveries` says sent or failed for good; claim the row (one
 * atomic statement, see `claimDelivery`); render; hand the message to SMTP; record `sent` the
 * moment the server accepts it. A second sender (another scheduler tick, or a second call in the
 * same process) finds the claim and leaves the message alone; a second process cannot open the
 * warehouse at all while this one holds it (DuckDB allows one writing process per file).
 *
 * The one window left: the SMTP server accepted a message and the process died before the next
 * statement recorded it. The claim then stays `sending` without a live sender, and the next run
 * sends that message again (at least once, not exactly once, for that message only). It is kept
 * as small as possible: nothing but the UPDATE runs between acceptance and recording, and each
 * message carries a Message-ID derived from (week, manager key), so mail systems that drop a
 * repeated Message-ID show it once.
 */
import { randomUUID } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Config } from '../../warehouse/config.ts';
import { addDays } from '../../warehouse/dates.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { normaliseEmail, type Pseudonymizer } from '../../warehouse/identity.ts';
import type { Reporter } from '../../warehouse/reporter.ts';
import { localTimeToMicros } from '../../warehouse/zoned-time.ts';
import { WarehouseReads } from '../reads.ts';
import {
  claimDelivery,
  listDeliveries,
  listManagers,
  recordFailure,
  recordSent,
  rosterTimezone,
} from './queries.ts';
import { renderReport, reportTeams, reportWeek, type RenderedReport } from './render.ts';
import { classifyFailure, describeFailure } from './smtp.ts';

/** Claims held by senders running in this process; any other `sending` claim was left by a dead one. */
const LIVE_CLAIMS = new Set<string>();

export interface SendWeeklyReportsOptions {
  readonly db: Warehouse;
  readonly config: Config;
  /** Turns a manager's address into the key deliveries are recorded under. */
  readonly pseudonymizer: Pseudonymizer;
  readonly transport: Transporter;
  readonly reporter: Reporter;
  readonly now?: () => Date;
  /** Any date in the week to report; default the latest complete week with data. */
  readonly week?: string;
  /** Only these managers (addresses); default everyone with a report. */
  readonly managers?: readonly string[];
  /** Render and decide, but neither claim, send nor record. */
  readonly dryRun?: boolean;
  /**
   * The scheduler's mode: skip managers whose `report.schedule` moment (in their zone) for this
   * week has not come yet; a later run picks them up.
   */
  readonly onlyDue?: boolean;
}

export type DeliveryOutcome =
  | 'sent'
  | 'would-send'
  | 'already-sent'
  | 'failed-before'
  | 'busy'
  | 'waiting'
  | 'retry'
  | 'failed'
  | 'opted-out'
  | 'not-due'
  | 'no-teams'
  | 'not-attempted';

export interface ManagerOutcome {
  /** The pseudonymous key, never the address. */
  readonly managerKey: string;
  readonly teams: number;
  readonly outcome: DeliveryOutcome;
  readonly error?: string;
}

export interface ReportSendSummary {
  readonly week: string | null;
  readonly dryRun: boolean;
  readonly outcomes: readonly ManagerOutcome[];
  /** Counts per outcome. */
  readonly counts: Readonly<Partial<Record<DeliveryOutcome, number>>>;
  /** A connection-level failure stopped the run (SMTP unreachable, login refused). */
  readonly stopped: string | null;
}

interface Recipient {
  readonly email: string;
  readonly timezone: string | null;
}

async function recipients(
  db: Warehouse,
  config: Config,
  only: readonly string[] | undefined,
): Promise<Recipient[]> {
  const managers = await listManagers(db);
  const byEmail = new Map(managers.map((manager) => [manager.email, manager]));
  for (const admin of Object.keys(config.report.teams).map(normaliseEmail)) {
    if (config.admins.includes(admin) && !byEmail.has(admin))
      byEmail.set(admin, { email: admin, timezone: await rosterTimezone(db, admin) });
  }
  if (only === undefined) return [...byEmail.values()];
  return only.map(normaliseEmail).map((email) => byEmail.get(email) ?? { email, timezone: null });
}

const WEEKDAY_OFFSET = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 } as const;

/** When a week's report is due for someone in `timeZone`: the schedule's day after the week ends. */
export function reportDueAt(config: Config, week: string, timeZone: string): Date {
  const { day, time } = config.report.schedule;
  const [hours, minutes] = time.split(':').map(Number);
  const date = addDays(week, 7 + WEEKDAY_OFFSET[day]);
  return new Date(
    Number(localTimeToMicros(date, (hours ?? 0) * 60 + (minutes ?? 0), timeZone) / 1000n),
  );
}

function scheduleZone(config: Config, recipient: Recipient): string {
  const zone = config.report.schedule.timezone;
  return zone === 'manager' ? (recipient.timezone ?? config.timezone) : zone;
}

function nextAttempt(config: Config, attempts: number, now: Date): Date | null {
  const { firstRetryMinutes, maxRetryMinutes, maxAttempts } = config.report.backoff;
  if (attempts >= maxAttempts) return null;
  const minutes = Math.min(firstRetryMinutes * 2 ** Math.max(0, attempts - 1), maxRetryMinutes);
  return new Date(now.getTime() + minutes * 60_000);
}

/** `<2026-11-09.p_…@syncbalance.report>`: the same for every attempt of one (manager, week). */
export function reportMessageId(week: string, managerKey: string): string {
  return `<report.${week}.${managerKey}@syncbalance.report>`;
}

async function deliver(
  transport: Transporter,
  config: Config,
  report: RenderedReport,
  messageId: string,
): Promise<void> {
  await transport.sendMail({
    from: config.report.from,
    to: report.manager,
    ...(config.report.replyTo === undefined ? {} : { replyTo: config.report.replyTo }),
    subject: report.subject,
    text: report.text,
    html: report.html,
    messageId,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    attachments: report.attachments.map((attachment) => ({
      filename: attachment.filename,
      content: attachment.content,
      contentType: 'image/png',
      cid: attachment.cid,
      contentDisposition: 'inline' as const,
    })),
  });
}

export async function sendWeeklyReports(
  options: SendWeeklyReportsOptions,
): Promise<ReportSendSummary> {
  const { db, config, reporter } = options;
  const now = options.now ?? (() => new Date());
  const dryRun = options.dryRun ?? false;
  const reads = new WarehouseReads(db);
  const week = await reportWeek(reads, config, now(), options.week);
  if (week === null) {
    reporter.warn('No complete week with data yet: nothing to report.');
    return { week: null, dryRun, outcomes: [], counts: {}, stopped: null };
  }
  for (const listed of Object.keys(config.report.teams).map(normaliseEmail)) {
    if (!config.admins.includes(listed))
      reporter.warn(
        'report.teams lists an address that is not in admins: ignored (managers get the teams of their reports)',
      );
  }
  const token = randomUUID();
  LIVE_CLAIMS.add(token);
  const outcomes: ManagerOutcome[] = [];
  let stopped: string | null = null;
  try {
    const known = new Map(
      (await listDeliveries(db, week)).map((delivery) => [delivery.manager_key, delivery]),
    );
    const optOut = new Set(config.report.optOut);
    for (const recipient of await recipients(db, config, options.managers)) {
      const managerKey = options.pseudonymizer.person(recipient.email);
      const record = (outcome: DeliveryOutcome, teams: number, error?: string) => {
        outcomes.push({ managerKey, teams, outcome, ...(error === undefined ? {} : { error }) });
        reporter.info(
          `${managerKey} (${teams} team${teams === 1 ? '' : 's'}): ${outcome}${error === undefined ? '' : ` — ${error}`}`,
        );
      };
      if (optOut.has(recipient.email)) {
        record('opted-out', 0);
        continue;
      }
      if (stopped !== null) {
        record('not-attempted', 0);
        continue;
      }
      const teams = await reportTeams(reads, config, recipient.email);
      if (teams.length === 0) {
        record('no-teams', 0);
        continue;
      }
      const earlier = known.get(managerKey);
      if (earlier?.status === 'sent') {
        record('already-sent', teams.length);
        continue;
      }
      if (earlier?.status === 'failed') {
        record('failed-before', teams.length, earlier.last_error ?? undefined);
        continue;
      }
      if (
        options.onlyDue === true &&
        now() < reportDueAt(config, week, scheduleZone(config, recipient))
      ) {
        record('not-due', teams.length);
        continue;
      }
      if (dryRun) {
        await renderReport({ db, config, manager: recipient.email, week, reads, teams });
        record('would-send', teams.length);
        continue;
      }
      const claim = await claimDelivery(db, {
        managerKey,
        week,
        token,
        now: now(),
        liveTokens: [...LIVE_CLAIMS],
      });
      if (claim === null) {
        // Someone else holds it, or a retry whose wait is not over yet.
        const current = (await listDeliveries(db, week)).find(
          (delivery) => delivery.manager_key === managerKey,
        );
        record(
          current?.status === 'retry'
            ? 'waiting'
            : current?.status === 'sent'
              ? 'already-sent'
              : 'busy',
          teams.length,
        );
        continue;
      }
      const messageId = reportMessageId(week, managerKey);
      try {
        const report = await renderReport({
          db,
          config,
          manager: recipient.email,
          week,
          reads,
          teams,
        });
        await deliver(options.transport, config, report, messageId);
      } catch (error) {
        const kind = classifyFailure(error);
        const description = describeFailure(error);
        const next = kind === 'permanent' ? null : nextAttempt(config, claim.attempts, now());
        await recordFailure(db, {
          managerKey,
          week,
          token,
          error: description,
          nextAttemptAt: next,
        });
        record(next === null ? 'failed' : 'retry', teams.length, description);
        if (kind === 'unavailable') stopped = description;
        continue;
      }
      await recordSent(db, { managerKey, week, token, messageId, at: now() });
      record('sent', teams.length);
    }
  } finally {
    LIVE_CLAIMS.delete(token);
  }
  const counts: Partial<Record<DeliveryOutcome, number>> = {};
  for (const { outcome } of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return { week, dryRun, outcomes, counts, stopped };
}
