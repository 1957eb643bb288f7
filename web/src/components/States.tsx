/** Loading, error and empty states, worded the same way on every page. */
import type { ReactNode } from 'react';
import type { ApiError } from '../api/client.ts';
import { clearQueryCache } from '../api/query-cache.ts';

export function Loading({ what }: { readonly what: string }) {
  return (
    <div className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      Loading {what}…
    </div>
  );
}

const TITLES: Partial<Record<ApiError['code'], string>> = {
  unauthenticated: 'You are signed out',
  forbidden: 'This is not shared with you',
  not_found: 'Not found',
  network: 'The server cannot be reached',
  rate_limited: 'Too many requests',
  unavailable: 'The data is not available right now',
  invalid_response: 'The dashboard is out of date',
};

export function ErrorNotice({
  error,
  retry,
  what,
}: {
  readonly error: ApiError;
  readonly retry?: (() => void) | undefined;
  readonly what: string;
}) {
  const signedOut = error.code === 'unauthenticated';
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{TITLES[error.code] ?? `Could not load ${what}`}</p>
      <p>{error.message}</p>
      {signedOut ? (
        <button type="button" className="button" onClick={clearQueryCache}>
          Sign in again
        </button>
      ) : (
        retry && (
          <button type="button" className="button" onClick={retry}>
            Try again
          </button>
        )
      )}
    </div>
  );
}

export function EmptyState({
  title,
  children,
}: {
  readonly title: string;
  readonly children?: ReactNode;
}) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children}
    </div>
  );
}
