import type { TeamWeekMetric } from '../../../server/contract/index.ts';
import { METRICS } from '../../../server/contract/index.ts';
import { describeChange } from '../../../server/contract/change.ts';

const ARROWS = { up: '▲', down: '▼', flat: '■' } as const;

/**
 * "▲ +4.3 pts" against the previous 4-week average; the arrow and words carry it, not only colour.
 * `footnote` says when that average left weeks out (probable holidays): an asterisk on the badge,
 * the sentence in its tooltip and read out after the change.
 */
export function ChangeBadge({
  metric,
  change,
  footnote = null,
}: {
  readonly metric: TeamWeekMetric;
  readonly change: number | null;
  readonly footnote?: string | null;
}) {
  const display = describeChange(change, METRICS[metric]);
  if (!display) return <span className="change change-unknown">no comparison</span>;
  return (
    <span
      className={`change change-${display.tone}`}
      title={footnote === null ? display.description : `${display.description}. ${footnote}`}
      data-baseline-note={footnote === null ? undefined : 'true'}
    >
      <span aria-hidden="true">
        <span className="change-arrow">{ARROWS[display.direction]}</span> {display.text}
        {footnote !== null && '*'}
      </span>
      <span className="visually-hidden">
        {display.description}
        {footnote !== null && `. ${footnote}`}
      </span>
    </span>
  );
}
