import { describe, expect, it } from 'vitest';
import {
  describeFirstIssue,
  skipReason,
  slackConversationSchema,
  slackMessageSchema,
  slackUserSchema,
  type SlackExportMessage,
} from './schema.ts';

const FULL_MESSAGE = {
  client_msg_id: '00000000-0000-4000-8000-000000000001',
  type: 'message',
  subtype: 'thread_broadcast',
  text: 'CANARY-slack-unit-text',
  user: 'U01ANA',
  ts: '1767225600.000123',
  thread_ts: '1767225000.000001',
  parent_user_id: 'U01BEN',
  reply_count: 2,
  reply_users: ['U01BEN'],
  latest_reply: '1767225700.000001',
  bot_id: 'B01BOT',
  edited: { user: 'U01ANA', ts: '1767225660.999999' },
  blocks: [{ type: 'rich_text', elements: [{ type: 'text', text: 'CANARY-slack-unit-block' }] }],
  attachments: [{ fallback: 'CANARY-slack-unit-fallback' }],
  files: [{ name: 'CANARY-slack-unit-file' }],
  reactions: [{ name: 'CANARY-slack-unit-reaction', users: ['U01BEN'], count: 1 }],
  user_profile: { real_name: 'CANARY-slack-unit-real-name' },
  root: { text: 'CANARY-slack-unit-root', ts: '1767225000.000001' },
};

function message(overrides: Record<string, unknown> = {}): SlackExportMessage {
  return slackMessageSchema.parse({ type: 'message', ts: '1767225600.000001', ...overrides });
}

describe('slackMessageSchema', () => {
  it('keeps exactly the metadata fields, with every timestamp exact to the microsecond', () => {
    const parsed = slackMessageSchema.parse(FULL_MESSAGE);
    expect(parsed).toStrictEqual({
      type: 'message',
      subtype: 'thread_broadcast',
      ts: 1767225600000123n,
      user: 'U01ANA',
      bot_id: 'B01BOT',
      thread_ts: 1767225000000001n,
      parent_user_id: 'U01BEN',
      reply_count: 2,
      edited: { ts: 1767225660999999n },
    });
    expect(JSON.stringify(parsed, (_key, value: unknown) => String(value))).not.toContain('CANARY');
  });

  it('treats empty ids as absent', () => {
    expect(message({ user: '', bot_id: null, subtype: '' })).toMatchObject({
      user: null,
      bot_id: null,
      subtype: null,
    });
  });

  it.each([
    ['a missing ts', { ts: undefined }, 'ts', 'missing'],
    [
      'a ts without six decimals',
      { ts: '1767225600.123' },
      'ts',
      'expected a Slack timestamp such as 1767225600.000100',
    ],
    [
      'a numeric ts',
      { ts: 1767225600.000123 },
      'ts',
      'expected a Slack timestamp such as 1767225600.000100',
    ],
    [
      'a malformed thread_ts',
      { thread_ts: 'soon' },
      'thread_ts',
      'expected a Slack timestamp such as 1767225600.000100',
    ],
    [
      'a malformed edited.ts',
      { edited: { ts: 'CANARY-slack-unit-edited' } },
      'edited.ts',
      'expected a Slack timestamp such as 1767225600.000100',
    ],
    ['a fractional reply_count', { reply_count: 1.5 }, 'reply_count', 'expected a whole number'],
    [
      'a user that is not text',
      { user: { name: 'CANARY-slack-unit-user' } },
      'user',
      'expected text',
    ],
  ])('rejects %s, naming the field without quoting the value', (_case, overrides, field, text) => {
    const input = {
      type: 'message',
      ts: '1767225600.000001',
      text: 'CANARY-slack-unit-text',
      ...overrides,
    };
    const result = slackMessageSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (result.success) return;
    const problem = describeFirstIssue(result.error, input);
    expect(problem).toEqual({ field, message: text });
    expect(problem.message).not.toContain('CANARY');
  });

  it('rejects an entry that is not an object', () => {
    const result = slackMessageSchema.safeParse('CANARY-slack-unit-string');
    expect(result.success).toBe(false);
    if (!result.success)
      expect(describeFirstIssue(result.error, 'CANARY-slack-unit-string')).toEqual({
        field: '',
        message: 'expected a JSON object',
      });
  });
});

describe('skipReason', () => {
  it.each([
    'channel_join',
    'channel_leave',
    'channel_topic',
    'channel_purpose',
    'group_join',
    'pinned_item',
  ])('skips %s as a channel event', (subtype) => {
    expect(skipReason(message({ subtype }))).toBe('channel_event');
  });

  it.each([
    null,
    'thread_broadcast',
    'bot_message',
    'me_message',
    'file_share',
    'huddle_thread',
    'a_future_subtype',
  ])('keeps messages with subtype %s', (subtype) => {
    expect(skipReason(message({ subtype }))).toBeNull();
  });

  it('skips edit notifications and entries that are not messages', () => {
    expect(skipReason(message({ subtype: 'message_changed' }))).toBe('change_event');
    expect(skipReason(message({ type: 'reaction_added' }))).toBe('not_a_message');
  });
});

describe('slackUserSchema and slackConversationSchema', () => {
  it('keep ids, flags, zone and email, and drop every name and profile field', () => {
    const user = slackUserSchema.parse({
      id: 'U01ANA',
      name: 'CANARY-slack-unit-handle',
      real_name: 'CANARY-slack-unit-real-name',
      deleted: false,
      is_bot: false,
      tz: 'Europe/Berlin',
      tz_label: 'CANARY-slack-unit-tz-label',
      profile: {
        email: 'ana@example.com',
        title: 'CANARY-slack-unit-title',
        phone: 'CANARY-slack-unit-phone',
        status_text: 'CANARY-slack-unit-status',
      },
    });
    expect(user).toStrictEqual({
      id: 'U01ANA',
      deleted: false,
      is_bot: false,
      tz: 'Europe/Berlin',
      profile: { email: 'ana@example.com' },
    });
    const conversation = slackConversationSchema.parse({
      id: 'C01GEN',
      name: 'general',
      topic: { value: 'CANARY-slack-unit-topic' },
      purpose: { value: 'CANARY-slack-unit-purpose' },
    });
    expect(conversation).toStrictEqual({ id: 'C01GEN', name: 'general' });
  });
});
