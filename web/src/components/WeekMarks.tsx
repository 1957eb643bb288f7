/**
 * The quiet marks on a team-week: a half-filled circle with "calendar data for 12 of 18" when the
 * numbers rest on part of the team, a small flag with "probable holiday week" when its activity is
 * far below the team's usual. Words always come with the icon; colour is never the only signal.
 */
import type { TeamWeekMarks } from '../../../server/contract/index.ts';
import { describeCoverageGap, HOLIDAY_PHRASE } from '../lib/data-health.ts';

export function CoverageIcon() {
  return (
    <svg viewBox="0 0 12 12" width="11" height="11" aria-hidden="true" focusable="false">
      <circle cx="6" cy="6" r="4.8" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path d="M6 1.2a4.8 4.8 0 0 1 0 9.6z" fill="currentColor" />
    </svg>
  );
}

export function HolidayIcon() {
  return (
    <svg viewBox="0 0 12 12" width="11" height="11" aria-hidden="true" focusable="false">
      <path d="M2.5 11V1.5" stroke="currentColor" strokeWidth="1.4" />
      <path d="M3 1.8h6.5L8 4.3l1.5 2.5H3z" fill="currentColor" />
    </svg>
  );
}

export function WeekMarks({
  marks,
  className,
}: {
  readonly marks: TeamWeekMarks | undefined;
  readonly className?: string;
}) {
  if (!marks) return null;
  const gap = describeCoverageGap(marks.coverage);
  if (gap === null && !marks.probable_holiday) return null;
  return (
    <span className={className === undefined ? 'week-marks' : `week-marks ${className}`}>
      {gap !== null && (
        <span className="week-mark week-mark-coverage" data-mark="coverage">
          <CoverageIcon /> {gap}
        </span>
      )}
      {marks.probable_holiday && (
        <span
          className="week-mark week-mark-holiday"
          data-mark="holiday"
          title="Activity far below this team’s usual; left out of the 4-week comparison"
        >
          <HolidayIcon /> {HOLIDAY_PHRASE}
        </span>
      )}
    </span>
  );
}
