/** `GET /api/me`: the signed-in viewer's role and teams (never their name or address). */
import type { Express, Request, Response } from 'express';
import type { Viewer } from '../auth/authenticate.ts';
import { issueCsrfToken } from '../auth/csrf.ts';
import type { Me } from '../contract/api.ts';
import { assertMartsBuilt, type AppContext } from '../context.ts';
import { accessFor } from '../permissions.ts';

export async function describeViewer(
  context: AppContext,
  request: Request,
  response: Response,
  viewer: Viewer,
  options: { rotateCsrf?: boolean } = {},
): Promise<Me> {
  assertMartsBuilt(context);
  const access = await accessFor(context.reads, context.config, viewer);
  const auth = context.auth.config;
  return {
    auth_mode: auth.mode,
    signed_in: viewer.signedIn,
    role: access.role,
    visible_teams: [...access.teams],
    csrf_token:
      context.sessions === null
        ? null
        : issueCsrfToken(request, response, context.sessions, options.rotateCsrf),
    google_client_id: auth.mode === 'google' ? auth.clientId : null,
    min_group_size: context.config.minGroupSize,
  };
}

export function registerMe(app: Express, context: AppContext): void {
  app.get('/api/me', async (request, response) => {
    response.json(await describeViewer(context, request, response, context.auth.viewer(request)));
  });
}
