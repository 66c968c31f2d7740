import type * as v from 'valibot';
import { assertId, brand, type Branded } from './brand.js';
import type { Contributions, Disposer } from './contributions.js';
import type { PipelineHooks } from './hooks.js';
import type { Logger } from './logger.js';
import { isRef, type AnyRef, type DepsOf, type RefMap, type RefScope, type RefValue } from './refs.js';
import type { BotConfig } from './config-types.js';
import type { TurnContext } from './turn.js';

type MaybePromise<T> = T | Promise<T>;

/** A valibot schema for a plugin's config. @public */
export type ConfigSchema = v.GenericSchema;

/** The parsed config type of a schema (an empty record without one). @public */
export type ConfigOf<S> = S extends v.GenericSchema ? v.InferOutput<S> : Record<string, never>;

/** Where a scoped ref's factory is being called. @public */
export interface ScopeInfo {
  readonly scope: RefScope;
  readonly bot?: BotConfig;
  readonly requestId?: string;
}

/** The context a plugin's `setup` receives. @public */
export interface SetupContext<D, C> {
  readonly id: string;
  /** Validated, frozen root config of the plugin. */
  readonly config: C;
  readonly deps: D;
  readonly logger: Logger;
  /** The host's environment, passed in explicitly; never write to it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory for the plugin's files (under LLM_BAWT_DATA_DIR). */
  readonly dataDir: string;
  /** Aborted when boot is cancelled or the host shuts down. */
  readonly signal: AbortSignal;
  /**
   * Provides a ref declared in `provides`. Root and bot factories may be async and run when
   * their scope starts; request factories must be synchronous and run on first use.
   */
  provide<R extends AnyRef>(ref: R, factory: (scope: ScopeInfo) => MaybePromise<RefValue<R>>): void;
  /** Registers a disposer; disposers run last-in first-out at shutdown. */
  onClose(disposer: Disposer): void;
}

/** The context a plugin's pipeline hooks receive: the turn plus its deps and per-bot config. @public */
export type HookContext<D, C> = TurnContext & { readonly deps: D; readonly config: C };

/** A plugin, as written by its author. @public */
export interface PluginDefinition<R extends RefMap = RefMap, O extends RefMap = RefMap, S = undefined> {
  /** kebab-case, unique in a host. */
  id: string;
  /** The plugin's own semver version. */
  version: string;
  /** The sdk semver range the plugin was written for, e.g. `^0.1.0`. */
  sdk: string;
  description?: string;
  requires?: R;
  optional?: O;
  /** Refs this plugin provides in `setup`; declared so the host can sort before setup runs. */
  provides?: AnyRef[];
  config?: S;
  contributes?: Contributions;
  hooks?: PipelineHooks<HookContext<DepsOf<R, O>, ConfigOf<S>>>;
  setup?(ctx: SetupContext<DepsOf<R, O>, ConfigOf<S>>): MaybePromise<void | Disposer>;
  /** Milliseconds `setup` may take (default 10 000). */
  setupTimeoutMs?: number;
}

/** A plugin after {@link definePlugin}: branded and checked. @public */
export type Plugin<R extends RefMap = RefMap, O extends RefMap = RefMap, S = unknown> = PluginDefinition<R, O, S> &
  Branded<'plugin'>;

/** Any plugin, whatever its deps and config (hooks and setup take any context). @public */
export type AnyPlugin = Omit<PluginDefinition<RefMap, RefMap, unknown>, 'hooks' | 'setup'> & {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  hooks?: PipelineHooks<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  setup?(ctx: any): MaybePromise<void | Disposer>;
} & Branded<'plugin'>;

const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * Defines a plugin. Nothing runs here but cheap checks: the host loads, validates and
 * wires plugins at boot. @public
 */
export function definePlugin<R extends RefMap = {}, O extends RefMap = {}, S extends ConfigSchema | undefined = undefined>(
  definition: PluginDefinition<R, O, S>,
): Plugin<R, O, S> {
  assertId(definition.id, 'plugin');
  if (!SEMVER.test(definition.version ?? '')) {
    throw new TypeError(`plugin ${definition.id}: version ${JSON.stringify(definition.version)} is not semver`);
  }
  if (typeof definition.sdk !== 'string' || definition.sdk.trim() === '') {
    throw new TypeError(`plugin ${definition.id}: sdk must be a semver range such as '^0.1.0'`);
  }
  for (const [name, ref] of Object.entries({ ...definition.requires, ...definition.optional })) {
    if (!isRef(ref)) throw new TypeError(`plugin ${definition.id}: dependency '${name}' is not a ref`);
  }
  for (const ref of definition.provides ?? []) {
    if (!isRef(ref)) throw new TypeError(`plugin ${definition.id}: provides an entry that is not a ref`);
  }
  return brand(definition, 'plugin') as Plugin<R, O, S>;
}
