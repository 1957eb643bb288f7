/**
 * A stand-in for Google's token-signing keys: a local certificate endpoint (the format of
 * https://www.googleapis.com/oauth2/v1/certs: key id → PEM) and ID tokens signed with RS256 by a
 * test RSA key, so sign-in is verified through google-auth-library's real code path.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CLIENT_ID = 'syncbalance-test.apps.googleusercontent.com';
export const HOSTED_DOMAIN = 'demo.syncbalance.example';
const KEY_ID = 'syncbalance-test-key';

export interface IdTokenClaims {
  readonly email: string;
  readonly aud?: string;
  readonly iss?: string;
  readonly hd?: string | null;
  readonly email_verified?: boolean;
  /** Seconds since the epoch; default: now and an hour from now. */
  readonly iat?: number;
  readonly exp?: number;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

export class FakeGoogle {
  readonly certsUrl: string;
  readonly #server: Server;
  readonly #key: KeyObject;
  /** Signs like the real key pair but is not published: its signatures must be rejected. */
  readonly #impostor: KeyObject;
  available = true;

  private constructor(server: Server, key: KeyObject, impostor: KeyObject) {
    this.#server = server;
    this.#key = key;
    this.#impostor = impostor;
    this.certsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/v1/certs`;
  }

  static async start(): Promise<FakeGoogle> {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const impostor = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const certificates = JSON.stringify({
      [KEY_ID]: pair.publicKey.export({ type: 'spki', format: 'pem' }),
    });
    let fake: FakeGoogle | null = null;
    const server = createServer((_request, response) => {
      if (fake?.available === false) {
        response.writeHead(500).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(certificates);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeGoogle(server, pair.privateKey, impostor);
    return fake;
  }

  idToken(claims: IdTokenClaims, options: { impostor?: boolean; keyId?: string } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: options.keyId ?? KEY_ID };
    const payload = {
      iss: claims.iss ?? 'https://accounts.google.com',
      aud: claims.aud ?? CLIENT_ID,
      azp: claims.aud ?? CLIENT_ID,
      sub: `sub-${claims.email}`,
      email: claims.email,
      email_verified: claims.email_verified ?? true,
      ...(claims.hd === null ? {} : { hd: claims.hd ?? HOSTED_DOMAIN }),
      iat: claims.iat ?? now,
      exp: claims.exp ?? now + 3600,
    };
    const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    const signature = createSign('RSA-SHA256')
      .update(signed)
      .sign(options.impostor === true ? this.#impostor : this.#key);
    return `${signed}.${base64url(signature)}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }
}
