/** Address checks behind the `none` and `proxy` modes. */
import { isIP } from 'node:net';

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) is the IPv4 address 127.0.0.1. */
export function normaliseAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

/** localhost, 127.0.0.0/8 or ::1: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = normaliseAddress(host.replace(/^\[(.*)\]$/, '$1'));
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
  return false;
}

/** The host name of a Host header (`localhost:3000` → `localhost`, `[::1]:3000` → `::1`). */
export function hostOfHeader(header: string): string {
  const trimmed = header.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(1, trimmed.indexOf(']'));
  const colon = trimmed.lastIndexOf(':');
  return colon === -1 ? trimmed : trimmed.slice(0, colon);
}
