/** Pages that explain why there is nothing to show. */
import type { Me } from '../../../server/contract/index.ts';
import { Link, PageHeading } from '../routing/router.tsx';

export function NoTeamsPage({ me }: { readonly me: Me }) {
  return (
    <div className="message-page">
      <PageHeading>No teams are shared with you</PageHeading>
      <p>
        syncbalance shows each manager the teams of the people who report to them, directly or
        indirectly, according to the latest roster. You are signed in, but the roster lists no one
        reporting to you, and you are not an administrator.
      </p>
      <p>
        If you expected to see a team, ask whoever maintains the roster to check your reports there,
        or an administrator to add you to <code>admins</code> in the configuration.
      </p>
      {me.auth_mode === 'proxy' && (
        <p className="fine-print">You were identified by your organisation’s sign-in proxy.</p>
      )}
    </div>
  );
}

export function NotFoundPage() {
  return (
    <div className="message-page">
      <PageHeading>Page not found</PageHeading>
      <p>
        This address does not lead to a page of the dashboard.{' '}
        <Link href="/">Go to the overview</Link>.
      </p>
    </div>
  );
}
