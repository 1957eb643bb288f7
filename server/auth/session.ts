/**
 * Sessions live in the cookie itself, sealed with AES-256-GCM under a key derived from the session
 * secret: the server keeps no session store (restarts and several processes keep working), the
 * browser cannot read or forge the content, and the signed-in email never appears in clear text in
 * a cookie jar, a proxy log or a HAR file. The cost: a session cannot be revoked before it expires,
 * so sessions are short (`SESSION_SECONDS`) and sign-out deletes the cookie.
 *
 * The CSRF token is the HMAC of a random nonce kept in its own cookie (a signed double-submit
 * token): a page on another origin can neither read the token nor mint one for a nonce it planted.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { z } from 'zod';

/** Eight hours: a working day, after which Google sign-in is asked for again. */
export const SESSION_SECONDS = 8 * 60 * 60;

const IV_BYTES = 12;
const TAG_BYTES = 16;

const sessionPayloadSchema = z.object({
  v: z.literal(1),
  email: z.string().min(3),
  /** Seconds since the epoch. */
  exp: z.number().int(),
});

export interface Session {
  readonly email: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'syncbalance', purpose, 32));
}

export class SessionCodec {
  readonly #sealKey: Buffer;
  readonly #csrfKey: Buffer;

  constructor(secret: string) {
    this.#sealKey = deriveKey(secret, 'session cookie v1');
    this.#csrfKey = deriveKey(secret, 'csrf token v1');
  }

  seal(email: string, now: Date): string {
    const payload = {
      v: 1,
      email,
      exp: Math.floor(now.getTime() / 1000) + SESSION_SECONDS,
    } satisfies z.input<typeof sessionPayloadSchema>;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#sealKey, iv);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /** The session in a cookie value, or null when it is forged, damaged, foreign or expired. */
  open(token: string, now: Date): Session | null {
    const bytes = Buffer.from(token, 'base64url');
    if (bytes.length <= IV_BYTES + TAG_BYTES) return null;
    let text: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#sealKey, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      text = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return null;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return null;
    }
    const parsed = sessionPayloadSchema.safeParse(json);
    if (!parsed.success || parsed.data.exp <= now.getTime() / 1000) return null;
    return { email: parsed.data.email, expiresAt: parsed.data.exp };
  }

  newCsrfNonce(): string {
    return randomBytes(32).toString('base64url');
  }

  csrfToken(nonce: string): string {
    return createHmac('sha256', this.#csrfKey).update(nonce).digest('base64url');
  }

  csrfTokenMatches(nonce: string, token: string): boolean {
    const expected = Buffer.from(this.csrfToken(nonce));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
