/** The plain-text part: the same numbers as the HTML, in the same order, for every client. */
import type { ReportContent } from './content.ts';
import { formatLongDay } from './format.ts';
import { footerLines, holidayLine } from './html.ts';

export function reportText(content: ReportContent): string {
  const lines: string[] = ['Your teams this week', `Week of ${formatLongDay(content.week)}`, ''];
  if (content.teams.length === 0) lines.push('None of your teams can be shown.', '');
  for (const team of content.teams) {
    lines.push(team.path, '='.repeat(Math.min(team.path.length, 60)));
    if (team.notice !== null) lines.push(team.notice);
    if (team.verdict !== null) lines.push(team.verdict);
    if (team.headline.length > 0) lines.push('');
    for (const number of team.headline) {
      const value = number.reason === null ? number.value : `${number.value} ${number.reason}`;
      const target =
        number.target === null
          ? ''
          : ` (target ${number.target}${number.met === false ? ', missed' : number.met === true ? ', met' : ''})`;
      const change = number.change === null ? '—' : number.change.text;
      lines.push(
        `- ${number.label}: ${value}${target}; vs prev. 4 wks ${change}; org. ${number.org}`,
      );
    }
    if (team.charts.length > 0) {
      lines.push('');
      for (const chart of team.charts) lines.push(chart.alt);
      if (team.hiddenWeeks.length > 0)
        lines.push(`Gaps: ${team.hiddenWeeks.join(', ')} (hidden: too few active people).`);
      if (team.holidayWeeks.length > 0) lines.push(holidayLine(team.holidayWeeks));
    }
    lines.push('', `Open ${team.path} in the dashboard: ${team.url}`, '');
  }
  lines.push('--', ...footerLines(content));
  return `${lines.join('\n')}\n`;
}
