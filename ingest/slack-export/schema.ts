/**
 * What the importer reads from a Slack export, as zod schemas. Each schema names only metadata
 * fields; zod drops every other key (text, blocks, attachments, files, reactions, profiles, names,
 * topics, purposes, a broadcast's `root` …) when the entry is parsed, so free text never gets
 * past this module.
 */
import { z } from 'zod';
import { parseSlackTs } from '../../warehouse/raw/slack.ts';

const TS_EXAMPLE = '1767225600.000100';

/** Slack's `ts` (seconds with exactly six decimals) as exact microseconds since the epoch. */
const slackTs = z
  .string({ error: `expected a Slack timestamp such as ${TS_EXAMPLE}` })
  .transform((text, context) => {
    const micros = parseSlackTs(text);
    if (micros === null) {
      context.issues.push({
        code: 'custom',
        input: text,
        message: `expected a Slack timestamp such as ${TS_EXAMPLE}`,
      });
      return z.NEVER;
    }
    return micros;
  });

/** An id-like string; an empty string counts as absent. */
const optionalId = z
  .string({ error: 'expected text' })
  .nullish()
  .transform((value) => (value === undefined || value === null || value === '' ? null : value));

export const slackMessageSchema = z.object({
  type: z.string({ error: 'expected text' }).nullish(),
  subtype: optionalId,
  ts: slackTs,
  user: optionalId,
  bot_id: optionalId,
  thread_ts: slackTs.nullish(),
  parent_user_id: optionalId,
  reply_count: z
    .number({ error: 'expected a whole number' })
    .int({ error: 'expected a whole number' })
    .min(0, { error: 'expected a whole number' })
    .max(2_147_483_647, { error: 'too large' })
    .nullish(),
  edited: z.object({ ts: slackTs.nullish() }, { error: 'expected an object' }).nullish(),
});
export type SlackExportMessage = z.output<typeof slackMessageSchema>;

export const slackUserSchema = z.object({
  id: z.string({ error: 'expected a Slack user id' }).min(1, { error: 'expected a Slack user id' }),
  deleted: z.boolean({ error: 'expected true or false' }).nullish(),
  is_bot: z.boolean({ error: 'expected true or false' }).nullish(),
  is_workflow_bot: z.boolean({ error: 'expected true or false' }).nullish(),
  tz: z.string({ error: 'expected text' }).nullish(),
  profile: z
    .object(
      { email: z.string({ error: 'expected text' }).nullish() },
      { error: 'expected an object' },
    )
    .nullish(),
});
export type SlackExportUser = z.output<typeof slackUserSchema>;

/** An entry of channels.json, groups.json, dms.json or mpims.json. */
export const slackConversationSchema = z.object({
  id: z
    .string({ error: 'expected a Slack conversation id' })
    .min(1, { error: 'expected a Slack conversation id' }),
  name: z.string({ error: 'expected text' }).nullish(),
});
export type SlackExportConversation = z.output<typeof slackConversationSchema>;

/**
 * Subtypes that record a change to a conversation (membership, name, topic, pins), not something
 * anyone said. They are skipped: they would otherwise count as messages.
 */
const CHANNEL_EVENT_SUBTYPES = new Set([
  'channel_join',
  'channel_leave',
  'channel_topic',
  'channel_purpose',
  'channel_name',
  'channel_archive',
  'channel_unarchive',
  'channel_convert_to_private',
  'channel_convert_to_public',
  'channel_posting_permissions',
  'group_join',
  'group_leave',
  'group_topic',
  'group_purpose',
  'group_name',
  'group_archive',
  'group_unarchive',
  'pinned_item',
  'unpinned_item',
  'bot_add',
  'bot_remove',
]);

/** Edit notifications: the export already holds the edited message itself. */
const CHANGE_EVENT_SUBTYPES = new Set(['message_changed', 'message_deleted', 'message_replied']);

export const SKIP_REASONS = [
  'channel_event',
  'change_event',
  'not_a_message',
  'unlisted_conversation',
  'implausible_time',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Why a valid export entry is not kept as a message, or null to keep it. */
export function skipReason(message: SlackExportMessage): SkipReason | null {
  if (message.type !== undefined && message.type !== null && message.type !== 'message')
    return 'not_a_message';
  if (message.subtype === null) return null;
  if (CHANNEL_EVENT_SUBTYPES.has(message.subtype)) return 'channel_event';
  if (CHANGE_EVENT_SUBTYPES.has(message.subtype)) return 'change_event';
  return null;
}

/** The value at `path` in an untyped JSON value, to tell a missing field from a wrong one. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export interface FieldProblem {
  /** Dotted path such as `edited.ts`; empty for the entry itself. */
  readonly field: string;
  readonly message: string;
}

/** The first problem of a failed parse, worded without quoting the input. */
export function describeFirstIssue(error: z.ZodError, input: unknown): FieldProblem {
  const issue = error.issues[0];
  if (issue === undefined) return { field: '', message: 'invalid' };
  const field = issue.path.map(String).join('.');
  if (issue.path.length > 0 && valueAt(input, issue.path) === undefined)
    return { field, message: 'missing' };
  if (issue.path.length === 0) return { field, message: 'expected a JSON object' };
  return { field, message: issue.message };
}
