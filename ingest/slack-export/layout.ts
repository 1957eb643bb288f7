/**
 * Slack's standard export layout: `users.json` (`org_users.json` on Enterprise Grid) and the
 * conversation listings at the top, and one folder per conversation holding one JSON array per
 * day with activity (`general/2026-01-05.json`). Public channels, private channels and group DMs
 * have folders named after the conversation's `name`; DMs, which have no name, after their `id`.
 *
 * An export zipped again together with its folder (`acme/users.json`, …) is accepted too: the
 * export's root is the shallowest folder holding `users.json` or `channels.json`.
 */
import type { ConversationType } from '../../warehouse/raw/slack.ts';
import { isIsoDate } from '../../warehouse/dates.ts';
import { InputError } from '../../warehouse/errors.ts';
import type { ExportFile, ExportSource } from './source.ts';

export const LISTINGS = [
  { file: 'channels.json', type: 'public_channel', folderBy: 'name' },
  { file: 'groups.json', type: 'private_channel', folderBy: 'name' },
  { file: 'dms.json', type: 'im', folderBy: 'id' },
  { file: 'mpims.json', type: 'mpim', folderBy: 'name' },
  // Conversations attached to files, such as a canvas's comments (folders FC…): people write in
  // them like in a private channel, which is what they are counted as.
  { file: 'file_conversations.json', type: 'private_channel', folderBy: 'id' },
] as const satisfies readonly {
  file: string;
  type: ConversationType;
  folderBy: 'name' | 'id';
}[];
export type Listing = (typeof LISTINGS)[number];

const USER_FILES = ['users.json', 'org_users.json'] as const;
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.json$/;

export interface ConversationFolder {
  /** The folder's name, as the listings refer to it. */
  readonly name: string;
  /** Day files in date order, so that a later day's copy of a message wins. */
  readonly days: readonly ExportFile[];
}

export interface ExportLayout {
  readonly userFiles: readonly ExportFile[];
  readonly listings: readonly { readonly listing: Listing; readonly file: ExportFile }[];
  readonly folders: readonly ConversationFolder[];
  readonly dayFileCount: number;
  /** The first and last day with a day file (`YYYY-MM-DD`): the period the export covers. */
  readonly firstDay: string | null;
  readonly lastDay: string | null;
}

/** Files only a Slack export has at its top: any of them marks the export's root. */
const ROOT_MARKERS: ReadonlySet<string> = new Set([
  ...USER_FILES,
  ...LISTINGS.map((listing) => listing.file),
]);

function rootOf(files: readonly ExportFile[]): string | null {
  let best: string | null = null;
  for (const { path } of files) {
    const slash = path.lastIndexOf('/');
    const name = path.slice(slash + 1);
    if (!ROOT_MARKERS.has(name)) continue;
    const root = path.slice(0, slash + 1);
    if (root.startsWith('__MACOSX/')) continue;
    if (best === null || root.split('/').length < best.split('/').length) best = root;
  }
  return best;
}

export function readLayout(source: ExportSource, label: string): ExportLayout {
  const root = rootOf(source.files);
  if (root === null) {
    throw InputError.at(
      { file: label },
      'is not a Slack export: none of users.json, channels.json, groups.json, dms.json or mpims.json is there (expected Slack’s standard export: users.json, channels.json and one folder per conversation)',
    );
  }
  const top = new Map<string, ExportFile>();
  const byFolder = new Map<string, { date: string; file: ExportFile }[]>();
  for (const file of source.files) {
    if (!file.path.startsWith(root)) continue;
    const parts = file.path.slice(root.length).split('/');
    if (parts.length === 1 && parts[0] !== undefined) top.set(parts[0], file);
    else if (parts.length === 2 && parts[0] !== undefined && parts[1] !== undefined) {
      // Other files in a conversation folder (attachments, canvases) are not day files.
      const date = DAY_FILE.exec(parts[1])?.[1];
      if (date === undefined || !isIsoDate(date)) continue;
      const days = byFolder.get(parts[0]) ?? [];
      days.push({ date, file });
      byFolder.set(parts[0], days);
    }
  }
  const listings = LISTINGS.flatMap((listing) => {
    const file = top.get(listing.file);
    return file === undefined ? [] : [{ listing, file }];
  });
  const userFiles = USER_FILES.flatMap((name) => top.get(name) ?? []);
  if (userFiles.length === 0) {
    // The root was found by a listing, so there is one to name.
    const present = listings.map(({ listing }) => listing.file).join(', ');
    throw InputError.at(
      { file: source.describe(`${root}users.json`) },
      `is missing: a Slack export lists its members in users.json (org_users.json on Enterprise Grid); this one has ${present} but no list of members (export again with members included, or add users.json)`,
    );
  }
  if (listings.length === 0) {
    throw InputError.at(
      { file: source.describe(`${root}channels.json`) },
      'is missing: a Slack export lists its conversations in channels.json (and groups.json, dms.json, mpims.json)',
    );
  }
  const folders = [...byFolder.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, days]) => ({
      name,
      days: days.sort((a, b) => (a.date < b.date ? -1 : 1)).map((day) => day.file),
    }));
  const dates = [...byFolder.values()].flatMap((days) => days.map((day) => day.date)).sort();
  return {
    userFiles,
    listings,
    folders,
    dayFileCount: folders.reduce((total, folder) => total + folder.days.length, 0),
    firstDay: dates[0] ?? null,
    lastDay: dates.at(-1) ?? null,
  };
}
