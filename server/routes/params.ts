/** The team path of `/api/teams/{path}/…`: one %2F-encoded segment, or literal slashes. */
import type { Request } from 'express';
import { z } from 'zod';
import { teamPathSchema } from '../contract/api.ts';
import { parseRequest } from '../http/validate.ts';

const segmentsSchema = z.union([z.string(), z.array(z.string())]);

export function teamParam(request: Request): string {
  const raw = parseRequest(segmentsSchema, request.params['team']);
  const team = Array.isArray(raw) ? raw.join('/') : raw;
  return parseRequest(z.object({ team: teamPathSchema }), { team }).team;
}
