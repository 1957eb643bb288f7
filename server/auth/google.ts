/**
 * Google sign-in (OpenID Connect): the dashboard's Google Identity Services button hands the page
 * an ID token, which the page posts to `POST /api/auth/google`. The token is verified here with
 * Google's own library (signature against Google's published keys, issuer, audience = our client
 * id, expiry), then restricted to verified addresses of the configured Workspace domain.
 *
 * The library's error messages quote the whole token and its claims (the email included), so they
 * are mapped to fixed reasons and never passed on or logged.
 */
import { OAuth2Client } from 'google-auth-library';
import { z } from 'zod';
import type { AuthConfig } from '../../warehouse/config.ts';
import { normaliseEmail } from '../../warehouse/identity.ts';

type GoogleAuthConfig = Extract<AuthConfig, { mode: 'google' }>;

export type GoogleVerification =
  | { readonly ok: true; readonly email: string }
  /** invalid: not a valid token for us; not_admitted: valid, but not a verified account of the configured domain; unavailable: Google's keys could not be fetched. */
  | { readonly ok: false; readonly reason: 'invalid' | 'not_admitted' | 'unavailable' };

export type GoogleVerifier = (credential: string) => Promise<GoogleVerification>;

const claimsSchema = z.object({
  email: z.string().min(3),
  email_verified: z.literal(true),
  hd: z.string(),
});

export function createGoogleVerifier(config: GoogleAuthConfig): GoogleVerifier {
  const client = new OAuth2Client({
    clientId: config.clientId,
    // Tests and emulators serve their own keys; production leaves this unset and uses Google's.
    ...(config.certsUrl === undefined
      ? {}
      : { endpoints: { oauth2FederatedSignonPemCertsUrl: config.certsUrl } }),
  });
  const domain = config.hostedDomain.toLowerCase();
  return async (credential) => {
    let payload: unknown;
    try {
      const ticket = await client.verifyIdToken({ idToken: credential, audience: config.clientId });
      payload = ticket.getPayload();
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      return {
        ok: false,
        reason: message.startsWith('Failed to retrieve verification certificates')
          ? 'unavailable'
          : 'invalid',
      };
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success || claims.data.hd.toLowerCase() !== domain)
      return { ok: false, reason: 'not_admitted' };
    // Only `hd` decides: users of a Workspace's secondary domains have addresses in those domains.
    return { ok: true, email: normaliseEmail(claims.data.email) };
  };
}
