/** Rows of marts.team_week_marks as `readTeamWeeks` returns them, for presenter tests. */
import type { WeekMarksRow } from '../../warehouse/data-health.ts';

export function marksRow(
  options: {
    readonly suppressed?: boolean;
    readonly holiday?: boolean;
    readonly z?: number | null;
    readonly members?: number;
    readonly calendar?: number;
    readonly slack?: number;
  } = {},
): WeekMarksRow {
  const suppressed = options.suppressed ?? false;
  const members = options.members ?? 8;
  const calendar = options.calendar ?? members;
  const slack = options.slack ?? members;
  const both = Math.max(0, calendar + slack - members);
  return {
    marks_coverage_shown: !suppressed,
    marks_suppressed: suppressed,
    marks_members: members,
    marks_calendar: suppressed ? null : calendar,
    marks_slack: suppressed ? null : slack,
    marks_both: suppressed ? null : both,
    marks_neither: suppressed ? null : members - calendar - slack + both,
    marks_probable_holiday: options.holiday ?? false,
    marks_activity_z: options.z ?? null,
  };
}
