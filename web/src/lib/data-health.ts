/**
 * Words for what a week's numbers rest on: how many members each source covers, whether the week
 * looks like a holiday, and which weeks the 4-week comparison averaged. Pure, so the Data page,
 * the team page and the overview say it the same way and the wording is unit-tested.
 */
import type { TeamWeekCoverage, TeamWeekMarks } from '../../../server/contract/index.ts';
import { formatShortDay } from './dates.ts';

/**
 * "calendar data for 12 of 18", "Slack data for 16 of 18", or both joined; null when every member
 * is covered by both sources (nothing worth a mark). Counts are the team-week's, which the API only
 * gives for a team-week that is shown at all.
 */
export function describeCoverageGap(coverage: TeamWeekCoverage | null): string | null {
  if (coverage === null || coverage.members === 0) return null;
  const parts: string[] = [];
  if (coverage.calendar < coverage.members)
    parts.push(`calendar data for ${coverage.calendar} of ${coverage.members}`);
  if (coverage.slack < coverage.members)
    parts.push(`Slack data for ${coverage.slack} of ${coverage.members}`);
  return parts.length === 0 ? null : parts.join(', ');
}

/** The quiet marks of one team-week, as short phrases ("probable holiday week", …); may be empty. */
export function weekMarkPhrases(marks: TeamWeekMarks | undefined): string[] {
  if (!marks) return [];
  const gap = describeCoverageGap(marks.coverage);
  return [...(gap === null ? [] : [gap]), ...(marks.probable_holiday ? [HOLIDAY_PHRASE] : [])];
}

export const HOLIDAY_PHRASE = 'probable holiday week';

/**
 * The footnote of a change badge whose baseline skipped flagged weeks: "Average of 4 weeks,
 * leaving out 19 Oct (probable holiday)." Null when nothing was skipped (the badge's usual
 * reading, "against the previous 4 weeks", is then exact). Short, because in a year of ordinary
 * data several teams carry one.
 */
export function describeBaseline(
  baselineWeeks: readonly string[],
  skippedHolidays: readonly string[],
): string | null {
  if (skippedHolidays.length === 0) return null;
  const weeks = baselineWeeks.length === 1 ? '1 week' : `${baselineWeeks.length} weeks`;
  const skipped = skippedHolidays.map(formatShortDay).join(', ');
  const noun = skippedHolidays.length === 1 ? 'probable holiday' : 'probable holidays';
  return `Average of ${weeks}, leaving out ${skipped} (${noun}).`;
}

/** The coverage measures the Data page's heatmap can show, in the order of its toggle. */
export const COVERAGE_MEASURES = ['both', 'calendar', 'slack', 'neither'] as const;
export type CoverageMeasure = (typeof COVERAGE_MEASURES)[number];

export const COVERAGE_MEASURE_LABELS: Readonly<Record<CoverageMeasure, string>> = {
  both: 'Calendar and Slack',
  calendar: 'Calendar',
  slack: 'Slack',
  neither: 'Neither',
};

/**
 * How well a cell is covered, for its shade: the share of members with data ("neither" is turned
 * around, so a darker shade always means more data behind the numbers). Text always carries the
 * count too; the shade only helps scanning.
 */
export type CoverageLevel = 'full' | 'most' | 'half' | 'low';

export function coverageLevel(coverage: TeamWeekCoverage, measure: CoverageMeasure): CoverageLevel {
  if (coverage.members === 0) return 'low';
  const covered = measure === 'neither' ? coverage.members - coverage.neither : coverage[measure];
  const share = covered / coverage.members;
  if (share >= 1) return 'full';
  if (share >= 0.75) return 'most';
  if (share >= 0.5) return 'half';
  return 'low';
}

/** The cell's own text in the heatmap: "16/18". */
export function coverageCellText(coverage: TeamWeekCoverage, measure: CoverageMeasure): string {
  return `${coverage[measure]}/${coverage.members}`;
}

/** What a screen reader hears for a heatmap cell, every count spelled out. */
export function describeCoverage(coverage: TeamWeekCoverage): string {
  return (
    `${coverage.members} members: ${coverage.calendar} with calendar data, ${coverage.slack} ` +
    `with Slack data, ${coverage.both} with both, ${coverage.neither} with neither`
  );
}

/** "96%" for a share of the roster, "—" when unknown. */
export function formatShare(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)}%`;
}
