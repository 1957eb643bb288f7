/**
 * Every SQL statement of the email report, in one place. The report reads the same marts as the
 * API (team-weeks come through `server/queries/team-weeks.ts`, with the build's suppression flags)
 * and keeps its own bookkeeping in `meta.report_deliveries`.
 */
import { listValue } from '@duckdb/node-api';
import { z } from 'zod';
import type { Warehouse } from '../../warehouse/db.ts';

export interface ManagerRow {
  readonly email: string;
  /** The manager's zone in the latest roster snapshot; null when the roster leaves it open. */
  readonly timezone: string | null;
}

/**
 * Everyone with at least one team to see through their reports (`marts.team_access`), with the
 * zone the roster gives them. Addresses come from the roster, the only place the warehouse keeps
 * them.
 */
export async function listManagers(db: Warehouse): Promise<ManagerRow[]> {
  return db.parse(
    z.object({ email: z.string(), timezone: z.string().nullable() }),
    `WITH latest AS (
       SELECT p.email, p.timezone
       FROM staging.stg_roster__people AS p
       JOIN staging.stg_roster__snapshots AS s ON s.as_of = p.as_of AND s.is_latest
     )
     SELECT a.viewer_email AS email, any_value(l.timezone) AS timezone
     FROM marts.team_access AS a
     LEFT JOIN latest AS l ON l.email = a.viewer_email
     GROUP BY a.viewer_email
     ORDER BY a.viewer_email`,
  );
}

/** The zone the latest roster snapshot gives one person (admins need not manage anyone). */
export async function rosterTimezone(db: Warehouse, email: string): Promise<string | null> {
  const [row] = await db.parse(
    z.object({ timezone: z.string().nullable() }),
    `SELECT p.timezone
     FROM staging.stg_roster__people AS p
     JOIN staging.stg_roster__snapshots AS s ON s.as_of = p.as_of AND s.is_latest
     WHERE p.email = $email`,
    { email },
  );
  return row?.timezone ?? null;
}

const deliverySchema = z.object({
  manager_key: z.string(),
  week_start: z.string(),
  status: z.enum(['sending', 'sent', 'retry', 'failed']),
  attempts: z.number().int(),
  claim_token: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
  last_error: z.string().nullable(),
  message_id: z.string().nullable(),
  sent_at: z.string().nullable(),
});
export type DeliveryRow = z.infer<typeof deliverySchema>;

const ISO_INSTANT = `'%Y-%m-%dT%H:%M:%S.%gZ'`;
const DELIVERY_COLUMNS = `manager_key, week_start, status, attempts, claim_token,
  strftime(next_attempt_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS next_attempt_at,
  last_error, message_id, strftime(sent_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS sent_at`;

/**
 * Claims (manager, week) for one sender in a single statement, which DuckDB runs atomically: a new
 * row, a retry whose wait is over, or a claim left by a sender that is no longer running (not in
 * `liveTokens`). Returns the row when this sender holds the claim afterwards, else null.
 */
export async function claimDelivery(
  db: Warehouse,
  claim: {
    readonly managerKey: string;
    readonly week: string;
    readonly token: string;
    readonly now: Date;
    readonly liveTokens: readonly string[];
  },
): Promise<DeliveryRow | null> {
  await db.run(
    `INSERT INTO meta.report_deliveries AS d
       (manager_key, week_start, status, attempts, claim_token, claimed_at)
     VALUES ($key, $week::DATE, 'sending', 1, $token, $now::TIMESTAMPTZ)
     ON CONFLICT (manager_key, week_start) DO UPDATE SET
       status = 'sending', attempts = d.attempts + 1,
       claim_token = EXCLUDED.claim_token, claimed_at = EXCLUDED.claimed_at
     WHERE (d.status = 'retry' AND d.next_attempt_at <= EXCLUDED.claimed_at)
        OR (d.status = 'sending' AND NOT list_contains($live, d.claim_token))`,
    {
      key: claim.managerKey,
      week: claim.week,
      token: claim.token,
      now: claim.now.toISOString(),
      live: listValue([...claim.liveTokens]),
    },
  );
  const [row] = await db.parse(
    deliverySchema,
    `SELECT ${DELIVERY_COLUMNS} FROM meta.report_deliveries
     WHERE manager_key = $key AND week_start = $week::DATE AND claim_token = $token
       AND status = 'sending'`,
    { key: claim.managerKey, week: claim.week, token: claim.token },
  );
  return row ?? null;
}

/** Records the SMTP server's acceptance; only the claim's holder can. */
export async function recordSent(
  db: Warehouse,
  done: {
    readonly managerKey: string;
    readonly week: string;
    readonly token: string;
    readonly messageId: string;
    readonly at: Date;
  },
): Promise<void> {
  await db.run(
    `UPDATE meta.report_deliveries
     SET status = 'sent', message_id = $message, sent_at = $at::TIMESTAMPTZ, last_error = NULL,
         next_attempt_at = NULL, claim_token = NULL
     WHERE manager_key = $key AND week_start = $week::DATE AND claim_token = $token`,
    {
      key: done.managerKey,
      week: done.week,
      token: done.token,
      message: done.messageId,
      at: done.at.toISOString(),
    },
  );
}

/** Records a failed attempt: `retry` after `nextAttemptAt`, or `failed` for good (nextAttemptAt null). */
export async function recordFailure(
  db: Warehouse,
  failure: {
    readonly managerKey: string;
    readonly week: string;
    readonly token: string;
    readonly error: string;
    readonly nextAttemptAt: Date | null;
  },
): Promise<void> {
  await db.run(
    `UPDATE meta.report_deliveries
     SET status = CASE WHEN $next::TIMESTAMPTZ IS NULL THEN 'failed' ELSE 'retry' END,
         next_attempt_at = $next::TIMESTAMPTZ, last_error = $error, claim_token = NULL
     WHERE manager_key = $key AND week_start = $week::DATE AND claim_token = $token`,
    {
      key: failure.managerKey,
      week: failure.week,
      token: failure.token,
      error: failure.error,
      next: failure.nextAttemptAt?.toISOString() ?? null,
    },
  );
}

export async function listDeliveries(db: Warehouse, week?: string): Promise<DeliveryRow[]> {
  return db.parse(
    deliverySchema,
    `SELECT ${DELIVERY_COLUMNS} FROM meta.report_deliveries
     ${week === undefined ? '' : 'WHERE week_start = $week::DATE'}
     ORDER BY week_start, manager_key`,
    week === undefined ? {} : { week },
  );
}

export interface DeliveryCounts {
  readonly week: string;
  readonly sent: number;
  readonly retry: number;
  readonly failed: number;
  readonly sending: number;
}

/** Per week, how many reports were sent, wait for a retry, failed for good, or are in flight. */
export async function deliveryCounts(db: Warehouse): Promise<DeliveryCounts[]> {
  const rows = await db.parse(
    z.object({
      week: z.string(),
      sent: z.number().int(),
      retry: z.number().int(),
      failed: z.number().int(),
      sending: z.number().int(),
    }),
    `SELECT week_start AS week,
            count(*) FILTER (WHERE status = 'sent')::INTEGER AS sent,
            count(*) FILTER (WHERE status = 'retry')::INTEGER AS retry,
            count(*) FILTER (WHERE status = 'failed')::INTEGER AS failed,
            count(*) FILTER (WHERE status = 'sending')::INTEGER AS sending
     FROM meta.report_deliveries GROUP BY week_start ORDER BY week_start DESC`,
  );
  return rows;
}
