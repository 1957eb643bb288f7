/**
 * The pieces under sign-in that HTTP tests cannot reach in every variant: the sealed session
 * format, loopback detection for mode `none`, and identity headers in mode `proxy`.
 */
import { describe, expect, it } from 'vitest';
import { hostOfHeader, isLoopbackHost, normaliseAddress } from '../../server/auth/addresses.ts';
import { emailFromProxyHeader } from '../../server/auth/authenticate.ts';
import { SESSION_SECONDS, SessionCodec } from '../../server/auth/session.ts';

const NOW = new Date('2026-11-17T09:00:00Z');
const codec = new SessionCodec('a-session-secret-of-at-least-32-characters');

describe('SessionCodec', () => {
  it('opens what it sealed until the session expires', () => {
    const token = codec.seal('ada@example.com', NOW);
    expect(codec.open(token, NOW)).toEqual({
      email: 'ada@example.com',
      expiresAt: NOW.getTime() / 1000 + SESSION_SECONDS,
    });
    expect(codec.open(token, new Date(NOW.getTime() + SESSION_SECONDS * 1000))).toBeNull();
  });

  it('refuses a session sealed under another secret, altered or truncated', () => {
    const token = codec.seal('ada@example.com', NOW);
    const other = new SessionCodec('another-session-secret-of-32-characters!');
    expect(other.open(token, NOW)).toBeNull();
    const bytes = Buffer.from(token, 'base64url');
    bytes[14] = (bytes[14] ?? 0) ^ 1;
    expect(codec.open(bytes.toString('base64url'), NOW)).toBeNull();
    expect(codec.open(token.slice(0, 30), NOW)).toBeNull();
    expect(codec.open('', NOW)).toBeNull();
  });

  it('keeps the address out of the cookie and never seals the same bytes twice', () => {
    const first = codec.seal('ada@example.com', NOW);
    expect(Buffer.from(first, 'base64url').toString('latin1')).not.toContain('ada');
    expect(codec.seal('ada@example.com', NOW)).not.toBe(first);
  });

  it('accepts only the CSRF token derived from the nonce', () => {
    const nonce = codec.newCsrfNonce();
    expect(codec.csrfTokenMatches(nonce, codec.csrfToken(nonce))).toBe(true);
    expect(codec.csrfTokenMatches(nonce, codec.csrfToken(codec.newCsrfNonce()))).toBe(false);
    expect(codec.csrfTokenMatches(nonce, '')).toBe(false);
  });
});

describe('loopback detection', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1'])(
    '%s is loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );
  it.each([
    '0.0.0.0',
    '::',
    '192.168.1.5',
    '10.0.0.1',
    'example.com',
    'localhost.example.com',
    '128.0.0.1',
  ])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
  it('reads the host name of a Host header', () => {
    expect(hostOfHeader('localhost:3000')).toBe('localhost');
    expect(hostOfHeader('[::1]:3000')).toBe('::1');
    expect(hostOfHeader('Example.com')).toBe('example.com');
    expect(normaliseAddress('::FFFF:10.1.2.3')).toBe('10.1.2.3');
  });
});

describe('emailFromProxyHeader', () => {
  it('accepts a bare address or one prefixed by the identity provider, normalised', () => {
    expect(emailFromProxyHeader(' Ada@Example.com ')).toBe('ada@example.com');
    expect(emailFromProxyHeader('accounts.google.com:ada@example.com')).toBe('ada@example.com');
  });
  it('treats anything else as nobody signed in', () => {
    expect(emailFromProxyHeader(undefined)).toBeNull();
    expect(emailFromProxyHeader('')).toBeNull();
    expect(emailFromProxyHeader('ada')).toBeNull();
    expect(emailFromProxyHeader('ada@example.com, eve@example.com')).toBeNull();
    expect(emailFromProxyHeader(['ada@example.com', 'eve@example.com'])).toBeNull();
  });
});
