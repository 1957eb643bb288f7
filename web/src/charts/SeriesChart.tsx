/**
 * Several metrics of the same unit as lines over the weeks (kinds of meetings). Each series has
 * its own colour and dash pattern. Medians of parts do not add up to the median of the whole,
 * so they are drawn side by side, never stacked.
 */
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { METRICS, type TeamWeek, type TeamWeekMetric } from '../../../server/contract/index.ts';
import { formatWeek } from '../lib/dates.ts';
import { formatTick, formatValue } from '../../../server/contract/format.ts';
import { InfoPopover } from '../components/InfoPopover.tsx';
import { explainMetric } from '../lib/metric-docs.ts';
import { CHART_MARGIN, valueAxisProps, weekAxisProps } from './axes.ts';
import { weekTooltipLabel } from './labels.ts';
import { ChartFrame } from './ChartFrame.tsx';
import { HOLIDAY_LEGEND, holidayLines, weekRowLabel } from './holidays.tsx';
import { DASH, SERIES } from './palette.ts';
import { CHART_HEIGHT } from './TrendChart.tsx';

export interface Series {
  readonly metric: TeamWeekMetric;
  readonly color: string;
  readonly dash?: string;
}

interface SeriesChartProps {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly series: readonly Series[];
  readonly weeks: readonly TeamWeek[];
  readonly selectedWeek?: string | undefined;
  readonly notes?: readonly string[];
  /** Weeks flagged as probable holidays (marked, still drawn). */
  readonly holidayWeeks?: readonly string[];
}

export function SeriesChart({
  id,
  title,
  description,
  series,
  weeks,
  selectedWeek,
  notes,
  holidayWeeks = [],
}: SeriesChartProps) {
  const unit = METRICS[series[0]?.metric ?? 'meeting_hours_median'].unit;
  const data = weeks.map((week) => ({
    week: week.week_start,
    ...Object.fromEntries(series.map(({ metric }) => [metric, week.metrics[metric].value])),
  }));
  return (
    <ChartFrame
      id={id}
      title={title}
      info={
        <InfoPopover subject={title}>
          {series.map(({ metric }) => {
            const { label, definition } = explainMetric(metric);
            return (
              <p key={metric}>
                <strong>{label}:</strong> {definition}
              </p>
            );
          })}
          <p className="popover-note">
            {explainMetric(series[0]?.metric ?? 'meeting_hours_median').aggregation}
          </p>
        </InfoPopover>
      }
      description={description}
      legend={[
        ...series.map(({ metric, color, dash }) => ({
          label: METRICS[metric].label,
          color,
          kind: 'line' as const,
          dash,
          dots: true,
        })),
        ...(holidayWeeks.length > 0 ? [HOLIDAY_LEGEND] : []),
      ]}
      notes={notes}
      table={{
        columns: [
          { label: 'Week' },
          ...series.map(({ metric }) => ({ label: METRICS[metric].label })),
        ],
        rows: weeks.map((week) => [
          weekRowLabel(formatWeek(week.week_start), week.week_start, holidayWeeks),
          ...series.map(({ metric }) => formatValue(week.metrics[metric].value, unit)),
        ]),
      }}
    >
      <LineChart
        responsive
        style={{ width: '100%', height: CHART_HEIGHT }}
        data={data}
        margin={CHART_MARGIN}
      >
        <CartesianGrid stroke={SERIES.grid} vertical={false} />
        <XAxis {...weekAxisProps} />
        <YAxis
          {...valueAxisProps}
          tickFormatter={(value: number) => formatTick(value, unit)}
          domain={[0, 'auto']}
        />
        <Tooltip
          labelFormatter={weekTooltipLabel}
          formatter={(value, name) => [
            formatValue(typeof value === 'number' ? value : null, unit),
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
        {series.map(({ metric, color, dash }) => (
          <Line
            key={metric}
            dataKey={metric}
            name={METRICS[metric].label}
            stroke={color}
            strokeWidth={2.25}
            strokeDasharray={dash}
            dot={{ r: 2.5, fill: color, strokeWidth: 0 }}
            isAnimationActive={false}
            connectNulls={false}
          />
        ))}
      </LineChart>
    </ChartFrame>
  );
}
