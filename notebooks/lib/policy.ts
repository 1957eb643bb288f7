/**
 * The policy-impact analysis of one metric for one team, as the notebook runs it: the team's
 * segmented regression, the difference-in-differences against a comparison team, and the verdict
 * in words. Only team-week medians from `marts.team_weeks` go in.
 */
import { z } from 'zod';
import { METRICS, TEAM_WEEK_METRICS, type TeamWeekMetric } from '../../server/contract/metrics.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { signed } from './display.ts';
import {
  differenceInDifferences,
  interruptedTimeSeries,
  isSignificant,
  type DidResult,
  type ItsResult,
  type WeekValue,
} from './its.ts';
import type { Coefficient } from './stats.ts';

export async function teamSeries(
  db: Warehouse,
  team: string,
  metric: TeamWeekMetric,
): Promise<WeekValue[]> {
  if (!(TEAM_WEEK_METRICS as readonly string[]).includes(metric)) {
    throw new RangeError(`unknown metric ${metric}: use a column of marts.team_weeks`);
  }
  const rows = await db.parse(
    z.object({ week: z.string(), value: z.number().nullable() }),
    `SELECT strftime(week_start, '%Y-%m-%d') AS week, ${metric} AS value
     FROM marts.team_weeks WHERE team_path = $1 ORDER BY week_start`,
    [team],
  );
  if (rows.length === 0) throw new RangeError(`no team ${team} in marts.team_weeks`);
  return rows;
}

export interface Analysis {
  readonly team: string;
  readonly metric: TeamWeekMetric;
  readonly start: string;
  readonly its: ItsResult;
  readonly comparison: string | null;
  readonly did: DidResult | null;
  /** Did the metric change? Null when the analysis refused to conclude. */
  readonly changed: boolean | null;
  /** The change's estimate in the metric's unit (the DiD when a comparison is given). */
  readonly effect: number | null;
}

export async function analyse(
  db: Warehouse,
  options: { team: string; metric: TeamWeekMetric; start: string; comparison: string | null },
): Promise<Analysis> {
  const series = await teamSeries(db, options.team, options.metric);
  const its = interruptedTimeSeries(series, options.start);
  const did =
    options.comparison === null
      ? null
      : differenceInDifferences(
          series,
          await teamSeries(db, options.comparison, options.metric),
          options.start,
        );
  // The comparison removes the shocks both teams share (all-hands weeks, holidays), which are most
  // of the weekly noise, so its estimate decides when there is one.
  const decisive: Coefficient | null =
    did !== null
      ? did.kind === 'estimate'
        ? did.effect
        : null
      : its.kind === 'estimate'
        ? its.levelChange
        : null;
  return {
    ...options,
    its,
    did,
    changed: decisive === null ? null : isSignificant(decisive),
    effect: decisive?.estimate ?? null,
  };
}

function unitSuffix(metric: TeamWeekMetric): string {
  const unit = METRICS[metric].unit;
  return unit === 'percent'
    ? ' points'
    : unit === 'hours'
      ? ' h'
      : unit === 'minutes'
        ? ' min'
        : '';
}

function interval(coefficient: Coefficient, metric: TeamWeekMetric, digits = 1): string {
  const suffix = unitSuffix(metric);
  return `${signed(coefficient.estimate, digits)}${suffix} (95% CI ${signed(coefficient.low, digits)} to ${signed(coefficient.high, digits)})`;
}

/** The analysis in a few sentences of Markdown, numbers included. */
export function verdict(analysis: Analysis): string {
  const label = METRICS[analysis.metric].label.toLowerCase();
  const { its, did } = analysis;
  const lines: string[] = [];
  if (its.kind === 'refused') {
    lines.push(`**${METRICS[analysis.metric].label}: no conclusion.** ${capitalise(its.reason)}.`);
  } else {
    lines.push(
      `**${METRICS[analysis.metric].label}**, ${its.weeksBefore} weeks before and ${its.weeksAfter} from the start` +
        (its.weeksSuppressed > 0 ? ` (${its.weeksSuppressed} suppressed weeks left out)` : '') +
        `. The team's own series: level change at the start ${interval(its.levelChange, analysis.metric)}, ` +
        `slope change ${interval(its.slopeChange, analysis.metric, 2)} per week ` +
        `(t intervals on ${its.df} degrees of freedom, critical value ${its.tCritical.toFixed(2)}).` +
        (isSignificant(its.levelChange)
          ? ''
          : ' On its own series alone the level change is within the week-to-week noise.'),
    );
  }
  if (did !== null && analysis.comparison !== null) {
    if (did.kind === 'refused')
      lines.push(`Against ${analysis.comparison}: no conclusion. ${capitalise(did.reason)}.`);
    else {
      lines.push(
        `Against **${analysis.comparison}** (difference in differences over ${did.weeksBefore} + ${did.weeksAfter} weeks): ` +
          `the gap between the teams changed by ${interval(did.effect, analysis.metric)}.`,
      );
    }
  }
  if (analysis.changed === null) lines.push('**Verdict: not enough known weeks to conclude.**');
  else if (analysis.changed) {
    lines.push(
      `**Verdict: ${label} ${(analysis.effect ?? 0) < 0 ? 'fell' : 'rose'} after the start, by more than the noise explains** (95% confidence).`,
    );
  } else lines.push(`**Verdict: no significant change in ${label}** (95% confidence).`);
  return lines.join('\n\n');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The numbers the tests check, as `application/json` beside the Markdown. */
export function summary(analysis: Analysis): Record<string, unknown> {
  const coefficient = (c: Coefficient) => ({
    estimate: c.estimate,
    low: c.low,
    high: c.high,
    p: c.p,
  });
  return {
    team: analysis.team,
    metric: analysis.metric,
    start: analysis.start,
    comparison: analysis.comparison,
    changed: analysis.changed,
    effect: analysis.effect,
    its:
      analysis.its.kind === 'estimate'
        ? {
            weeksBefore: analysis.its.weeksBefore,
            weeksAfter: analysis.its.weeksAfter,
            levelChange: coefficient(analysis.its.levelChange),
            slopeChange: coefficient(analysis.its.slopeChange),
          }
        : { refused: analysis.its.reason },
    did:
      analysis.did === null
        ? null
        : analysis.did.kind === 'estimate'
          ? { effect: coefficient(analysis.did.effect), gapBefore: analysis.did.gapBefore }
          : { refused: analysis.did.reason },
  };
}
