/**
 * Who is looking decides what is shown: the sign-in page (Google mode, signed out), a page saying
 * nothing is shared (role none), or the dashboard with the page the URL names.
 */
import { lazy, Suspense } from 'react';
import type { Me } from '../../../server/contract/index.ts';
import { useMeQuery, useTeamsQuery } from '../api/hooks.ts';
import { ErrorNotice, Loading } from '../components/States.tsx';
import { NotFoundPage, NoTeamsPage } from '../pages/MessagePages.tsx';
import { OverviewPage } from '../pages/OverviewPage.tsx';
import { SignInPage } from '../pages/SignInPage.tsx';
import { PageHeading } from '../routing/router.tsx';
import { useViewState } from '../routing/view-state.ts';
import { Shell } from './Shell.tsx';

// The team page carries the charting library; the overview (the first screen) does not need it.
const TeamPage = lazy(() =>
  import('../pages/TeamPage.tsx').then((module) => ({ default: module.TeamPage })),
);
// The Data page is for the occasional check, not the Monday screen: loaded when first opened.
const DataPage = lazy(() =>
  import('../pages/DataPage.tsx').then((module) => ({ default: module.DataPage })),
);

export function App() {
  const me = useMeQuery();
  if (me.status === 'loading') {
    return (
      <main id="main" className="boot">
        <Loading what="syncbalance" />
      </main>
    );
  }
  if (me.status === 'error') {
    return (
      <main id="main" className="boot">
        <ErrorNotice error={me.error} retry={me.retry} what="syncbalance" />
      </main>
    );
  }
  if (!me.data.signed_in) {
    if (me.data.auth_mode === 'google') return <SignInPage me={me.data} />;
    return (
      <main id="main" className="boot message-page">
        <PageHeading>You are not signed in</PageHeading>
        <p>
          This server expects your organisation’s sign-in proxy to identify you, and it did not.
          Open the dashboard through the usual company address.
        </p>
      </main>
    );
  }
  return <Dashboard me={me.data} />;
}

function Dashboard({ me }: { readonly me: Me }) {
  const state = useViewState();
  const teams = useTeamsQuery();
  if (me.role === 'none') {
    return (
      <Shell me={me} state={state}>
        <NoTeamsPage me={me} />
      </Shell>
    );
  }
  const content = (() => {
    if (state.route.page === 'not-found') return <NotFoundPage />;
    if (teams.status === 'error')
      return <ErrorNotice error={teams.error} retry={teams.retry} what="your teams" />;
    if (teams.status === 'loading') return <Loading what="your teams" />;
    if (state.route.page === 'team') {
      return (
        <Suspense fallback={<Loading what="the team page" />}>
          <TeamPage
            key={state.route.team}
            team={state.route.team}
            state={state}
            teams={teams.data}
          />
        </Suspense>
      );
    }
    if (state.route.page === 'data') {
      return (
        <Suspense fallback={<Loading what="the Data page" />}>
          <DataPage state={state} latestCompleteWeek={teams.data.latest_complete_week} />
        </Suspense>
      );
    }
    return <OverviewPage state={state} latestCompleteWeek={teams.data.latest_complete_week} />;
  })();
  return (
    <Shell me={me} state={state}>
      {content}
    </Shell>
  );
}
