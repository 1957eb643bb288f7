/**
 * Response bodies remembered per snapshot (`WarehouseReads.response`). A published snapshot never
 * changes and the server's config is fixed for its lifetime, so a body computed once from a
 * snapshot is the right answer to every later request with the same key on that snapshot; a new
 * build gets a new `WarehouseReads`, so nothing outlives a switch. Keys name the endpoint, its
 * normalised query and what the viewer may see; routes authorise before they look, so a cached
 * body is never served to someone who may not see its team.
 *
 * Bodies are kept gzipped too: an admin's overview of a 1,000-person organisation is 4 MB of
 * JSON (about 30 times less gzipped), and writing it to the socket was most of its cost.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response } from 'express';
import type { Access } from '../permissions.ts';

const gzipAsync = promisify(gzip);

/** Smaller bodies are sent as they are: compressing them saves less than it costs. */
const MIN_GZIP_BYTES = 1024;

export interface CachedBody {
  readonly contentType: string;
  readonly identity: Buffer;
  /** Null when the body is too small to be worth compressing. */
  readonly gzip: Buffer | null;
}

export function bodyBytes(body: CachedBody): number {
  return body.identity.length + (body.gzip?.length ?? 0);
}

/** Stands for the set of teams the viewer may see (two viewers with the same set share bodies). */
export function visibleTeamsKey(access: Access): string {
  return createHash('sha256').update(access.teams.join('\n')).digest('base64url');
}

/** A body to remember; compressed off the main thread, so a large one does not stall others. */
export async function cachedBody(contentType: string, identity: Buffer): Promise<CachedBody> {
  return {
    contentType,
    identity,
    gzip: identity.length < MIN_GZIP_BYTES ? null : await gzipAsync(identity),
  };
}

export function cachedJson(value: unknown): Promise<CachedBody> {
  return cachedBody('application/json; charset=utf-8', Buffer.from(JSON.stringify(value), 'utf8'));
}

/** Sends a remembered body, gzipped when the client accepts it. */
export function sendCached(request: Request, response: Response, body: CachedBody): void {
  response.setHeader('Content-Type', body.contentType);
  if (body.gzip !== null) {
    response.vary('Accept-Encoding');
    if (request.acceptsEncodings('gzip', 'identity') === 'gzip') {
      response.setHeader('Content-Encoding', 'gzip');
      response.send(body.gzip);
      return;
    }
  }
  response.send(body.identity);
}
