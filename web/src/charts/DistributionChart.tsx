/**
 * How many of the team's people fall into each bucket of a person-week metric, for one week. The
 * buckets are fixed in the contract, the same for every team, and only counts ever arrive here.
 */
import { Bar, BarChart, CartesianGrid, LabelList, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReactNode } from 'react';
import { DISTRIBUTION_UNITS, type DistributionResponse } from '../../../server/contract/index.ts';
import { formatBucket, formatPeople } from '../lib/format.ts';
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
    count: bucket.count,
  }));
  return (
    <ChartFrame
      id={`distribution-${distribution.metric}`}
      title={title}
      info={info}
      actions={actions}
      description={description}
      table={{
        columns: [{ label: 'Range' }, { label: 'People' }],
        rows: data.map((row) => [row.label, String(row.count)]),
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
        <YAxis width="auto" stroke={SERIES.axis} tick={{ fontSize: 12 }} allowDecimals={false} />
        <Tooltip
          formatter={(value) => [formatPeople(typeof value === 'number' ? value : 0), 'People']}
        />
        <Bar dataKey="count" name="People" fill={SERIES.team} isAnimationActive={false}>
          <LabelList dataKey="count" position="top" fontSize={12} fill="#1f2328" />
        </Bar>
      </BarChart>
    </ChartFrame>
  );
}
