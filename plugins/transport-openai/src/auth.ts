import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * A bearer-key check over SHA-256 digests, compared in constant time against every key,
 * so neither key length nor the matching key's position leaks through timing.
 */
export function createKeyCheck(keys: readonly string[]): (authorization: string | undefined) => boolean {
  const digests = keys.map(digest);
  return (authorization) => {
    if (authorization === undefined) return false;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return false;
    const given = digest(match[1] as string);
    let ok = false;
    for (const key of digests) ok = timingSafeEqual(key, given) || ok;
    return ok;
  };
}
