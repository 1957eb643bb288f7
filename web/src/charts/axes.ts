/** The frame every weekly chart shares: margins, the week axis and the value axis's styling. */
import { formatShortDay } from '../lib/dates.ts';
import { SERIES } from './palette.ts';

export const CHART_MARGIN = { top: 8, right: 12, bottom: 0, left: 0 };

export const weekAxisProps = {
  dataKey: 'week',
  tickFormatter: (week: string) => formatShortDay(week),
  stroke: SERIES.axis,
  tick: { fontSize: 12 },
  minTickGap: 16,
} as const;

export const valueAxisProps = {
  niceTicks: 'snap125',
  width: 'auto',
  stroke: SERIES.axis,
  tick: { fontSize: 12 },
} as const;
