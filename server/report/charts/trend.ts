/**
 * The one shape every report chart has: a team's last weeks as a line, the organisation as a
 * dashed grey line, and the team's working-agreement target as a red rule. Pure: data in, a
 * vega-lite spec out, so notebooks can reuse the builders and tests can read the spec.
 *
 * Values arrive in the unit a reader sees (percent, hours, minutes): the caller converts shares.
 * Weeks are an ordinal axis of preformatted labels, never dates, so the chart cannot shift a week
 * by the machine's time zone. Suppressed weeks are null and break the line: a gap, never a guess.
 */
import type { TopLevelSpec } from 'vega-lite';

/** The family of the font file the renderer loads (dejavu-fonts-ttf), so layout and pixels agree. */
export const CHART_FONT = 'DejaVu Sans';
export const CHART_WIDTH = 284;
export const CHART_HEIGHT = 120;

export const TEAM_COLOUR = '#1d4ed8';
export const ORG_COLOUR = '#6b7280';
export const TARGET_COLOUR = '#b91c1c';

export const TEAM_SERIES = 'This team';
export const ORG_SERIES = 'Organisation';

export interface TrendPoint {
  /** Short label of the week, e.g. "9 Nov" (unique within the chart). */
  readonly label: string;
  readonly team: number | null;
  readonly org: number | null;
}

export interface TrendTarget {
  readonly comparison: 'max' | 'min';
  readonly value: number;
}

export interface TrendChartInput {
  readonly title: string;
  /** Appended to axis labels: "%", " h", " min". */
  readonly suffix: string;
  readonly points: readonly TrendPoint[];
  readonly target: TrendTarget | null;
}

/** Every third week is labelled, counted back from the latest, which is always labelled. */
function labelledWeeks(labels: readonly string[]): string[] {
  return labels.filter((_label, index) => (labels.length - 1 - index) % 3 === 0);
}

/**
 * The top of the y axis: the largest value, and room above the target for its label, so the label
 * never rises into the legend (vega rounds the top up to a nice number from here).
 */
function yTop(input: TrendChartInput): number {
  const values = input.points.flatMap((point) =>
    [point.team, point.org].filter((value): value is number => value !== null),
  );
  const target = input.target?.value ?? 0;
  return Math.max(...values, target * 1.2, 1);
}

export function trendSpec(input: TrendChartInput): TopLevelSpec {
  const labels = input.points.map((point) => point.label);
  const values = input.points.flatMap((point) => [
    { week: point.label, series: TEAM_SERIES, value: point.team },
    { week: point.label, series: ORG_SERIES, value: point.org },
  ]);
  const x = {
    field: 'week',
    type: 'ordinal' as const,
    sort: labels,
    scale: { domain: labels },
    axis: { title: null, labelAngle: 0, values: labelledWeeks(labels), labelPadding: 4 },
  };
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    scale: { domain: [0, yTop(input)], nice: true },
    axis: {
      title: null,
      tickCount: 4,
      labelExpr: `datum.label + '${input.suffix.replaceAll("'", "\\'")}'`,
    },
  };
  const target = input.target;
  const targetLabel =
    target === null
      ? ''
      : `target ${target.comparison === 'max' ? '≤' : '≥'} ${String(target.value)}${input.suffix}`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: input.title, anchor: 'start', fontSize: 14, fontWeight: 'bold', offset: 6 },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    background: '#ffffff',
    padding: { left: 4, right: 8, top: 4, bottom: 4 },
    config: {
      font: CHART_FONT,
      view: { stroke: null },
      axis: {
        labelFontSize: 12,
        labelColor: '#374151',
        domainColor: '#9ca3af',
        tickColor: '#9ca3af',
      },
      axisX: { grid: false },
      axisY: { gridColor: '#e5e7eb', domain: false, ticks: false },
      legend: {
        labelFontSize: 12,
        symbolSize: 120,
        orient: 'top',
        direction: 'horizontal',
        offset: 4,
      },
      mark: { invalid: 'break-paths-show-domains' },
    },
    data: { values },
    layer: [
      {
        name: 'series',
        mark: { type: 'line', strokeWidth: 2.5, point: { filled: true, size: 28 } },
        encoding: {
          x,
          y,
          color: {
            field: 'series',
            type: 'nominal',
            scale: { domain: [TEAM_SERIES, ORG_SERIES], range: [TEAM_COLOUR, ORG_COLOUR] },
            legend: { title: null, symbolType: 'stroke', symbolStrokeWidth: 2.5 },
          },
          strokeDash: {
            field: 'series',
            type: 'nominal',
            scale: {
              domain: [TEAM_SERIES, ORG_SERIES],
              range: [
                [1, 0],
                [5, 3],
              ],
            },
            legend: { title: null },
          },
        },
      },
      ...(target === null
        ? []
        : [
            {
              name: 'target',
              mark: {
                type: 'rule' as const,
                color: TARGET_COLOUR,
                strokeDash: [3, 3],
                strokeWidth: 1.5,
              },
              encoding: { y: { datum: target.value, type: 'quantitative' as const } },
            },
            {
              name: 'target_label',
              mark: {
                type: 'text' as const,
                color: TARGET_COLOUR,
                align: 'right' as const,
                baseline: 'bottom' as const,
                dy: -3,
                fontSize: 12,
                x: CHART_WIDTH,
              },
              encoding: {
                y: { datum: target.value, type: 'quantitative' as const },
                text: { value: targetLabel },
              },
            },
          ]),
    ],
  };
}
