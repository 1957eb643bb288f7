/**
 * A synthetic Slack export of any size, for the large-import test and the benchmark. Messages look
 * like real ones (text, blocks, user profiles, threads, reactions, bot posts, joins) so the bytes
 * the importer parses and drops are realistic. Each day file is rendered from its own seed when
 * it is written, so a ZIP of a million messages is produced with bounded memory and the same
 * size always gives the same export. Kept free of test helpers so the benchmark can use it.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

export interface ExportShape {
  readonly messages: number;
  readonly days: number;
  readonly channels: number;
  readonly dms: number;
  readonly groupDms: number;
  readonly users: number;
}

export interface GeneratedFile {
  readonly path: string;
  render(): string;
}

export interface ExportPlan {
  readonly files: readonly GeneratedFile[];
  /** Messages the importer should keep (everything but the join events). */
  readonly messages: number;
  readonly joinEvents: number;
  readonly dayFiles: number;
  readonly conversations: number;
  readonly users: number;
}

/** Every hundredth entry is a join event (skipped by the importer); every thirtieth a bot post. */
const JOIN_EVERY = 100;
const BOT_EVERY = 30;

const WORDS = [
  'deploy',
  'review',
  'latency',
  'migration',
  'standup',
  'incident',
  'roadmap',
  'pairing',
  'rollback',
  'dashboard',
  'schema',
  'estimate',
  'retro',
  'flaky',
  'merge',
  'customer',
];

/** mulberry32: small, fast and deterministic. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

interface Conversation {
  readonly id: string;
  readonly folder: string;
  readonly members: readonly string[];
  readonly weight: number;
}

const FIRST_DAY_SECONDS = Date.UTC(2026, 0, 1) / 1000;

function renderDay(
  conversation: Conversation,
  day: number,
  count: number,
  firstIndex: number,
  seed: number,
): string {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const dayStart = FIRST_DAY_SECONDS + day * 86_400;
  const step = Math.floor(86_000_000_000 / (count + 1));
  const entries: Record<string, unknown>[] = [];
  let parent: { ts: string; user: string; entry: Record<string, unknown> } | null = null;
  for (let index = 0; index < count; index++) {
    const offset = step * (index + 1) + index;
    const ts = `${dayStart + Math.floor(offset / 1_000_000)}.${pad(offset % 1_000_000, 6)}`;
    const user = pick(conversation.members);
    const global = firstIndex + index;
    if (global % JOIN_EVERY === JOIN_EVERY - 1) {
      entries.push({
        type: 'message',
        subtype: 'channel_join',
        ts,
        user,
        text: `<@${user}> has joined the channel`,
      });
      continue;
    }
    const text = Array.from({ length: 8 + Math.floor(next() * 24) }, () => pick(WORDS)).join(' ');
    if (global % BOT_EVERY === 7) {
      entries.push({
        type: 'message',
        subtype: 'bot_message',
        ts,
        bot_id: 'B00000001',
        username: 'deploy-bot',
        text,
        attachments: [{ fallback: text, text, color: 'good' }],
      });
      continue;
    }
    const entry: Record<string, unknown> = {
      client_msg_id: `00000000-0000-4000-8000-${pad(global, 12)}`,
      type: 'message',
      text,
      user,
      ts,
      blocks: [
        {
          type: 'rich_text',
          block_id: 'b1',
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
        },
      ],
      team: 'T00000001',
      user_team: 'T00000001',
      source_team: 'T00000001',
      user_profile: {
        real_name: `Person ${user}`,
        display_name: user,
        image_72: `https://avatars.example.com/${user}.png`,
      },
    };
    const roll = next();
    if (parent !== null && roll < 0.3) {
      entry['thread_ts'] = parent.ts;
      entry['parent_user_id'] = parent.user;
      parent.entry['reply_count'] = Number(parent.entry['reply_count'] ?? 0) + 1;
    } else if (roll > 0.85) {
      entry['thread_ts'] = ts;
      parent = { ts, user, entry };
    }
    if (roll > 0.9) entry['reactions'] = [{ name: 'thumbsup', users: [user], count: 1 }];
    entries.push(entry);
  }
  return JSON.stringify(entries, null, 4);
}

/** An export of about `shape.messages` messages over `shape.days` days from 2026-01-01. */
export function planExport(shape: ExportShape): ExportPlan {
  const next = random(20260101);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const userIds = Array.from({ length: shape.users }, (_, index) => `U${pad(index + 1, 8)}`);
  const users = userIds.map((id, index) => ({
    id,
    team_id: 'T00000001',
    name: `person${index + 1}`,
    deleted: index % 97 === 0,
    real_name: `Person ${index + 1}`,
    tz: pick(['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney']),
    profile: {
      real_name: `Person ${index + 1}`,
      display_name: `person${index + 1}`,
      title: 'Engineer',
      email: `person${index + 1}@example.com`,
      image_72: `https://avatars.example.com/${id}.png`,
    },
    is_bot: false,
    updated: 1767000000,
  }));
  const conversations: Conversation[] = [];
  const listing = (count: number, make: (index: number) => Conversation): Conversation[] =>
    Array.from({ length: count }, (_, index) => {
      const conversation = make(index);
      conversations.push(conversation);
      return conversation;
    });
  const members = (size: number): string[] => Array.from({ length: size }, () => pick(userIds));
  const channels = listing(shape.channels, (index) => ({
    id: `C${pad(index + 1, 8)}`,
    folder: `channel-${pad(index + 1, 4)}`,
    members: members(12),
    weight: 6,
  }));
  const dms = listing(shape.dms, (index) => ({
    id: `D${pad(index + 1, 8)}`,
    folder: `D${pad(index + 1, 8)}`,
    members: members(2),
    weight: 0.5,
  }));
  const groupDms = listing(shape.groupDms, (index) => ({
    id: `G${pad(index + 1, 8)}`,
    folder: `mpdm-group-${index + 1}-1`,
    members: members(3),
    weight: 1,
  }));
  const json = (value: unknown): (() => string) => {
    const text = JSON.stringify(value, null, 4);
    return () => text;
  };
  const files: GeneratedFile[] = [
    { path: 'users.json', render: json(users) },
    {
      path: 'channels.json',
      render: json(
        channels.map(({ id, folder, members }) => ({
          id,
          name: folder,
          members,
          topic: { value: 'Topic' },
        })),
      ),
    },
    { path: 'dms.json', render: json(dms.map(({ id, members }) => ({ id, members }))) },
    {
      path: 'mpims.json',
      render: json(groupDms.map(({ id, folder, members }) => ({ id, name: folder, members }))),
    },
  ];

  const totalWeight = conversations.reduce((total, conversation) => total + conversation.weight, 0);
  const perDayPerWeight = shape.messages / shape.days / totalWeight;
  let entries = 0;
  let joinEvents = 0;
  let dayFiles = 0;
  for (const [order, conversation] of conversations.entries()) {
    let carry = 0;
    for (let day = 0; day < shape.days; day++) {
      const wanted = carry + conversation.weight * perDayPerWeight;
      const count = Math.floor(wanted);
      carry = wanted - count;
      if (count === 0) continue;
      const date = new Date((FIRST_DAY_SECONDS + day * 86_400) * 1000).toISOString().slice(0, 10);
      const firstIndex = entries;
      const seed = order * 100_003 + day;
      files.push({
        path: `${conversation.folder}/${date}.json`,
        render: () => renderDay(conversation, day, count, firstIndex, seed),
      });
      for (let index = firstIndex; index < firstIndex + count; index++)
        if (index % JOIN_EVERY === JOIN_EVERY - 1) joinEvents += 1;
      entries += count;
      dayFiles += 1;
    }
  }
  return {
    files,
    messages: entries - joinEvents,
    joinEvents,
    dayFiles,
    conversations: conversations.length,
    users: shape.users,
  };
}

/** A shape with realistic proportions for about `messages` messages. */
export function shapeFor(messages: number): ExportShape {
  return messages >= 500_000
    ? { messages, days: 120, channels: 80, dms: 300, groupDms: 30, users: 400 }
    : { messages, days: 60, channels: 40, dms: 80, groupDms: 10, users: 200 };
}

/**
 * Writes the export as a ZIP, rendering one day file at a time as yazl asks for it. Returns the
 * uncompressed size of the JSON.
 */
export async function writeExportZip(plan: ExportPlan, zipPath: string): Promise<number> {
  const zip = new ZipFile();
  let bytes = 0;
  for (const file of plan.files) {
    zip.addReadStreamLazy(file.path, { mtime: new Date(Date.UTC(2026, 0, 8)) }, (callback) => {
      const data = Buffer.from(file.render());
      bytes += data.length;
      callback(null, Readable.from([data]));
    });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipPath));
  return bytes;
}

/** Writes the export unpacked into `folder`. */
export function writeExportFolder(plan: ExportPlan, folder: string): void {
  for (const file of plan.files) {
    const path = join(folder, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.render());
  }
}
