/**
 * The identity header of mode `proxy`, read so that it fails closed. Node.js joins repeated headers
 * with ", " and a lenient parser would then pick one copy: the proxy's, or the one a client smuggled
 * past a proxy that appends instead of overwriting. So the header is read from the raw list: two
 * copies, a comma, or anything but exactly one address in the configured form is a refusal, never
 * a guess. Refusal reasons name the header and the rule, never the value (it is someone's address,
 * or an attacker's text).
 */
import { z } from 'zod';
import { normaliseEmail } from '../../warehouse/identity.ts';

export type ProxyHeaderFormat = 'email' | 'google-iap';

/** What Google's Identity-Aware Proxy puts before the address. */
const IAP_PREFIX = 'accounts.google.com:';

const emailSchema = z.email();

export type ProxyIdentity =
  | { readonly kind: 'absent' }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'email'; readonly email: string };

function formDescription(format: ProxyHeaderFormat): string {
  return format === 'email' ? 'one email address' : `'${IAP_PREFIX}' and one email address`;
}

/**
 * `rawHeaders` is Node's flat list of names and values as received (`request.rawHeaders`);
 * `header` is the configured name, matched without regard to case.
 */
export function readProxyIdentity(
  rawHeaders: readonly string[],
  header: string,
  format: ProxyHeaderFormat,
): ProxyIdentity {
  const name = header.toLowerCase();
  const values: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    if (rawHeaders[index]?.toLowerCase() === name) values.push(rawHeaders[index + 1] ?? '');
  }
  if (values.length === 0) return { kind: 'absent' };
  if (values.length > 1)
    return { kind: 'refused', reason: `the request carries ${header} more than once` };
  const value = (values[0] ?? '').trim();
  if (value.includes(','))
    return { kind: 'refused', reason: `${header} holds a comma: expected exactly one address` };
  const address =
    format === 'google-iap'
      ? value.startsWith(IAP_PREFIX)
        ? value.slice(IAP_PREFIX.length)
        : null
      : value;
  // z.email() refuses spaces, colons, angle brackets and display names, so "Eve <eve@x>" or a
  // second provider prefix cannot pass as an address.
  if (address === null || !emailSchema.safeParse(address).success)
    return {
      kind: 'refused',
      reason: `${header} is not ${formDescription(format)} (server.auth.headerFormat ${format})`,
    };
  return { kind: 'email', email: normaliseEmail(address) };
}
