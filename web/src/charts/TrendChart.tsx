/**
 * One metric over the selected weeks: the team (solid line with a dot per week), its 25th–75th
 * percentile band where the metric has one, the organisation's value (dashed) and the team's
 * working-agreement target (dash-dot). Only renders: the page prepares the points.
 */
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { METRICS, type TeamWeekMetric } from '../../../server/contract/index.ts';
import { formatTarget, type AgreementTarget } from '../lib/agreements.ts';
import { formatWeek } from '../lib/dates.ts';
import { formatTick, formatValue } from '../../../server/contract/format.ts';
import { targetFitsScale, type TrendPoint } from '../lib/series.ts';
import { CHART_MARGIN, valueAxisProps, weekAxisProps } from './axes.ts';
import { weekTooltipLabel } from './labels.ts';
import { ChartFrame, type LegendItem } from './ChartFrame.tsx';
import { HOLIDAY_LEGEND, holidayLines, weekRowLabel } from './holidays.tsx';
import { DASH, SERIES } from './palette.ts';
import { MetricInfo } from '../components/MetricInfo.tsx';

export const CHART_HEIGHT = 210;

interface TrendChartProps {
  readonly metric: TeamWeekMetric;
  readonly title?: string;
  readonly description?: string;
  readonly points: readonly TrendPoint[];
  readonly target?: AgreementTarget | undefined;
  readonly selectedWeek?: string | undefined;
  readonly notes?: readonly string[];
  /** Label of the band, e.g. "Middle half of the team (25th–75th percentile)". */
  readonly bandLabel?: string;
  /** Weeks flagged as probable holidays (marked, still drawn). */
  readonly holidayWeeks?: readonly string[];
}

export function TrendChart({
  metric,
  title,
  description,
  points,
  target,
  selectedWeek,
  notes,
  bandLabel = 'Middle half of the team',
  holidayWeeks = [],
}: TrendChartProps) {
  const { unit, label } = METRICS[metric];
  const hasBand = points.some((point) => point.band !== null);
  const hasOrg = points.some((point) => point.org !== null);
  const targetInScale = target !== undefined && targetFitsScale(points, target.target);
  const legend: LegendItem[] = [
    { label: 'This team', color: SERIES.team, kind: 'line', dots: true },
    ...(hasBand ? [{ label: bandLabel, color: SERIES.band, kind: 'area' as const }] : []),
    ...(hasOrg
      ? [{ label: 'Organisation', color: SERIES.org, kind: 'line' as const, dash: DASH.org }]
      : []),
    ...(target
      ? [
          {
            label: `Target ${formatTarget(target, unit)}${targetInScale ? '' : ' (above the scale)'}`,
            color: SERIES.target,
            kind: 'line' as const,
            dash: DASH.target,
          },
        ]
      : []),
    ...(holidayWeeks.length > 0 ? [HOLIDAY_LEGEND] : []),
  ];
  const data = points.map((point) => ({ ...point, band: point.band ? [...point.band] : null }));

  return (
    <ChartFrame
      id={metric}
      title={title ?? label}
      info={<MetricInfo metric={metric} />}
      description={description}
      legend={legend}
      notes={notes}
      table={{
        columns: [
          { label: 'Week' },
          { label: 'This team' },
          ...(hasBand ? [{ label: '25th–75th percentile' }] : []),
          ...(hasOrg ? [{ label: 'Organisation' }] : []),
        ],
        rows: points.map((point) => [
          weekRowLabel(formatWeek(point.week), point.week, holidayWeeks),
          formatValue(point.value, unit),
          ...(hasBand
            ? [
                point.band
                  ? `${formatValue(point.band[0], unit)} – ${formatValue(point.band[1], unit)}`
                  : '—',
              ]
            : []),
          ...(hasOrg ? [formatValue(point.org, unit)] : []),
        ]),
      }}
    >
      <ComposedChart
        responsive
        style={{ width: '100%', height: CHART_HEIGHT }}
        data={data}
        margin={CHART_MARGIN}
        accessibilityLayer
      >
        <CartesianGrid stroke={SERIES.grid} vertical={false} />
        <XAxis {...weekAxisProps} />
        <YAxis
          {...valueAxisProps}
          tickFormatter={(value: number) => formatTick(value, unit)}
          domain={[0, 'auto']}
          allowDecimals
        />
        <Tooltip
          labelFormatter={weekTooltipLabel}
          formatter={(value, name) => [
            Array.isArray(value)
              ? `${formatValue(Number(value[0]), unit)} – ${formatValue(Number(value[1]), unit)}`
              : formatValue(typeof value === 'number' ? value : null, unit),
            name,
          ]}
        />
        {selectedWeek && (
          <ReferenceLine
            x={selectedWeek}
            stroke={SERIES.selectedWeek}
            strokeDasharray={DASH.selectedWeek}
          />
        )}
        {holidayLines(holidayWeeks)}
        {hasBand && (
          <Area
            dataKey="band"
            name="25th–75th percentile"
            stroke="none"
            fill={SERIES.band}
            fillOpacity={1}
            isAnimationActive={false}
            connectNulls={false}
            activeDot={false}
          />
        )}
        {target && targetInScale && (
          <ReferenceLine
            y={target.target}
            stroke={SERIES.target}
            strokeDasharray={DASH.target}
            strokeWidth={2}
            ifOverflow="extendDomain"
          />
        )}
        {hasOrg && (
          <Line
            dataKey="org"
            name="Organisation"
            stroke={SERIES.org}
            strokeDasharray={DASH.org}
            strokeWidth={1.75}
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
        )}
        <Line
          className="team-series"
          dataKey="value"
          name="This team"
          stroke={SERIES.team}
          strokeWidth={2.5}
          dot={{ r: 3, fill: SERIES.team, strokeWidth: 0 }}
          activeDot={{ r: 5 }}
          isAnimationActive={false}
          connectNulls={false}
        />
      </ComposedChart>
    </ChartFrame>
  );
}
