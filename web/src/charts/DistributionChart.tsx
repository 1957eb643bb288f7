/**
 * How the team's people spread over ranges of a person-week metric, for one week: each bar is a
 * share of the people, rounded to 5 points. The server merges neighbouring fixed buckets until each
 * holds at least minGroupSize people and never sends a head count (docs/privacy.md).
 */
import { Bar, BarChart, CartesianGrid, LabelList, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReactNode } from 'react';
import { DISTRIBUTION_UNITS, type DistributionResponse } from '../../../server/contract/index.ts';
import { formatBucket, formatValue } from '../../../server/contract/format.ts';
import { ChartFrame } from './ChartFrame.tsx';
import { SERIES } from './palette.ts';
import { CHART_HEIGHT } from './TrendChart.tsx';

interface DistributionChartProps {
  readonly title: string;
  readonly info?: ReactNode;
  readonly actions?: ReactNode;
  readonly description: ReactNode;
  readonly distribution: DistributionResponse;
}

export function DistributionChart({
  title,
  info,
  actions,
  description,
  distribution,
}: DistributionChartProps) {
  const unit = DISTRIBUTION_UNITS[distribution.metric];
  const data = distribution.buckets.map((bucket) => ({
    bucket: formatBucket(bucket.from, bucket.to, unit, { compact: true }),
    label: formatBucket(bucket.from, bucket.to, unit),
    percent: Math.round(bucket.share * 100),
  }));
  return (
    <ChartFrame
      id={`distribution-${distribution.metric}`}
      title={title}
      info={info}
      actions={actions}
      description={description}
      table={{
        columns: [{ label: 'Range' }, { label: 'Share of people' }],
        rows: data.map((row) => [row.label, formatValue(row.percent / 100, 'share')]),
      }}
    >
      <BarChart
        responsive
        style={{ width: '100%', height: CHART_HEIGHT }}
        data={data}
        margin={{ top: 18, right: 12, bottom: 0, left: 0 }}
      >
        <CartesianGrid stroke={SERIES.grid} vertical={false} />
        <XAxis dataKey="bucket" stroke={SERIES.axis} tick={{ fontSize: 11 }} interval={0} />
        <YAxis
          width="auto"
          stroke={SERIES.axis}
          tick={{ fontSize: 12 }}
          allowDecimals={false}
          unit="%"
        />
        <Tooltip
          formatter={(value) => [
            formatValue(typeof value === 'number' ? value / 100 : 0, 'share'),
            'Share of people',
          ]}
        />
        <Bar dataKey="percent" name="Share of people" fill={SERIES.team} isAnimationActive={false}>
          <LabelList
            dataKey="percent"
            position="top"
            fontSize={12}
            fill="#1f2328"
            formatter={(value: unknown) => `${String(value)}%`}
          />
        </Bar>
      </BarChart>
    </ChartFrame>
  );
}
