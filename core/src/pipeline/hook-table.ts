import {
  STAGES,
  type AnyPlugin,
  type AroundExecutor,
  type ChunkHook,
  type Executor,
  type HookOptions,
  type Stage,
  type StageHandlers,
  type TurnContext,
} from '@llm-bawt/sdk';

/** Default per-hook timeouts; a hook may set its own `timeoutMs`. */
export const DEFAULT_HOOK_TIMEOUT_MS = 30_000;
export const DEFAULT_POST_PROCESS_TIMEOUT_MS = 120_000;

type Bucket = 'pre' | 'normal' | 'post';
const BUCKET_RANK: Record<Bucket, number> = { pre: 0, normal: 1, post: 2 };

/** A hook after boot: its plugin, its options resolved, ready to run. */
export interface CompiledHook<F> {
  pluginId: string;
  /** What error messages call it, e.g. `CONTEXT_BUILD` or `memory:history.recall`. */
  hook: string;
  handler: F;
  bucket: Bucket;
  critical: boolean;
  timeoutMs: number;
  when: ((ctx: TurnContext) => boolean) | undefined;
}

// The runner passes each plugin its own context; handlers are stored with a loose context type.
type Loose<F> = F extends (...args: infer A) => infer R ? (...args: { [K in keyof A]: K extends '1' ? any : A[K] }) => R : never; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Sorted hooks of every stage, built once at boot. */
export type HookTable = { [S in Exclude<Stage, 'EXECUTE'>]: CompiledHook<Loose<StageHandlers<TurnContext>[S]>>[] } & {
  EXECUTE: CompiledHook<Executor<any>>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  around: CompiledHook<AroundExecutor<any>>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  onChunk: CompiledHook<ChunkHook<any>>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
};

function compile<F>(pluginId: string, hook: string, entry: unknown, key: 'handler' | 'around', defaultTimeout: number): CompiledHook<F> {
  const options = (typeof entry === 'function' ? {} : entry) as HookOptions<TurnContext> & Record<string, unknown>;
  const handler = (typeof entry === 'function' ? entry : options[key]) as F;
  if (typeof handler !== 'function') throw new TypeError(`plugin '${pluginId}': hook ${hook} has no ${key} function`);
  return {
    pluginId,
    hook,
    handler,
    bucket: options.order ?? 'normal',
    critical: options.critical === true,
    timeoutMs: options.timeoutMs ?? defaultTimeout,
    when: options.when,
  };
}

/**
 * Builds the per-stage hook lists from plugins already in dependency order. Inside a stage:
 * the `pre` bucket, then normal, then `post`; inside a bucket, plugin order (stable sort).
 * Memory layers contribute MEMORY_RETRIEVAL and POST_PROCESS hooks of their plugin.
 */
export function buildHookTable(plugins: readonly AnyPlugin[]): HookTable {
  const table = Object.fromEntries([...STAGES.map((s) => [s, []]), ['around', []], ['onChunk', []]]) as unknown as HookTable;
  const push = <K extends keyof HookTable>(key: K, hook: HookTable[K][number]) => (table[key] as unknown[]).push(hook);

  for (const plugin of plugins) {
    const hooks = (plugin.hooks ?? {}) as Record<string, unknown>;
    for (const stage of STAGES) {
      const entry = hooks[stage];
      if (entry === undefined) continue;
      const timeout = stage === 'POST_PROCESS' ? DEFAULT_POST_PROCESS_TIMEOUT_MS : DEFAULT_HOOK_TIMEOUT_MS;
      if (stage === 'EXECUTE' && typeof entry === 'object' && entry !== null && 'around' in entry) {
        push('around', compile(plugin.id, 'EXECUTE.around', entry, 'around', Number.POSITIVE_INFINITY));
      } else if (stage === 'EXECUTE') {
        push('EXECUTE', compile(plugin.id, 'EXECUTE', entry, 'handler', Number.POSITIVE_INFINITY));
      } else {
        push(stage, compile(plugin.id, stage, entry, 'handler', timeout) as never);
      }
    }
    if (hooks.onChunk !== undefined) push('onChunk', compile(plugin.id, 'onChunk', hooks.onChunk, 'handler', Number.POSITIVE_INFINITY));
    for (const layer of plugin.contributes?.memory ?? []) {
      if (layer.recall) {
        const recall = layer.recall.bind(layer);
        push('MEMORY_RETRIEVAL', compile(plugin.id, `memory:${layer.id}.recall`, (q: never, ctx: TurnContext) => recall(q, ctx), 'handler', DEFAULT_HOOK_TIMEOUT_MS));
      }
      if (layer.remember) {
        const remember = layer.remember.bind(layer);
        push('POST_PROCESS', compile(plugin.id, `memory:${layer.id}.remember`, (t: never, ctx: TurnContext) => remember(t, ctx), 'handler', DEFAULT_POST_PROCESS_TIMEOUT_MS));
      }
    }
  }
  for (const list of Object.values(table) as CompiledHook<unknown>[][]) {
    list.sort((a, b) => BUCKET_RANK[a.bucket] - BUCKET_RANK[b.bucket]);
  }
  return table;
}
