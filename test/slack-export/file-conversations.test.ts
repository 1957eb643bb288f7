/**
 * Conversations attached to files (a canvas's comments), listed in file_conversations.json with
 * folders named FC…, hold messages people wrote: they are kept, as private-channel messages,
 * instead of being skipped as "unlisted".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSlackExport } from '../../ingest/slack-export/import.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { tempWarehouse, testPseudonymizer as keys } from '../helpers/warehouse.ts';
import { ACME, copiedFixture } from './export-files.ts';

describe('file_conversations.json', () => {
  it('keeps the messages of an FC… conversation as a private channel’s', async () => {
    const root = copiedFixture(ACME);
    writeFileSync(
      join(root, 'file_conversations.json'),
      JSON.stringify([{ id: 'FC01CANVAS', name: 'canary-slack-canvas-name', created: 1767225600 }]),
    );
    mkdirSync(join(root, 'FC01CANVAS'));
    writeFileSync(
      join(root, 'FC01CANVAS', '2026-01-05.json'),
      JSON.stringify([
        { type: 'message', user: 'U01ANA', text: 'canary-slack-text', ts: '1767607000.000001' },
        { type: 'message', user: 'U01BEN', text: 'canary-slack-text', ts: '1767607060.000002' },
      ]),
    );
    const db = await tempWarehouse();
    const summary = await importSlackExport({
      db,
      pseudonymizer: keys,
      path: root,
      reporter: silentReporter,
    });
    expect(summary.messagesKept).toBe(18 + 2);
    expect(summary.messagesSkipped.unlisted_conversation).toBe(2);
    expect(
      await db.all(
        `SELECT c.conversation_type, count(*)::INTEGER AS messages
         FROM raw.slack_messages AS m JOIN raw.slack_conversations AS c USING (conversation_key)
         WHERE conversation_key = $1 GROUP BY ALL`,
        [keys.slackConversation('FC01CANVAS')],
      ),
    ).toEqual([{ conversation_type: 'private_channel', messages: 2 }]);
  });
});
