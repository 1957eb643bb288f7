/**
 * Response bodies remembered per snapshot (`WarehouseReads.response`). A published snapshot never
 * changes and the server's config is fixed for its lifetime, so a body computed once from a
 * snapshot is the right answer to every later request with the same key on that snapshot; a new
 * build gets a new `WarehouseReads`, so nothing outlives a switch. Keys name the endpoint, its
 * normalised query and what the viewer may see; routes authorise before they look, so a cached
 * body is never served to someone who may not see its team.
 *
 * Bodies are kept gzipped, and only gzipped once they are worth compressing: an admin's overview
 * of a 1,000-person organisation is 4 MB of JSON (about 30 times less gzipped), so keeping the
 * plain bytes as well let the cache hold a fraction of the overviews and team ranges a weekly
 * review asks for, and each one evicted was computed again. Browsers accept gzip; the rare client
 * that does not gets the body decompressed on the way out.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip, gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';
import type { Access } from '../permissions.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Smaller bodies are sent as they are: compressing them saves less than it costs. */
const MIN_GZIP_BYTES = 1024;

export type CachedBody =
  | { readonly contentType: string; readonly identity: Buffer; readonly gzip: null }
  | { readonly contentType: string; readonly identity: null; readonly gzip: Buffer };

export function bodyBytes(body: CachedBody): number {
  return body.identity === null ? body.gzip.length : body.identity.length;
}

/** Stands for the set of teams the viewer may see (two viewers with the same set share bodies). */
export function visibleTeamsKey(access: Access): string {
  return createHash('sha256').update(access.teams.join('\n')).digest('base64url');
}

/**
 * Larger bodies are compressed on libuv's thread pool, so a 4 MB overview does not stall the
 * requests behind it. Smaller ones, such as a 50 KB team range, are compressed where they are
 * made: that takes half a millisecond, while the trip to the pool and back cost such a request
 * more than its whole compression once the main thread was busy (team weeks at 50 clients: p95
 * 52 → 30 ms, p99 82 → 45 ms, docs/benchmarks.md).
 */
const MAX_INLINE_GZIP_BYTES = 256 * 1024;

/** A body to remember, gzipped when it is worth it. */
export async function cachedBody(contentType: string, identity: Buffer): Promise<CachedBody> {
  if (identity.length < MIN_GZIP_BYTES) return { contentType, identity, gzip: null };
  const gzipped =
    identity.length < MAX_INLINE_GZIP_BYTES ? gzipSync(identity) : await gzipAsync(identity);
  return { contentType, identity: null, gzip: gzipped };
}

export function cachedJson(value: unknown): Promise<CachedBody> {
  return cachedJsonText(JSON.stringify(value));
}

/** A JSON body written already (assembled from remembered parts, see `jsonWithArray`). */
export function cachedJsonText(json: string): Promise<CachedBody> {
  return cachedBody('application/json; charset=utf-8', Buffer.from(json, 'utf8'));
}

/** Sends a remembered body, gzipped when the client accepts it. */
export async function sendCached(
  request: Request,
  response: Response,
  body: CachedBody,
): Promise<void> {
  response.setHeader('Content-Type', body.contentType);
  if (body.identity !== null) {
    response.send(body.identity);
    return;
  }
  response.vary('Accept-Encoding');
  if (request.acceptsEncodings('gzip', 'identity') === 'gzip') {
    response.setHeader('Content-Encoding', 'gzip');
    response.send(body.gzip);
    return;
  }
  response.send(await gunzipAsync(body.gzip));
}
