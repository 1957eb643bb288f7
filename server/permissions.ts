/**
 * Who may see which team. Admins (`config.admins`, and the local admin of mode `none`) see every
 * team; a manager sees the teams of their direct and indirect reports with their descendants
 * (`marts.team_access`); anyone else sees nothing. A team the viewer may not see is answered
 * exactly like a team that does not exist (404), so its existence does not leak.
 */
import type { Config } from '../warehouse/config.ts';
import type { Viewer } from './auth/authenticate.ts';
import type { Me } from './contract/api.ts';
import { ApiError, teamNotFound } from './http/errors.ts';
import type { WarehouseReads } from './reads.ts';

export type Role = Me['role'];

export interface Access {
  readonly role: Role;
  /** Every team the viewer may see, sorted. */
  readonly teams: readonly string[];
  readonly visible: ReadonlySet<string>;
}

function access(role: Role, teams: readonly string[]): Access {
  return { role, teams, visible: new Set(teams) };
}

export async function accessFor(
  reads: WarehouseReads,
  config: Config,
  viewer: Viewer,
): Promise<Access> {
  if (viewer.localAdmin || (viewer.email !== null && config.admins.includes(viewer.email)))
    return access('admin', await reads.allTeamPaths());
  if (viewer.email === null) return access('none', []);
  const shared = await reads.teamPathsSharedWith(viewer.email);
  return access(shared.length > 0 ? 'manager' : 'none', shared);
}

function canViewTeam(viewerAccess: Access, team: string): boolean {
  return viewerAccess.visible.has(team);
}

/** Throws the not-found answer unless the viewer may see `team`. */
export function assertCanViewTeam(viewerAccess: Access, team: string): void {
  if (!canViewTeam(viewerAccess, team)) throw teamNotFound();
}

/** `team` and its descendants that the viewer may see. */
export function visibleSubtree(viewerAccess: Access, team: string): string[] {
  return viewerAccess.teams.filter((path) => path === team || path.startsWith(`${team}/`));
}

/** Data routes need someone signed in; who may see what is decided per team afterwards. */
export function assertSignedIn(viewer: Viewer): void {
  if (!viewer.signedIn) throw new ApiError('unauthenticated', 'sign in to see team data');
}
