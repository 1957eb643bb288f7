/**
 * Team-week rows (`marts.team_weeks`) with the organisation's values for the same week
 * (`marts.org_weeks`) and the week's marks (`marts.team_week_marks`: coverage, probable holiday),
 * for `/api/teams/{path}/weeks` and `/api/overview`. Metric columns come from
 * the shared registry, so the API cannot drift from the mart or the CSV.
 */
import { listValue } from '@duckdb/node-api';
import { z } from 'zod';
import {
  WEEK_MARKS_SELECT,
  weekMarksRowSchema,
  type WeekMarksRow,
} from '../../warehouse/data-health.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { TEAM_WEEK_METRICS, type TeamWeekMetric } from '../contract/metrics.ts';

const nullableNumber = z.number().nullable();
const nullableCount = z.number().int().nullable();

const rowSchema = z
  .object({
    team_path: z.string(),
    week_start: z.string(),
    members: z.number().int(),
    members_active_min: nullableCount,
    members_active_max: nullableCount,
    suppressed: z.boolean(),
    counts_withheld: z.boolean(),
    org_suppressed: z.boolean().nullable(),
    ...Object.fromEntries(TEAM_WEEK_METRICS.map((metric) => [metric, nullableNumber])),
    ...Object.fromEntries(TEAM_WEEK_METRICS.map((metric) => [`org_${metric}`, nullableNumber])),
  })
  .extend(weekMarksRowSchema.shape);

export interface WeekValues {
  readonly suppressed: boolean;
  readonly metrics: Readonly<Record<TeamWeekMetric, number | null>>;
}

export interface TeamWeekRow extends WeekValues {
  readonly team: string;
  readonly weekStart: string;
  readonly members: number;
  /** The band holding the number of active people; null when suppressed or withheld. */
  readonly membersActiveBand: { readonly min: number; readonly max: number } | null;
  /** A team in this one has fewer than minGroupSize own members: no band, no pooled shares. */
  readonly countsWithheld: boolean;
  /** The whole organisation that week; null when the organisation has no row for it. */
  readonly org: WeekValues | null;
  /** The week's row of marts.team_week_marks, as read (worded by `weekMarksOf`). */
  readonly marks: WeekMarksRow;
}

const SELECT = `
  SELECT t.team_path, t.week_start, t.members, t.members_active_min, t.members_active_max,
         t.suppressed, t.counts_withheld, o.suppressed AS org_suppressed,
         ${TEAM_WEEK_METRICS.map((metric) => `t.${metric}, o.${metric} AS org_${metric}`).join(', ')},
         ${WEEK_MARKS_SELECT}
  FROM marts.team_weeks AS t
  LEFT JOIN marts.org_weeks AS o ON o.week_start = t.week_start
  LEFT JOIN marts.team_week_marks AS m ON m.team_path = t.team_path AND m.week_start = t.week_start`;

function pick<K extends string>(
  row: Record<string, unknown>,
  keys: readonly K[],
  prefix = '',
): Record<K, number | null> {
  return Object.fromEntries(
    keys.map((key) => [key, (row[`${prefix}${key}`] as number | null | undefined) ?? null]),
  ) as Record<K, number | null>;
}

/** Rows of the given teams whose week starts in [fromMonday, toMonday], by team then week. */
export async function readTeamWeeks(
  db: Warehouse,
  teams: readonly string[],
  fromMonday: string,
  toMonday: string,
): Promise<TeamWeekRow[]> {
  if (teams.length === 0) return [];
  const rows = await db.parse(
    rowSchema,
    `${SELECT}
     WHERE list_contains($teams, t.team_path) AND t.week_start BETWEEN $from::DATE AND $to::DATE
     ORDER BY t.team_path, t.week_start`,
    { teams: listValue([...teams]), from: fromMonday, to: toMonday },
  );
  return rows.map((row) => {
    const record = row as Record<string, unknown>;
    return {
      team: row.team_path,
      weekStart: row.week_start,
      members: row.members,
      membersActiveBand:
        row.members_active_min === null || row.members_active_max === null
          ? null
          : { min: row.members_active_min, max: row.members_active_max },
      countsWithheld: row.counts_withheld,
      suppressed: row.suppressed,
      metrics: pick(record, TEAM_WEEK_METRICS),
      org:
        row.org_suppressed === null
          ? null
          : {
              suppressed: row.org_suppressed,
              metrics: pick(record, TEAM_WEEK_METRICS, 'org_'),
            },
      marks: weekMarksRowSchema.parse(row),
    };
  });
}
