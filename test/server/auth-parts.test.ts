/**
 * The pieces under sign-in that HTTP tests cannot reach in every variant: the sealed session
 * format, loopback detection for mode `none`, and identity headers in mode `proxy`.
 */
import { describe, expect, it } from 'vitest';
import { hostOfHeader, isLoopbackHost, normaliseAddress } from '../../server/auth/addresses.ts';
import { readProxyIdentity } from '../../server/auth/proxy-header.ts';
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

describe('readProxyIdentity', () => {
  const raw = (...values: string[]): string[] =>
    values.flatMap((value) => ['X-Forwarded-Email', value]);
  const read = (headers: string[], format: 'email' | 'google-iap' = 'email') =>
    readProxyIdentity(['Host', 'localhost', ...headers], 'x-forwarded-email', format);

  it('accepts exactly one address in the configured form, normalised', () => {
    expect(read(raw('Ada@Example.com'))).toEqual({ kind: 'email', email: 'ada@example.com' });
    expect(read(raw('accounts.google.com:ada@example.com'), 'google-iap')).toEqual({
      kind: 'email',
      email: 'ada@example.com',
    });
  });
  it('says the header is absent when it is', () => {
    expect(read([])).toEqual({ kind: 'absent' });
  });
  it('refuses a duplicated header, whatever the case of its name', () => {
    const twice = read([
      'x-forwarded-email',
      'ada@example.com',
      'X-FORWARDED-EMAIL',
      'ceo@example.com',
    ]);
    expect(twice).toEqual({
      kind: 'refused',
      reason: 'the request carries x-forwarded-email more than once',
    });
    expect(read(raw('ada@example.com', 'ada@example.com')).kind).toBe('refused');
  });
  it('refuses a comma-joined value', () => {
    for (const value of [
      'ada@example.com, ceo@example.com',
      'ada@example.com,',
      ',ceo@example.com',
    ])
      expect(read(raw(value)).kind, value).toBe('refused');
    expect(
      read(
        raw('accounts.google.com:ada@example.com,accounts.google.com:ceo@example.com'),
        'google-iap',
      ).kind,
    ).toBe('refused');
  });
  it.each([
    '',
    'ada',
    'ada@',
    'Ada <ada@example.com>',
    'ada@example.com ceo@example.com',
    'accounts.google.com:ada@example.com',
    'x:ceo@example.com',
  ])('refuses %j in the email form', (value) => {
    expect(read(raw(value)).kind).toBe('refused');
  });
  it.each([
    'ada@example.com',
    'accounts.google.com:',
    'accounts.google.com:evil:accounts.google.com:ceo@example.com',
    'evil:accounts.google.com:ceo@example.com',
    'ACCOUNTS.GOOGLE.COM:ceo@example.com x',
  ])('refuses %j in the Identity-Aware Proxy form', (value) => {
    expect(read(raw(value), 'google-iap').kind).toBe('refused');
  });
  it('never puts the value in the reason', () => {
    const refused = read(raw('ceo@example.com, eve@example.com'));
    expect(refused.kind === 'refused' ? refused.reason : '').not.toMatch(/@/);
  });
});
