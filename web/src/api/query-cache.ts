/**
 * A small request cache shared by every data hook: one entry per URL, fetched once, shared by all
 * components that show it, and read through `useSyncExternalStore` so React re-renders exactly
 * when an entry changes. Going back to a range seen before is instant.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { ApiError } from './client.ts';

type Entry =
  | { readonly status: 'loading' }
  | { readonly status: 'success'; readonly data: unknown }
  | { readonly status: 'error'; readonly error: ApiError };

const entries = new Map<string, Entry>();
const listeners = new Set<() => void>();

function publish(key: string, entry: Entry): void {
  entries.set(key, entry);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function load(key: string, fetcher: (key: string) => Promise<unknown>): void {
  if (entries.has(key)) return;
  publish(key, { status: 'loading' });
  fetcher(key).then(
    (data) => {
      publish(key, { status: 'success', data });
    },
    (error: unknown) => {
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

/** Forgets every answer, e.g. after signing in or out, so each view asks again. */
export function clearQueryCache(): void {
  entries.clear();
  for (const listener of listeners) listener();
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
  fetcher: (key: string) => Promise<T>,
): QueryResult<T> {
  const entry = useSyncExternalStore(subscribe, () =>
    key === null ? undefined : entries.get(key),
  );
  const [previous, setPrevious] = useState<T | undefined>(undefined);

  // Runs for a new key and whenever the entry disappears (clearQueryCache after signing in or
  // out), so a cleared answer is asked for again. The key identifies the request completely: a
  // new fetcher for the same key is the same request.
  const missing = entry === undefined;
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
