/** A team as the API shows it: its place in the viewer's tree, its size and its agreements. */
import { agreementsFor, type Config } from '../../warehouse/config.ts';
import type { Team, TeamAgreements } from '../contract/api.ts';
import type { TeamRow } from '../queries/teams.ts';

export function agreementsOf(config: Config, team: string): TeamAgreements {
  const agreements = agreementsFor(config, team);
  return {
    meeting_load_pct_max: agreements.meetingLoadPctMax ?? null,
    focus_hours_min: agreements.focusHoursMin ?? null,
    response_median_working_minutes_max: agreements.responseMedianWorkingMinutesMax ?? null,
    off_hours_share_max: agreements.offHoursShareMax ?? null,
  };
}

/**
 * `parent_path` names the parent only when the viewer may see it too; otherwise the team is a
 * root of the viewer's tree (a manager of Engineering/Platform does not get Engineering).
 */
export function presentTeam(row: TeamRow, config: Config, visible: ReadonlySet<string>): Team {
  return {
    path: row.team_path,
    name: row.team_name,
    parent_path: row.parent_path !== null && visible.has(row.parent_path) ? row.parent_path : null,
    depth: row.depth,
    members_now: row.members_now,
    agreements: agreementsOf(config, row.team_path),
  };
}
