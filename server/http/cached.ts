/**
 * Response bodies remembered per snapshot (`WarehouseReads.response`). A published snapshot never
 * changes and the server's config is fixed for its lifetime, so a body computed once from a
 * snapshot is the right answer to every later request with the same key on that snapshot; a new
 * build gets a new `WarehouseReads`, so nothing outlives a switch. Keys name the endpoint, its
 * normalised query and what the viewer may see; routes authorise before they look, so a cached
 * body is never served to someone who may not see its team.
 */
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import type { Access } from '../permissions.ts';

/** Stands for the set of teams the viewer may see (two viewers with the same set share bodies). */
export function visibleTeamsKey(access: Access): string {
  return createHash('sha256').update(access.teams.join('\n')).digest('base64url');
}

export function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** Sends a body from `jsonBody` as `response.json` would have sent the value. */
export function sendJsonBody(response: Response, body: Buffer): void {
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.send(body);
}
