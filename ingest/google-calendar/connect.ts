/**
 * `syncbalance connect google`: a desktop sign-in for one person (`@google-cloud/local-auth`), or a
 * service account with domain-wide delegation for the whole organisation. Each checks the
 * connection with one metadata-only request before storing it in the owner-only credential file.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { GoogleConfig } from '../../warehouse/config.ts';
import { InputError, RuntimeFailure } from '../../warehouse/errors.ts';
import type { Reporter } from '../../warehouse/reporter.ts';
import {
  DESKTOP_SCOPES,
  DIRECTORY_SCOPE,
  GoogleApiError,
  calendarApi,
  desktopAuth,
  directoryApi,
  serviceAccountAuth,
  withRetry,
} from './client.ts';
import {
  parseClientSecret,
  parseServiceAccountKey,
  saveConnection,
  type GoogleConnection,
} from './credentials.ts';

export interface ConnectOptions {
  readonly config: GoogleConfig;
  readonly credentialsFile: string;
  readonly reporter: Reporter;
}

function readInput(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw InputError.at(
      { file },
      `cannot read the ${what}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`,
    );
  }
}

const idTokenClaims = z.object({ email: z.string() });

/** The signed-in address from the ID token the token endpoint returned (over TLS, to us). */
function emailOf(idToken: unknown): string {
  if (typeof idToken !== 'string') {
    throw new RuntimeFailure('Google returned no ID token, so the signed-in account is unknown');
  }
  const payload = idToken.split('.')[1] ?? '';
  try {
    const claims = idTokenClaims.parse(
      JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
    );
    return claims.email.trim().toLowerCase();
  } catch {
    throw new RuntimeFailure('Google returned an ID token without an email address');
  }
}

/**
 * The loopback sign-in of `@google-cloud/local-auth`: it opens the browser, waits for the redirect
 * and exchanges the code. Its client comes from its own, older copy of google-auth-library, which
 * `googleapis` cannot sign with; only its credentials are kept and handed to a `google.auth.OAuth2`
 * client of the copy `googleapis` uses.
 */
export async function connectDesktop(
  options: ConnectOptions & { readonly clientSecretFile: string },
): Promise<GoogleConnection> {
  const file = resolve(options.clientSecretFile);
  const client = parseClientSecret(file, readInput(file, 'OAuth client file'));
  options.reporter.info(
    'Opening the browser to sign in with Google (calendar events and settings, read-only)…',
  );
  const { authenticate } = await import('@google-cloud/local-auth');
  const signedIn = await authenticate({ keyfilePath: file, scopes: [...DESKTOP_SCOPES] });
  const refreshToken = signedIn.credentials.refresh_token;
  if (typeof refreshToken !== 'string' || refreshToken === '') {
    throw new RuntimeFailure(
      'Google granted no refresh token: remove syncbalance from https://myaccount.google.com/permissions and connect again',
    );
  }
  const connection: GoogleConnection = {
    kind: 'desktop',
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    refreshToken,
    email: emailOf(signedIn.credentials.id_token),
  };
  const api = calendarApi(desktopAuth(connection, options.config), options.config);
  await check(
    () => api.settings.get({ setting: 'timezone', fields: 'value' }, { retry: false }),
    options,
    'read the calendar settings of the signed-in account',
  );
  saveConnection(options.credentialsFile, connection);
  options.reporter.result(
    `Connected Google Calendar of ${connection.email}; the refresh token is in ${options.credentialsFile} (readable by you only). Run 'syncbalance sync google' daily.`,
  );
  return connection;
}

/** Domain-wide delegation: checks that the service account can list the directory as `admin`. */
export async function connectServiceAccount(
  options: ConnectOptions & { readonly keyFile: string; readonly admin: string },
): Promise<GoogleConnection> {
  const file = resolve(options.keyFile);
  const key = parseServiceAccountKey(file, readInput(file, 'service account key'));
  const connection: GoogleConnection = { kind: 'serviceAccount', ...key, admin: options.admin };
  const admin = directoryApi(
    serviceAccountAuth(key, options.admin, [DIRECTORY_SCOPE], options.config),
    options.config,
  );
  await check(
    () =>
      admin.users.list(
        { customer: 'my_customer', maxResults: 1, fields: 'users(primaryEmail)' },
        { retry: false },
      ),
    options,
    `list the directory as ${options.admin} (is domain-wide delegation granted for the service account's client id with the scopes in docs/sources-google-calendar.md?)`,
  );
  saveConnection(options.credentialsFile, connection);
  options.reporter.result(
    `Connected the service account ${key.clientEmail} acting for ${options.admin}; a copy of its key is in ${options.credentialsFile} (readable by you only), so the downloaded key file can be deleted. Run 'syncbalance sync google' daily.`,
  );
  return connection;
}

async function check(
  request: () => Promise<unknown>,
  options: ConnectOptions,
  what: string,
): Promise<void> {
  try {
    await withRetry(request, {
      attempts: options.config.retry.attempts,
      baseDelayMs: options.config.retry.baseDelayMs,
    });
  } catch (error) {
    const reason = error instanceof GoogleApiError ? error.message : 'unexpected error';
    throw new RuntimeFailure(`cannot ${what}: ${reason}; nothing was stored`, [], { cause: error });
  }
}
