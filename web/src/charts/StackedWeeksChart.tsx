/**
 * Parts of a whole per week as stacked bars: how the working week splits into meetings,
 * fragmented and focus time, or how many working agreements were met. Only renders.
 */
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReactNode } from 'react';
import { formatWeek } from '../lib/dates.ts';
import { CHART_MARGIN, valueAxisProps, weekAxisProps } from './axes.ts';
import { weekTooltipLabel } from './labels.ts';
import { ChartFrame } from './ChartFrame.tsx';
import { DASH, SERIES } from './palette.ts';
import { CHART_HEIGHT } from './TrendChart.tsx';

export interface StackPart {
  readonly key: string;
  readonly label: string;
  readonly color: string;
}

export interface StackRow {
  readonly week: string;
  /** null: the week has no value for this part (drawn as no bar). */
  readonly values: Readonly<Record<string, number | null>>;
}

interface StackedWeeksChartProps {
  readonly id: string;
  readonly title: string;
  readonly info?: ReactNode;
  readonly description: string;
  readonly parts: readonly StackPart[];
  readonly rows: readonly StackRow[];
  readonly format: (value: number | null) => string;
  readonly tick: (value: number) => string;
  readonly domainMax?: number;
  readonly selectedWeek?: string | undefined;
  readonly notes?: readonly string[];
}

export function StackedWeeksChart({
  id,
  title,
  info,
  description,
  parts,
  rows,
  format,
  tick,
  domainMax,
  selectedWeek,
  notes,
}: StackedWeeksChartProps) {
  const data = rows.map((row) => ({ week: row.week, ...row.values }));
  return (
    <ChartFrame
      id={id}
      title={title}
      info={info}
      description={description}
      legend={parts.map((part) => ({ label: part.label, color: part.color, kind: 'area' }))}
      notes={notes}
      table={{
        columns: [{ label: 'Week' }, ...parts.map((part) => ({ label: part.label }))],
        rows: rows.map((row) => [
          formatWeek(row.week),
          ...parts.map((part) => format(row.values[part.key] ?? null)),
        ]),
      }}
    >
      <BarChart
        responsive
        style={{ width: '100%', height: CHART_HEIGHT }}
        data={data}
        margin={CHART_MARGIN}
        barCategoryGap="20%"
      >
        <CartesianGrid stroke={SERIES.grid} vertical={false} />
        <XAxis {...weekAxisProps} />
        <YAxis
          {...valueAxisProps}
          tickFormatter={tick}
          domain={[0, domainMax ?? 'auto']}
          allowDecimals={domainMax !== undefined}
        />
        <Tooltip
          labelFormatter={weekTooltipLabel}
          formatter={(value, name) => [format(typeof value === 'number' ? value : null), name]}
        />
        {selectedWeek && (
          <ReferenceLine
            x={selectedWeek}
            stroke={SERIES.selectedWeek}
            strokeDasharray={DASH.selectedWeek}
          />
        )}
        {parts.map((part) => (
          <Bar
            key={part.key}
            dataKey={part.key}
            name={part.label}
            stackId="week"
            fill={part.color}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartFrame>
  );
}
