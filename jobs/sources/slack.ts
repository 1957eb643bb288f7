/** The Slack Web API sync as a refresh source: configured when a token is stored or in SLACK_TOKEN. */
import { isSlackConfigured, resolveSlackToken, syncSlack } from '../../ingest/slack-api/sync.ts';
import { RuntimeFailure } from '../../warehouse/errors.ts';
import type { Source } from '../types.ts';
import { jobPseudonymizer } from './pseudonymizer.ts';

export const slackSource: Source = {
  name: 'slack_api',
  isConfigured: (config, env, dbPath) => isSlackConfigured({ config, env, dbPath }),
  secrets: (env) => (env.SLACK_TOKEN === undefined ? [] : [env.SLACK_TOKEN]),
  async run(context) {
    const token = resolveSlackToken({ dbPath: context.dbPath, env: context.env });
    if (token === undefined) throw new RuntimeFailure('no Slack token');
    const summary = await syncSlack({
      db: context.db,
      config: context.config,
      pseudonymizer: await jobPseudonymizer(context, context.db),
      reporter: context.reporter,
      token,
      clock: context.now,
    });
    if (summary.failed > 0)
      throw new RuntimeFailure(
        `${summary.failed} conversations could not be read; the next refresh finishes them`,
      );
    return {
      counts: {
        conversations_read: summary.conversationsRead,
        messages_written: summary.messagesWritten,
        messages_removed: summary.messagesRemoved,
        threads_read: summary.threadsRead,
        users: summary.users,
        complete: summary.coverage !== null,
      },
    };
  },
};
