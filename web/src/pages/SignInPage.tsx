/**
 * Google sign-in: Google's own button (Google Identity Services) hands this page an ID token,
 * which is posted to the server; the server verifies it and sets the session cookie.
 */
import { useEffect, useRef, useState } from 'react';
import type { Me } from '../../../server/contract/index.ts';
import { ApiError, apiPaths, postJson } from '../api/client.ts';
import { clearQueryCache } from '../api/query-cache.ts';
import { PageHeading } from '../routing/router.tsx';

const GIS_SCRIPT = 'https://accounts.google.com/gsi/client';

/** The part of Google Identity Services this page uses. */
interface GoogleIdentity {
  initialize(config: {
    client_id: string;
    callback: (response: { credential?: string }) => void;
    ux_mode: 'popup';
  }): void;
  renderButton(
    parent: HTMLElement,
    options: {
      type: 'standard';
      theme: 'outline';
      size: 'large';
      text: 'signin_with';
      width?: number;
    },
  ): void;
}

function googleIdentity(): GoogleIdentity | null {
  const candidate = (window as { google?: { accounts?: { id?: GoogleIdentity } } }).google?.accounts
    ?.id;
  return candidate ?? null;
}

function loadScript(): Promise<void> {
  const existing = document.querySelector<HTMLScriptElement>(`script[src="${GIS_SCRIPT}"]`);
  if (existing && googleIdentity()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = existing ?? document.createElement('script');
    script.addEventListener('load', () => {
      resolve();
    });
    script.addEventListener('error', () => {
      reject(new Error('script'));
    });
    if (!existing) {
      script.src = GIS_SCRIPT;
      script.async = true;
      document.head.append(script);
    }
  });
}

export function SignInPage({ me }: { readonly me: Me }) {
  const button = useRef<HTMLDivElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const clientId = me.google_client_id;

  useEffect(() => {
    if (clientId === null) return;
    let cancelled = false;
    loadScript().then(
      () => {
        const identity = googleIdentity();
        if (cancelled || !identity || !button.current) return;
        identity.initialize({
          client_id: clientId,
          ux_mode: 'popup',
          callback: ({ credential }) => {
            if (credential === undefined) return;
            setBusy(true);
            setProblem(null);
            postJson(apiPaths.googleSignIn(), { credential }, me.csrf_token).then(
              () => {
                clearQueryCache();
              },
              (error: unknown) => {
                setBusy(false);
                setProblem(error instanceof ApiError ? error.message : 'Signing in failed.');
              },
            );
          },
        });
        identity.renderButton(button.current, {
          type: 'standard',
          theme: 'outline',
          size: 'large',
          text: 'signin_with',
          width: 280,
        });
      },
      () => {
        if (!cancelled)
          setProblem(
            'Google’s sign-in button could not be loaded. Check your connection or any content blocker, then reload.',
          );
      },
    );
    return () => {
      cancelled = true;
    };
  }, [clientId, me.csrf_token]);

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <p className="brand brand-large">syncbalance</p>
        <PageHeading>Sign in</PageHeading>
        <p>
          See how your teams balance meetings and instant replies against focused, asynchronous
          work. Sign in with your work Google account.
        </p>
        {clientId === null ? (
          <p role="alert">Google sign-in is not configured on this server (no client id).</p>
        ) : (
          <div ref={button} className="google-button" aria-busy={busy} />
        )}
        {busy && <p role="status">Signing in…</p>}
        {problem !== null && (
          <p role="alert" className="state-error-text">
            {problem}
          </p>
        )}
        <p className="fine-print">
          syncbalance reads calendar and Slack metadata only, never message text or event titles,
          and shows teams, never individuals.
        </p>
      </div>
    </main>
  );
}
