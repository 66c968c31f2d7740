/**
 * Brands mark sdk objects with `Symbol.for` keys instead of classes, so a plugin that
 * loads its own copy of the sdk still produces objects the host recognises.
 */
export const BRAND = Symbol.for('llm-bawt:brand');

/** The kinds of branded sdk object. @public */
export type BrandKind =
  | 'plugin'
  | 'ref'
  | 'provider'
  | 'tool'
  | 'memory-layer'
  | 'adapter'
  | 'agent-backend'
  | 'transport'
  | 'embedder'
  | 'job'
  | 'status-check'
  | 'error'
  | 'bail'
  | 'route'
  | 'reply';

export type Branded<K extends BrandKind> = { readonly [BRAND]: K };

export function brand<T extends object, K extends BrandKind>(value: T, kind: K): T & Branded<K> {
  Object.defineProperty(value, BRAND, { value: kind, enumerable: false });
  return value as T & Branded<K>;
}

/** True when `value` carries the sdk brand `kind`, whichever sdk copy made it. @public */
export function isBranded<K extends BrandKind>(value: unknown, kind: K): value is Branded<K> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === kind;
}

export const ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function assertId(id: unknown, what: string): void {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new TypeError(`${what} id ${JSON.stringify(id)} must be kebab-case (${ID_PATTERN.source})`);
  }
}
