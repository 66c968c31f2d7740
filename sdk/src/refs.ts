import { brand, isBranded, type Branded } from './brand.js';

/**
 * Where a ref's value lives: one per host (`root`), one per bot (`bot`), or one per
 * request (`request`). A ref may depend only on refs of its own or a wider scope.
 * @public
 */
export type RefScope = 'root' | 'bot' | 'request';

/** A typed handle to a value in the host's container. Make one with {@link createRef}. @public */
export interface Ref<T, Multi extends boolean = boolean> extends Branded<'ref'> {
  readonly id: string;
  readonly scope: RefScope;
  readonly multi: Multi;
  /** The container token: `Symbol.for('llm-bawt:' + id)`, equal across sdk copies. */
  readonly key: symbol;
  /** Type carrier only; reading it throws. */
  readonly T: T;
}

/** Any ref, whatever its value type. @public */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRef = Ref<any, boolean>;

/** A map of dependency names to refs, as in `requires` and `optional`. @public */
export type RefMap = Record<string, AnyRef>;

/** The value a ref resolves to: an array for multi refs. @public */
export type RefValue<R> = R extends Ref<infer T, true> ? T[] : R extends Ref<infer T, false> ? T : never;

/** Resolved `requires` (present) and `optional` (maybe undefined) refs. @public */
export type DepsOf<R extends RefMap, O extends RefMap> = { readonly [K in keyof R]: RefValue<R[K]> } & {
  readonly [K in keyof O]: RefValue<O[K]> | undefined;
};

const REF_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*\.[a-zA-Z][a-zA-Z0-9]*$/;

/**
 * Creates a typed ref. Ids are `'<pluginId>.<name>'`, e.g. `'store-postgres.db'`.
 * @public
 */
export function createRef<T>(options: { id: string; scope?: RefScope; multi?: false }): Ref<T, false>;
export function createRef<T>(options: { id: string; scope?: RefScope; multi: true }): Ref<T, true>;
export function createRef<T>(options: { id: string; scope?: RefScope; multi?: boolean }): Ref<T, boolean> {
  if (!REF_ID.test(options.id)) {
    throw new TypeError(`ref id ${JSON.stringify(options.id)} must look like '<plugin-id>.<name>'`);
  }
  const ref = {
    id: options.id,
    scope: options.scope ?? 'root',
    multi: options.multi ?? false,
    key: Symbol.for(`llm-bawt:${options.id}`),
    get T(): T {
      throw new Error(`ref ${options.id}: T is a type carrier and has no value`);
    },
    toString: () => `ref(${options.id})`,
  };
  return brand(ref, 'ref') as unknown as Ref<T, boolean>;
}

/** True for a ref made by any copy of the sdk. @public */
export function isRef(value: unknown): value is AnyRef {
  return isBranded(value, 'ref');
}
