import type { TeamWeekMetric } from '../../../server/contract/index.ts';
import { METRICS } from '../../../server/contract/index.ts';
import { describeChange } from '../../../server/contract/change.ts';

const ARROWS = { up: '▲', down: '▼', flat: '■' } as const;

/** "▲ +4.3 pts" against the previous 4-week average; the arrow and words carry it, not only colour. */
export function ChangeBadge({
  metric,
  change,
}: {
  readonly metric: TeamWeekMetric;
  readonly change: number | null;
}) {
  const display = describeChange(change, METRICS[metric]);
  if (!display) return <span className="change change-unknown">no comparison</span>;
  return (
    <span className={`change change-${display.tone}`} title={display.description}>
      <span aria-hidden="true">
        <span className="change-arrow">{ARROWS[display.direction]}</span> {display.text}
      </span>
      <span className="visually-hidden">{display.description}</span>
    </span>
  );
}
