/**
 * What the sync reads from Slack's Web API responses, as zod schemas. The API has no field mask:
 * every page arrives with message text, blocks, attachments, files and full profiles. Each page is
 * parsed here the moment it arrives, and zod keeps only the keys named below, so the rest never
 * reaches the warehouse, a log or an error message. Messages and users reuse the export
 * importer's schemas, so both sources keep exactly the same fields.
 */
import { z } from 'zod';
import type { ConversationType } from '../../warehouse/raw/slack.ts';
import { parseSlackTs } from '../../warehouse/raw/slack.ts';
import { slackMessageSchema, slackUserSchema } from '../slack-export/schema.ts';

const slackTs = z.string().transform((text, context) => {
  const micros = parseSlackTs(text);
  if (micros === null) {
    context.issues.push({ code: 'custom', input: text, message: 'expected a Slack timestamp' });
    return z.NEVER;
  }
  return micros;
});

const cursorMetadata = z
  .object({ next_cursor: z.string().nullish() })
  .nullish()
  .transform((metadata) => {
    const cursor = metadata?.next_cursor ?? '';
    return cursor === '' ? null : cursor;
  });

/** A history or replies entry: the export's message fields plus the parent's `latest_reply`. */
export const apiMessageSchema = slackMessageSchema.extend({ latest_reply: slackTs.nullish() });
export type ApiMessage = z.output<typeof apiMessageSchema>;

export const messagesPageSchema = z.object({
  messages: z.array(z.unknown()).default([]),
  has_more: z.boolean().nullish(),
  response_metadata: cursorMetadata,
});

export const usersPageSchema = z.object({
  members: z.array(z.unknown()).default([]),
  response_metadata: cursorMetadata,
});
export { slackUserSchema as apiUserSchema };

const flag = z.boolean().nullish();

export const apiConversationSchema = z
  .object({
    id: z.string().min(1),
    is_im: flag,
    is_mpim: flag,
    is_private: flag,
    is_group: flag,
  })
  .transform((conversation): { id: string; type: ConversationType } => ({
    id: conversation.id,
    type:
      conversation.is_im === true
        ? 'im'
        : conversation.is_mpim === true
          ? 'mpim'
          : conversation.is_private === true || conversation.is_group === true
            ? 'private_channel'
            : 'public_channel',
  }));

export const conversationsPageSchema = z.object({
  channels: z.array(z.unknown()).default([]),
  response_metadata: cursorMetadata,
});

export const authTestSchema = z.object({
  team_id: z.string(),
  user_id: z.string(),
  bot_id: z.string().nullish(),
  /** Shown by `connect slack` only (the person connecting chose it); never stored or logged. */
  team: z.string().nullish(),
  url: z.string().nullish(),
  response_metadata: z.object({ scopes: z.array(z.string()).nullish() }).nullish(),
});
