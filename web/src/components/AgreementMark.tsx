import type { MetricUnit } from '../../../server/contract/index.ts';
import {
  describeTarget,
  formatTarget,
  type AgreementStatus,
  type AgreementTarget,
} from '../lib/agreements.ts';

/** Marks a value that breaks the team's working agreement, in words and with an icon. */
export function AgreementMark({
  status,
  target,
  unit,
}: {
  readonly status: AgreementStatus;
  readonly target: AgreementTarget | undefined;
  readonly unit: MetricUnit;
}) {
  // Only breaches are marked: a tick on every kept target would drown them out.
  if (status !== 'missed' || !target) return null;
  return (
    <span className="agreement agreement-missed">
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
        <path d="M8 1.5 15 14H1z" fill="currentColor" />
        <rect x="7.25" y="5.5" width="1.5" height="4.5" fill="#fff" />
        <rect x="7.25" y="11" width="1.5" height="1.5" fill="#fff" />
      </svg>
      <span aria-hidden="true">target {formatTarget(target, unit)}</span>
      <span className="visually-hidden">
        missed the working agreement of {describeTarget(target, unit)}
      </span>
    </span>
  );
}
