/** The frame around every page: skip link, header with navigation, main landmark, footer. */
import { useState, type ReactNode } from 'react';
import type { Me } from '../../../server/contract/index.ts';
import { ApiError, apiPaths, postJson } from '../api/client.ts';
import { useHealthQuery, useNewerBuildCheck } from '../api/hooks.ts';
import { clearQueryCache } from '../api/query-cache.ts';
import { formatDay, formatInstant } from '../lib/dates.ts';
import { Link } from '../routing/router.tsx';
import { formatLocation, type ViewState } from '../routing/url-state.ts';

export function Shell({
  me,
  state,
  children,
}: {
  readonly me: Me;
  readonly state: ViewState;
  readonly children: ReactNode;
}) {
  const overviewHref = formatLocation({ ...state, route: { page: 'overview' } });
  // The Data page keeps the range the viewer was looking at (a team page's weeks), not the week.
  const dataHref = formatLocation({ ...state, route: { page: 'data' }, week: null });
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <Link href={overviewHref} className="brand">
            <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
              <rect x="2" y="12" width="5" height="9" rx="1.5" fill="#E69F00" />
              <rect x="9.5" y="6" width="5" height="15" rx="1.5" fill="#009E73" />
              <rect x="17" y="3" width="5" height="18" rx="1.5" fill="#0072B2" />
            </svg>
            syncbalance
          </Link>
          {me.role !== 'none' && (
            <nav aria-label="Main" className="main-nav">
              <Link
                href={overviewHref}
                aria-current={state.route.page === 'overview' ? 'page' : undefined}
              >
                Overview
              </Link>
              <Link href={dataHref} aria-current={state.route.page === 'data' ? 'page' : undefined}>
                Data
              </Link>
            </nav>
          )}
          <div className="viewer">
            {me.role !== 'none' && (
              <span className="viewer-scope">
                {me.role === 'admin'
                  ? 'All teams'
                  : `${me.visible_teams.length} ${me.visible_teams.length === 1 ? 'team' : 'teams'} shared with you`}
              </span>
            )}
            {me.auth_mode === 'google' && me.signed_in && (
              <SignOutButton csrfToken={me.csrf_token} />
            )}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <Footer minGroupSize={me.min_group_size} />
    </>
  );
}

function SignOutButton({ csrfToken }: { readonly csrfToken: string | null }) {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="button button-quiet"
        onClick={() => {
          postJson(apiPaths.signOut(), {}, csrfToken).then(clearQueryCache, (error: unknown) => {
            setProblem(error instanceof ApiError ? error.message : 'Signing out failed.');
          });
        }}
      >
        Sign out
      </button>
      {problem !== null && (
        <span role="alert" className="state-error-text">
          {problem}
        </span>
      )}
    </>
  );
}

function Footer({ minGroupSize }: { readonly minGroupSize: number }) {
  const health = useHealthQuery();
  useNewerBuildCheck();
  const data = health.status === 'success' ? health.data : null;
  const lastImport = data?.sources
    .map((source) => source.last_import_at)
    .sort()
    .at(-1);
  const snapshot = data?.snapshot ?? null;
  return (
    <footer className="app-footer">
      <p>
        Built from calendar and Slack <strong>metadata only</strong>: no message text, event titles
        or names. Teams are shown, never individuals; groups of fewer than {minGroupSize} active
        people are hidden.
      </p>
      {data?.stale != null && (
        <p className="app-footer-stale" role="status">
          The data shown is older than intended: {data.stale.reason}
        </p>
      )}
      {(lastImport !== undefined || snapshot !== null) && (
        <p>
          {lastImport !== undefined && (
            <>Data last imported {formatDay(lastImport.slice(0, 10))}. </>
          )}
          {snapshot !== null && (
            <>
              Showing build <code data-build-id>{snapshot.build_id}</code>, finished{' '}
              {formatInstant(snapshot.built_at ?? snapshot.published_at)}.{' '}
            </>
          )}
          {data?.next_refresh_at != null && (
            <>Next refresh {formatInstant(data.next_refresh_at)}.</>
          )}
        </p>
      )}
    </footer>
  );
}
