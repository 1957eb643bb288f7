/**
 * A small request cache shared by every data hook: one entry per URL, fetched once, shared by all
 * components that show it, and read through `useSyncExternalStore` so React re-renders exactly
 * when an entry changes. Going back to a range seen before is instant.
 *
 * Every answer comes from one published build (the `X-Syncbalance-Build` header), and the server
 * switches to a newer build without a restart. So the cache follows the server: the first answer
 * from another build than the cached ones, to a request sent after the one that answered from
 * those, makes every other answer be asked for again (`renewAllBut`), and a late answer from the
 * build before is asked for again instead of being shown. Otherwise a page left open over a
 * refresh would show yesterday's overview beside today's team charts.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { ApiError, type Answer } from './client.ts';

type Entry =
  | { readonly status: 'loading' }
  | { readonly status: 'success'; readonly data: unknown }
  | { readonly status: 'error'; readonly error: ApiError };

type Fetcher = (key: string) => Promise<Answer<unknown>>;

const entries = new Map<string, Entry>();
const fetchers = new Map<string, Fetcher>();
const listeners = new Set<() => void>();

/** The build the cached answers come from, and the number of the request that first said so. */
let served: { readonly build: string; readonly request: number } | null = null;
let requests = 0;

function notify(): void {
  for (const listener of listeners) listener();
}

function publish(key: string, entry: Entry): void {
  entries.set(key, entry);
  notify();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** How many mounted components show each key. */
const shown = new Map<string, number>();

function show(key: string): () => void {
  shown.set(key, (shown.get(key) ?? 0) + 1);
  return () => {
    const count = (shown.get(key) ?? 1) - 1;
    if (count === 0) shown.delete(key);
    else shown.set(key, count);
  };
}

/**
 * After an answer to `key` came from a newer build: every other answer on screen is asked for
 * again and stays shown until its new answer arrives (the page does not flash back to loading),
 * and the answers not on screen are forgotten, to be asked for when next shown.
 */
function renewAllBut(key: string): void {
  for (const [other, entry] of entries) {
    if (other === key || entry.status === 'loading') continue;
    const fetcher = fetchers.get(other);
    if (shown.has(other) && fetcher !== undefined) load(other, fetcher, true);
    else entries.delete(other);
  }
}

/**
 * Asks for `key` unless it is cached; `again` asks even so, keeping the cached answer shown until
 * the new one arrives.
 */
function load(key: string, fetcher: Fetcher, again = false): void {
  if (entries.has(key) && !again) return;
  fetchers.set(key, fetcher);
  const request = (requests += 1);
  if (!entries.has(key)) publish(key, { status: 'loading' });
  fetcher(key).then(
    ({ data, build }) => {
      if (build !== null && build !== served?.build) {
        if (served !== null && request < served.request) {
          // Sent before an answer from a newer build arrived: that build has replaced this one.
          load(key, fetcher, true);
          return;
        }
        const switched = served !== null;
        served = { build, request };
        if (switched) renewAllBut(key);
      }
      publish(key, { status: 'success', data });
    },
    (error: unknown) => {
      // A failed check of an answer still shown leaves it shown; the next check may succeed.
      if (again && entries.get(key)?.status === 'success') return;
      publish(key, {
        status: 'error',
        error:
          error instanceof ApiError
            ? error
            : new ApiError(0, 'internal', 'Something went wrong in the dashboard.'),
      });
    },
  );
}

/**
 * Asks for `key` again if it was asked for before and is not being asked for now; its answer
 * stays shown meanwhile. An answer from a newer build refreshes everything else too.
 */
export function refreshQuery(key: string): void {
  const fetcher = fetchers.get(key);
  if (fetcher !== undefined && entries.get(key)?.status !== 'loading') load(key, fetcher, true);
}

/** Forgets every answer, e.g. after signing in or out, so each view asks again. */
export function clearQueryCache(): void {
  entries.clear();
  notify();
}

export type QueryResult<T> =
  | { readonly status: 'loading'; readonly previous: T | undefined }
  | { readonly status: 'success'; readonly data: T }
  | { readonly status: 'error'; readonly error: ApiError; readonly retry: () => void };

/**
 * The cached answer for `key` (null: nothing to ask yet). While a new key loads, `previous` holds
 * the last answer this component showed, so charts can stay in place instead of flashing empty.
 */
export function useQuery<T>(
  key: string | null,
  fetcher: (key: string) => Promise<Answer<T>>,
): QueryResult<T> {
  const entry = useSyncExternalStore(subscribe, () =>
    key === null ? undefined : entries.get(key),
  );
  const [previous, setPrevious] = useState<T | undefined>(undefined);

  // Runs for a new key and whenever the entry disappears (clearQueryCache after signing in or
  // out, or an answer from a newer build while this one was not shown), so a cleared answer is
  // asked for again. The key identifies the request completely: a new fetcher for the same key is
  // the same request.
  const missing = entry === undefined;
  useEffect(() => (key === null ? undefined : show(key)), [key]);
  useEffect(() => {
    if (key !== null && missing) load(key, fetcher);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, missing]);

  const retry = useCallback(() => {
    if (key === null) return;
    entries.delete(key);
    load(key, fetcher);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  if (entry?.status === 'success') {
    const data = entry.data as T;
    // Remember what was shown (React's "adjust state while rendering" pattern, no extra effect).
    if (previous !== data) setPrevious(data);
    return { status: 'success', data };
  }
  if (entry?.status === 'error') return { status: 'error', error: entry.error, retry };
  return { status: 'loading', previous };
}
