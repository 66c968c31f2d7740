import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * A bearer-key check over SHA-256 digests, compared in constant time against every key,
 * so neither key length nor the matching key's position leaks through timing.
 */
export function createKeyCheck(keys: readonly string[]): (authorization: string | undefined) => boolean {
  const digests = keys.map(digest);
  return (authorization) => {
    const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return false;
    const given = digest(match[1] as string);
    let ok = false;
    for (const key of digests) ok = timingSafeEqual(key, given) || ok;
    return ok;
  };
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(address: string): boolean {
  const host = address.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || host.startsWith('::ffff:127.');
  return false;
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The `Origin` check against DNS rebinding: a request without Origin (any non-browser
 * client) passes; one with an Origin passes only for localhost, the bound address, or an
 * origin listed in config.
 */
export function createOriginCheck(boundHost: string, allowed: readonly string[]): (origin: string | undefined) => boolean {
  const listed = new Set(allowed.map((o) => new URL(o).origin));
  const bound = WILDCARD.has(boundHost) ? undefined : boundHost.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return (origin) => {
    if (origin === undefined) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    if (listed.has(url.origin)) return true;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return isLoopback(host) || (bound !== undefined && host === bound);
  };
}
