/**
 * One manager's report for one week: which teams (the dashboard's permission rule), their
 * presented team-weeks, the content, the charts drawn to PNG, and the HTML and text parts.
 */
import { staleBuildSettings } from '../../warehouse/build.ts';
import type { Config } from '../../warehouse/config.ts';
import { addDays, lastCompleteWeekStart, weekStart } from '../../warehouse/dates.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { InputError, RuntimeFailure } from '../../warehouse/errors.ts';
import { normaliseEmail } from '../../warehouse/identity.ts';
import type { TeamWeek } from '../contract/api.ts';
import { accessFor } from '../permissions.ts';
import { missingMarts } from '../queries/readiness.ts';
import { agreementsOf } from '../present/team.ts';
import { presentTeamWeek } from '../present/team-week.ts';
import { WarehouseReads } from '../reads.ts';
import { reportSubject, teamSection, TREND_WEEKS, type ReportContent } from './content.ts';
import { reportHtml, type ChartImage } from './html.ts';
import { renderChart } from './render-chart.ts';
import { reportText } from './text.ts';

export interface ReportAttachment {
  readonly cid: string;
  readonly filename: string;
  readonly content: Buffer;
  readonly width: number;
  readonly height: number;
  /** The SVG the PNG was drawn from (for previews and structural tests; never attached). */
  readonly svg: string;
}

export interface RenderedReport {
  readonly manager: string;
  readonly week: string;
  readonly content: ReportContent;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly attachments: readonly ReportAttachment[];
}

/**
 * The teams a report covers: for a manager, the teams of their reports, exactly as in the
 * dashboard; for an admin (who sees everything there), the teams `report.teams` lists for them,
 * else the teams of their own reports, so an admin is never mailed the whole organisation unasked.
 */
export async function reportTeams(
  reads: WarehouseReads,
  config: Config,
  email: string,
): Promise<string[]> {
  const address = normaliseEmail(email);
  const chosen = Object.entries(config.report.teams).find(
    ([admin]) => normaliseEmail(admin) === address,
  )?.[1];
  if (config.admins.includes(address) && chosen !== undefined) {
    const known = new Set(await reads.allTeamPaths());
    return [...new Set(chosen)].filter((team) => known.has(team)).sort();
  }
  const access = await accessFor(reads, config, {
    signedIn: true,
    email: address,
    localAdmin: false,
  });
  return [...access.teams];
}

/** The week a report is about: the given date's week, else the latest complete week with data. */
export async function reportWeek(
  reads: WarehouseReads,
  config: Config,
  now: Date,
  week?: string,
): Promise<string | null> {
  const lastComplete = lastCompleteWeekStart(now, config.timezone);
  if (week === undefined) return reads.latestCompleteWeek(lastComplete);
  const monday = weekStart(week);
  // Half a week's meetings would read as a drop: only weeks that have ended are reported.
  if (monday > lastComplete)
    throw InputError.at({ field: '--week' }, `the week of ${monday} has not ended yet`);
  return monday;
}

/** Like the API, the report shows nothing from marts that are missing or built with other settings. */
export async function assertReportable(db: Warehouse, config: Config): Promise<void> {
  const missing = await missingMarts(db);
  if (missing.length > 0)
    throw new RuntimeFailure(
      `the warehouse has no built models yet (${missing.join(', ')}): run 'syncbalance build' first`,
    );
  const stale = await staleBuildSettings(db, config);
  if (stale.length > 0)
    throw new RuntimeFailure(
      `the warehouse was not built with the current settings: run 'syncbalance build' first`,
      stale,
    );
}

export interface RenderReportOptions {
  readonly db: Warehouse;
  readonly config: Config;
  readonly manager: string;
  readonly week: string;
  /** Shared between the reports of one run, so each team is read once. */
  readonly reads?: WarehouseReads;
  /** The teams to cover; default `reportTeams`. */
  readonly teams?: readonly string[];
}

export async function renderReport(options: RenderReportOptions): Promise<RenderedReport> {
  const { config, week } = options;
  const reads = options.reads ?? new WarehouseReads(options.db);
  const manager = normaliseEmail(options.manager);
  const teams = options.teams ?? (await reportTeams(reads, config, manager));
  const rows = await reads.teamWeeks(teams, addDays(week, -7 * (TREND_WEEKS - 1)), week);
  const min = config.minGroupSize;
  const sections = teams.map((team) => {
    const agreements = agreementsOf(config, team);
    const weeks: TeamWeek[] = rows
      .filter((row) => row.team === team)
      .map((row) => presentTeamWeek(row, agreements, min));
    return teamSection({ path: team, agreements, weeks }, week, config.report.dashboardUrl);
  });
  const content: ReportContent = {
    week,
    subject: reportSubject(week, sections),
    teams: sections,
    minGroupSize: min,
  };
  const attachments: ReportAttachment[] = [];
  for (const chart of sections.flatMap((section) => section.charts)) {
    const drawn = await renderChart(chart.spec);
    attachments.push({
      cid: chart.id,
      filename: `${chart.id.replace(/@.*$/, '')}.png`,
      content: drawn.png,
      width: drawn.width,
      height: drawn.height,
      svg: drawn.svg,
    });
  }
  const images = new Map<string, ChartImage>(
    attachments.map((attachment) => [
      attachment.cid,
      { cid: attachment.cid, width: attachment.width, height: attachment.height },
    ]),
  );
  return {
    manager,
    week,
    content,
    subject: content.subject,
    html: reportHtml(content, images),
    text: reportText(content),
    attachments,
  };
}
