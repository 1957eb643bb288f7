/**
 * A 12-week sparkline drawn as plain SVG: the overview shows dozens of them, and they need no
 * axes, tooltips or the charting library. Empty weeks break the line instead of being bridged.
 */
import type { MetricUnit } from '../../../server/contract/index.ts';
import { formatValue } from '../../../server/contract/format.ts';

const WIDTH = 96;
const HEIGHT = 28;
const PAD = 3;

interface SparklineProps {
  readonly values: readonly (number | null)[];
  readonly unit: MetricUnit;
  /** The team's target, drawn as a horizontal line when it is within the values' range. */
  readonly target?: number | undefined;
  readonly label: string;
}

export function Sparkline({ values, unit, target, label }: SparklineProps) {
  const known = values.filter((value): value is number => value !== null);
  const first = known[0];
  const last = known.at(-1);
  if (first === undefined || last === undefined) {
    return <span className="sparkline-empty">no trend</span>;
  }
  // Scaled to the team's own values, so small moves stay visible; the target is drawn only when it
  // falls inside that range, where it shows the weeks on either side of it.
  const low = Math.min(...known);
  const high = Math.max(...known);
  const span = high - low || 1;
  const showTarget = target !== undefined && target >= low && target <= high;
  const step = values.length > 1 ? (WIDTH - 2 * PAD) / (values.length - 1) : 0;
  const x = (index: number) => PAD + index * step;
  const y = (value: number) => HEIGHT - PAD - ((value - low) / span) * (HEIGHT - 2 * PAD);

  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((value, index) => {
    if (value === null) {
      if (current.length > 0) segments.push(current.join(' '));
      current = [];
      return;
    }
    current.push(`${x(index).toFixed(1)},${y(value).toFixed(1)}`);
  });
  if (current.length > 0) segments.push(current.join(' '));
  const lastIndex = values.findLastIndex((value) => value !== null);

  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={`${label}, last ${values.length} weeks: from ${formatValue(first, unit)} to ${formatValue(last, unit)}`}
    >
      {showTarget && (
        <line
          className="sparkline-target"
          x1={PAD}
          x2={WIDTH - PAD}
          y1={y(target)}
          y2={y(target)}
        />
      )}
      {segments.map((points) =>
        points.includes(' ') ? (
          <polyline key={points} className="sparkline-line" points={points} />
        ) : null,
      )}
      {values.map((value, index) =>
        value === null || (index !== lastIndex && !isolated(values, index)) ? null : (
          <circle key={index} className="sparkline-point" cx={x(index)} cy={y(value)} r={2} />
        ),
      )}
    </svg>
  );
}

/** A week with empty neighbours would be invisible as a line, so it gets a dot. */
function isolated(values: readonly (number | null)[], index: number): boolean {
  return (values[index - 1] ?? null) === null && (values[index + 1] ?? null) === null;
}
