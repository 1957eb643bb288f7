/**
 * Whether the browser reached us over HTTPS, which decides the cookies' Secure flag. True for a
 * TLS socket, or when the first `X-Forwarded-Proto` says https (a TLS-terminating proxy in front).
 * The header is honoured from any peer on purpose: it can only add Secure, and a client that lies
 * about it only keeps its own cookie from travelling over plain HTTP.
 */
import type { TLSSocket } from 'node:tls';
import type { Request } from 'express';

export function isHttps(request: Request): boolean {
  if ((request.socket as Partial<TLSSocket>).encrypted === true) return true;
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0];
  return first?.trim().toLowerCase() === 'https';
}
