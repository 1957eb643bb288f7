/**
 * The report as email HTML: nested tables and inline styles (what mail clients render alike), one
 * column that reads at 360 px and fits charts side by side at 800 px, charts as inline `cid:`
 * images with their numbers in words as alt text, so a client that blocks images still says it.
 */
import type { ReportContent, TeamSection } from './content.ts';
import { formatLongDay } from './format.ts';

export interface ChartImage {
  /** Content-ID of the attached PNG. */
  readonly cid: string;
  readonly width: number;
  readonly height: number;
}

const FONT = `-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif`;
const TEXT = '#111827';
const MUTED = '#4b5563';
const TONE_COLOURS = { better: '#047857', worse: '#b91c1c', neutral: MUTED } as const;
export const CHART_MAX_WIDTH = 360;

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** No line break between a number and its unit, or a comparison and its number ("≥ 12 h"). */
function keepTogether(html: string): string {
  return html.replace(/(\d) (h|min|pts)\b/g, '$1&nbsp;$2').replace(/([≤≥]) (\d)/g, '$1&nbsp;$2');
}

function paragraph(text: string, style = ''): string {
  return `<p style="margin:0 0 12px 0;font-family:${FONT};font-size:15px;line-height:22px;color:${TEXT};${style}">${escapeHtml(text)}</p>`;
}

function headlineTable(team: TeamSection): string {
  const cell = `font-family:${FONT};padding:8px 6px;border-top:1px solid #e5e7eb;vertical-align:top;`;
  const head = `font-family:${FONT};padding:0 6px 6px 6px;font-size:12px;line-height:16px;color:${MUTED};font-weight:normal;`;
  const rows = team.headline.map((number) => {
    const status =
      number.target === null
        ? ''
        : `<br><span style="font-size:12px;line-height:16px;color:${number.met === false ? TONE_COLOURS.worse : MUTED};">target ${escapeHtml(number.target)}${number.met === false ? ' · missed' : number.met === true ? ' · met' : ''}</span>`;
    const value =
      number.reason === null
        ? `<span style="font-size:17px;line-height:22px;font-weight:bold;color:${TEXT};">${escapeHtml(number.value)}</span>`
        : `<span style="font-size:13px;line-height:18px;color:${MUTED};">${escapeHtml(number.value)} ${escapeHtml(number.reason)}</span>`;
    const change =
      number.change === null
        ? `<span style="color:${MUTED};">—</span>`
        : `<span style="color:${TONE_COLOURS[number.change.tone]};white-space:nowrap;">${escapeHtml(number.change.text)}</span>`;
    return `<tr data-metric="${number.metric}">
<td style="${cell}font-size:14px;line-height:19px;color:${TEXT};">${escapeHtml(number.label)}${status}</td>
<td style="${cell}text-align:right;white-space:nowrap;">${value}</td>
<td style="${cell}text-align:right;font-size:14px;line-height:22px;">${change}</td>
<td style="${cell}text-align:right;font-size:14px;line-height:22px;color:${MUTED};white-space:nowrap;">${escapeHtml(number.org)}</td>
</tr>`;
  });
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:0 0 12px 0;">
<tr><th align="left" style="${head}"></th><th align="right" style="${head}">This week</th><th align="right" style="${head}">vs prev. 4&nbsp;wks</th><th align="right" style="${head}">Org.</th></tr>
${rows.join('\n')}
</table>`;
}

function chartBlock(chart: TeamSection['charts'][number], image: ChartImage): string {
  const width = Math.min(image.width, CHART_MAX_WIDTH);
  return `<div style="display:inline-block;width:100%;max-width:${width}px;vertical-align:top;margin:0 0 8px 0;"><img src="cid:${escapeHtml(image.cid)}" width="${width}" alt="${escapeHtml(chart.alt)}" style="display:block;width:100%;max-width:${width}px;height:auto;border:0;outline:none;text-decoration:none;font-family:${FONT};font-size:13px;color:${MUTED};"></div>`;
}

function teamBlock(team: TeamSection, images: ReadonlyMap<string, ChartImage>): string {
  const parts: string[] = [
    `<h2 style="margin:0 0 8px 0;font-family:${FONT};font-size:18px;line-height:24px;color:${TEXT};">${escapeHtml(team.path)}</h2>`,
  ];
  if (team.notice !== null) {
    parts.push(
      `<p data-notice="${team.state}" style="margin:0 0 12px 0;padding:10px 12px;background:#f3f4f6;border-left:3px solid #9ca3af;font-family:${FONT};font-size:14px;line-height:20px;color:${TEXT};">${escapeHtml(team.notice)}</p>`,
    );
  }
  if (team.verdict !== null) {
    // The count first, in bold; the list of misses after it in normal weight, easier to scan.
    const split = team.verdict.indexOf(' Missed: ');
    const head = split === -1 ? team.verdict : team.verdict.slice(0, split);
    const rest = split === -1 ? '' : team.verdict.slice(split);
    parts.push(
      `<p style="margin:0 0 12px 0;font-family:${FONT};font-size:15px;line-height:22px;color:${TEXT};"><strong>${keepTogether(escapeHtml(head))}</strong>${keepTogether(escapeHtml(rest))}</p>`,
    );
  }
  if (team.headline.length > 0) parts.push(headlineTable(team));
  if (team.charts.length > 0) {
    const blocks = team.charts.flatMap((chart) => {
      const image = images.get(chart.id);
      return image === undefined ? [] : [chartBlock(chart, image)];
    });
    parts.push(`<div style="font-size:0;line-height:0;text-align:left;">${blocks.join('')}</div>`);
    if (team.hiddenWeeks.length > 0) {
      parts.push(
        paragraph(
          `Gaps: ${team.hiddenWeeks.join(', ')} (hidden: too few active people).`,
          `font-size:13px;line-height:18px;color:${MUTED};`,
        ),
      );
    }
    if (team.holidayWeeks.length > 0) {
      parts.push(
        paragraph(
          holidayLine(team.holidayWeeks),
          `font-size:13px;line-height:18px;color:${MUTED};`,
        ),
      );
    }
  }
  parts.push(
    `<p style="margin:4px 0 0 0;font-family:${FONT};font-size:14px;line-height:20px;"><a href="${escapeHtml(team.url)}" style="color:#1d4ed8;text-decoration:underline;">Open ${escapeHtml(team.path)} in the dashboard</a></p>`,
  );
  return `<tr><td data-team="${escapeHtml(team.path)}" style="padding:20px 16px;border-top:1px solid #e5e7eb;">${parts.join('\n')}</td></tr>`;
}

/** The footnote on flagged weeks, the same in the HTML and the text part. */
export function holidayLine(weeks: readonly string[]): string {
  return `Probable holidays: ${weeks.join(', ')} (activity far below the team's usual; still charted, left out of the 4-week comparison).`;
}

export function footerLines(content: ReportContent): string[] {
  return [
    'Built from calendar and Slack metadata only: when meetings happen and who accepted them, when messages are sent and answered, never what anyone wrote.',
    `It shows teams, never individuals: a team-week or a number with fewer than ${content.minGroupSize} contributing people is not shown, here or in the dashboard.`,
    'You receive this because you manage people in these teams. To stop receiving it, ask your syncbalance administrator to add your address to report.optOut.',
  ];
}

export function reportHtml(
  content: ReportContent,
  images: ReadonlyMap<string, ChartImage>,
): string {
  const intro =
    content.teams.length === 0
      ? 'None of your teams can be shown.'
      : `Week of ${formatLongDay(content.week)} · ${content.teams.length} team${content.teams.length === 1 ? '' : 's'}`;
  const footer = footerLines(content)
    .map(
      (line) =>
        `<p style="margin:0 0 8px 0;font-family:${FONT};font-size:12px;line-height:17px;color:${MUTED};">${escapeHtml(line)}</p>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(content.subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f3f4f6;-webkit-text-size-adjust:100%;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;">
<tr><td align="center" style="padding:12px 6px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:760px;background:#ffffff;border:1px solid #e5e7eb;">
<tr><td style="padding:20px 16px 12px 16px;">
<h1 style="margin:0 0 4px 0;font-family:${FONT};font-size:22px;line-height:28px;color:${TEXT};">Your teams this week</h1>
<p style="margin:0;font-family:${FONT};font-size:14px;line-height:20px;color:${MUTED};">${escapeHtml(intro)}</p>
</td></tr>
${content.teams.map((team) => teamBlock(team, images)).join('\n')}
<tr><td style="padding:16px;border-top:1px solid #e5e7eb;background:#f9fafb;">
${footer}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}
