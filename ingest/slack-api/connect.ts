/**
 * `syncbalance connect slack`: checks a token with `auth.test`, says which workspace it opens and
 * which of the scopes the sync needs it has, and stores it beside the warehouse in an owner-only
 * file. The token is never printed, logged, or written anywhere else.
 */
import type { Config } from '../../warehouse/config.ts';
import { credentialPath, writeCredential } from '../../warehouse/credentials.ts';
import type { Reporter } from '../../warehouse/reporter.ts';
import { SlackClient } from './client.ts';
import { authTestSchema } from './schema.ts';
import { SLACK_CREDENTIAL } from './sync.ts';

/** The scopes of docs/slack-app-manifest.yaml: what the sync needs, and nothing more. */
export const SLACK_SCOPES = [
  'channels:read',
  'groups:read',
  'im:read',
  'mpim:read',
  'channels:history',
  'groups:history',
  'im:history',
  'mpim:history',
  'users:read',
  'users:read.email',
] as const;

export interface SlackConnection {
  readonly teamId: string;
  readonly workspace: string | null;
  readonly url: string | null;
  readonly tokenKind: 'user' | 'bot';
  readonly granted: readonly string[];
  readonly missing: readonly string[];
  /** Scopes granted beyond what the sync needs (it never uses them). */
  readonly extra: readonly string[];
  readonly credentialFile: string;
}

export async function connectSlack(options: {
  readonly token: string;
  readonly config: Config;
  readonly dbPath: string;
  readonly reporter: Reporter;
}): Promise<SlackConnection> {
  const client = new SlackClient({
    token: options.token,
    reporter: options.reporter,
    concurrency: options.config.slack.concurrency,
    apiUrl: options.config.slack.apiUrl,
  });
  const auth = await client.call('auth.test', {}, authTestSchema);
  const scopes = auth.response_metadata?.scopes ?? [];
  const tokenKind = auth.bot_id == null ? 'user' : 'bot';
  const credentialFile = credentialPath(options.dbPath, SLACK_CREDENTIAL);
  writeCredential(
    credentialFile,
    `${JSON.stringify({ token: options.token, teamId: auth.team_id, tokenKind })}\n`,
  );
  return {
    teamId: auth.team_id,
    workspace: auth.team ?? null,
    url: auth.url ?? null,
    tokenKind,
    granted: SLACK_SCOPES.filter((scope) => scopes.includes(scope)),
    missing: SLACK_SCOPES.filter((scope) => !scopes.includes(scope)),
    extra: scopes.filter((scope) => !(SLACK_SCOPES as readonly string[]).includes(scope)),
    credentialFile,
  };
}
