/**
 * Probable holiday weeks in a weekly chart: a dotted vertical line labelled "holiday?", a legend
 * entry, and the words in the data table. The week stays in the chart (it happened); the mark says
 * why it dips and that the 4-week comparison leaves it out.
 */
import { ReferenceLine } from 'recharts';
import type { LegendItem } from './ChartFrame.tsx';
import { DASH, SERIES } from './palette.ts';

export const HOLIDAY_LEGEND: LegendItem = {
  label: 'Probable holiday week',
  color: SERIES.holiday,
  kind: 'line',
  dash: DASH.holiday,
};

/** Recharts finds reference lines among a chart's direct children, so this returns elements. */
export function holidayLines(weeks: readonly string[]) {
  return weeks.map((week) => (
    <ReferenceLine
      key={`holiday-${week}`}
      x={week}
      className="holiday-week"
      stroke={SERIES.holiday}
      strokeDasharray={DASH.holiday}
      strokeWidth={1.5}
      label={{ value: 'holiday?', position: 'insideTop', fontSize: 10, fill: SERIES.holiday }}
    />
  ));
}

/** The week's label in a chart's data table: "19–25 Oct 2026 (probable holiday)". */
export function weekRowLabel(label: string, week: string, holidays: readonly string[]): string {
  return holidays.includes(week) ? `${label} (probable holiday)` : label;
}
