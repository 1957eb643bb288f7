import type { TeamWeekMetric } from '../../../server/contract/index.ts';
import { explainMetric } from '../lib/metric-docs.ts';
import { InfoPopover } from './InfoPopover.tsx';

/** The info button of a metric: its definition from docs/metrics.md and how the team value is formed. */
export function MetricInfo({ metric }: { readonly metric: TeamWeekMetric }) {
  const { label, definition, aggregation } = explainMetric(metric);
  return (
    <InfoPopover subject={label}>
      <p>{definition}</p>
      <p className="popover-note">{aggregation}</p>
    </InfoPopover>
  );
}
