/**
 * Workspaces for the Slack emulator: a small hand-made one whose every free-text field holds a
 * canary marker, and one built from a generated Slack export (test/slack-export/generate-export.ts)
 * so the same messages can be imported from the export and synced from the API. Kept free of
 * vitest so the benchmark can use it.
 */
import type { ExportPlan } from '../slack-export/generate-export.ts';
import {
  ALL_SCOPES,
  type EmulatedConversation,
  type EmulatedMessage,
  type EmulatedUser,
  type EmulatedWorkspace,
} from './emulator.ts';

/** Every free-text value the emulator returns starts with this; none may be stored or printed. */
export const CANARY = 'zqcanary';

export const USER_TOKEN = 'xoxp-1111-2222-3333-user0canarysecret';
export const BOT_TOKEN = 'xoxb-1111-2222-bot0canarysecret';
export const NO_IM_TOKEN = 'xoxp-1111-2222-3333-noimhistory';
export const REVOKED_TOKEN = 'xoxp-1111-2222-3333-revoked';

/** Slack `ts` for an instant in ms plus a sequence number in the microseconds. */
export function tsAt(ms: number, sequence = 0): string {
  return `${Math.floor(ms / 1000)}.${String(sequence).padStart(6, '0')}`;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function canaryText(field: string): string {
  return `${CANARY}-${field}`;
}

function profile(id: string, email: string | null): Record<string, unknown> {
  return {
    real_name: canaryText(`real-name-${id}`),
    display_name: canaryText(`display-${id}`),
    title: canaryText(`title-${id}`),
    phone: canaryText(`phone-${id}`),
    status_text: canaryText(`status-${id}`),
    status_emoji: ':palm_tree:',
    first_name: canaryText(`first-${id}`),
    last_name: canaryText(`last-${id}`),
    image_72: `https://avatars.example.com/${canaryText(id)}.png`,
    ...(email === null ? {} : { email }),
  };
}

function user(id: string, extra: Partial<EmulatedUser> = {}): EmulatedUser {
  return {
    id,
    name: canaryText(`handle-${id}`),
    real_name: canaryText(`real-${id}`),
    deleted: false,
    is_bot: false,
    tz: 'Europe/Berlin',
    tz_label: canaryText(`tz-label-${id}`),
    profile: profile(id, `${id.toLowerCase()}@example.com`),
    ...extra,
  };
}

/** A message as Slack's API returns it, with canary markers in every free-text field. */
export function message(
  ts: string,
  userId: string | null,
  extra: Partial<EmulatedMessage> = {},
): EmulatedMessage {
  const text = canaryText(`text-${ts}`);
  return {
    type: 'message',
    ts,
    ...(userId === null ? {} : { user: userId }),
    text,
    client_msg_id: `00000000-0000-4000-8000-${ts.replace('.', '').slice(-12)}`,
    blocks: [
      {
        type: 'rich_text',
        block_id: 'b1',
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
      },
    ],
    attachments: [
      {
        fallback: canaryText('fallback'),
        text: canaryText('attachment'),
        title: canaryText('attachment-title'),
      },
    ],
    files: [
      {
        id: 'F01',
        name: canaryText('file-name.pdf'),
        title: canaryText('file-title'),
        mimetype: 'application/pdf',
        url_private: `https://files.slack.com/${canaryText('file-url')}.pdf`,
      },
    ],
    reactions: [{ name: canaryText('emoji'), users: userId === null ? [] : [userId], count: 1 }],
    user_profile: { real_name: canaryText('user-profile'), display_name: canaryText('up-display') },
    team: 'T0ACME',
    ...extra,
  };
}

export interface SmallWorkspace {
  readonly workspace: EmulatedWorkspace;
  /** The run instants the tests use: the first sync, and one day later. */
  readonly now: number;
}

/**
 * Ana, Ben, Cho and Dee (deleted) with a bot, over the four weeks before `now`: a public channel
 * with threads (one of them 13 days old), a private channel, a DM and a group DM.
 */
export function smallWorkspace(now = Date.UTC(2026, 2, 2, 0, 0, 0)): SmallWorkspace {
  const at = (daysBefore: number, hour: number, sequence = 0): string =>
    tsAt(now - daysBefore * DAY + hour * HOUR, sequence);
  const users = [
    user('UANA'),
    user('UBEN', { tz: 'America/New_York' }),
    user('UCHO', { tz: 'Asia/Tokyo' }),
    user('UDEE', { deleted: true }),
    user('UBOT', { is_bot: true, profile: profile('UBOT', null), tz: undefined }),
    user('USLACKBOT', { profile: profile('USLACKBOT', null), tz: undefined }),
  ];
  const oldThread = at(13, 10, 1);
  const general: EmulatedConversation = {
    id: 'CGENERAL',
    type: 'public_channel',
    members: ['UANA', 'UBEN', 'UCHO', 'UBOT', 'BSYNCUSER'],
    extra: {
      name: canaryText('channel-general'),
      name_normalized: canaryText('channel-general-normalized'),
      topic: { value: canaryText('topic'), creator: 'UANA', last_set: 0 },
      purpose: { value: canaryText('purpose'), creator: 'UANA', last_set: 0 },
      previous_names: [canaryText('old-name')],
    },
    messages: [
      message(at(20, 9), 'UANA'),
      message(at(20, 9, 5), 'UANA', { subtype: 'channel_join' }),
      message(oldThread, 'UANA', { thread_ts: oldThread }),
      message(at(13, 11, 2), 'UBEN', { thread_ts: oldThread, parent_user_id: 'UANA' }),
      message(at(13, 12, 3), 'UCHO', { thread_ts: oldThread, parent_user_id: 'UANA' }),
      message(at(5, 9, 4), 'UBEN', { edited: { user: 'UBEN', ts: at(5, 10) } }),
      message(at(3, 14), null, {
        subtype: 'bot_message',
        bot_id: 'B0DEPLOY',
        username: canaryText('bot-name'),
      }),
      message(at(2, 9, 6), 'UCHO', { thread_ts: at(2, 9, 6) }),
      message(at(2, 10, 7), 'UANA', { thread_ts: at(2, 9, 6), parent_user_id: 'UCHO' }),
      message(at(2, 10, 8), 'UBEN', {
        thread_ts: at(2, 9, 6),
        parent_user_id: 'UCHO',
        subtype: 'thread_broadcast',
      }),
      message(at(1, 16), 'UEXT', { user_team: 'T0OTHER' }),
    ],
  };
  const leads: EmulatedConversation = {
    id: 'GLEADS',
    type: 'private_channel',
    members: ['UANA', 'UBEN', 'BSYNCUSER'],
    extra: { name: canaryText('leads'), topic: { value: canaryText('leads-topic') } },
    messages: [message(at(4, 8), 'UANA'), message(at(4, 9), 'UBEN')],
  };
  const dm: EmulatedConversation = {
    id: 'DANABEN',
    type: 'im',
    members: ['BSYNCUSER', 'UBEN'],
    messages: [message(at(6, 8), 'UBEN'), message(at(6, 8, 1), 'BSYNCUSER')],
  };
  const mpim: EmulatedConversation = {
    id: 'GMPIM',
    type: 'mpim',
    members: ['BSYNCUSER', 'UBEN', 'UCHO'],
    extra: { name: canaryText('mpdm-handles'), purpose: { value: canaryText('mpim-purpose') } },
    messages: [message(at(7, 15), 'UCHO'), message(at(7, 15, 1), 'UDEE')],
  };
  users.push(user('BSYNCUSER'));
  return {
    now,
    workspace: {
      team: { id: 'T0ACME', name: canaryText('workspace-name'), domain: 'acme' },
      users,
      conversations: [general, leads, dm, mpim],
      tokens: {
        [USER_TOKEN]: { kind: 'user', userId: 'BSYNCUSER', scopes: [...ALL_SCOPES] },
        [BOT_TOKEN]: { kind: 'bot', userId: 'UBOT', scopes: [...ALL_SCOPES] },
        [NO_IM_TOKEN]: {
          kind: 'user',
          userId: 'BSYNCUSER',
          scopes: ALL_SCOPES.filter((scope) => scope !== 'im:history'),
        },
        [REVOKED_TOKEN]: {
          kind: 'user',
          userId: 'BSYNCUSER',
          scopes: [...ALL_SCOPES],
          revoked: true,
        },
      },
    },
  };
}

/**
 * The workspace an export plan was taken from: the same users, conversations and messages, with
 * a user token whose owner (the first user) is in every conversation, so it sees what the export
 * holds.
 */
export function workspaceFromExport(plan: ExportPlan): EmulatedWorkspace {
  const files = new Map(plan.files.map((file) => [file.path, file]));
  const read = (path: string): Record<string, unknown>[] => {
    const file = files.get(path);
    return file === undefined ? [] : (JSON.parse(file.render()) as Record<string, unknown>[]);
  };
  const users = read('users.json') as EmulatedUser[];
  const owner = users[0]?.id ?? 'U00000001';
  const conversations: EmulatedConversation[] = [];
  const byFolder = new Map<string, EmulatedConversation>();
  const add = (
    listing: string,
    type: EmulatedConversation['type'],
    folderOf: (entry: Record<string, unknown>) => string,
  ): void => {
    for (const entry of read(listing)) {
      const members = [...((entry['members'] as string[] | undefined) ?? [])];
      if (!members.includes(owner)) members.push(owner);
      const conversation: EmulatedConversation = {
        id: String(entry['id']),
        type,
        members,
        messages: [],
        extra: entry['name'] === undefined ? {} : { name: entry['name'] },
      };
      conversations.push(conversation);
      byFolder.set(folderOf(entry), conversation);
    }
  };
  add('channels.json', 'public_channel', (entry) => String(entry['name']));
  add('dms.json', 'im', (entry) => String(entry['id']));
  add('mpims.json', 'mpim', (entry) => String(entry['name']));
  for (const file of plan.files) {
    const [folder, day] = file.path.split('/');
    if (day === undefined || folder === undefined) continue;
    const conversation = byFolder.get(folder);
    if (conversation === undefined) continue;
    for (const entry of JSON.parse(file.render()) as EmulatedMessage[]) {
      // An export holds a parent's reply count; the emulator derives it from the replies.
      const { reply_count: _count, ...stored } = entry;
      conversation.messages.push(stored);
    }
  }
  return {
    team: { id: 'T00000001', name: 'Generated', domain: 'generated' },
    users,
    conversations,
    tokens: { [USER_TOKEN]: { kind: 'user', userId: owner, scopes: [...ALL_SCOPES] } },
  };
}
