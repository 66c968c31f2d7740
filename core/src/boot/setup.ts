import {
  createError,
  isLlmbError,
  type AnyPlugin,
  type AnyRef,
  type Disposer,
  type Endpoint,
  type HostApi,
  type Logger,
  type PluginInfo,
  type ScopeInfo,
} from '@llm-bawt/sdk';
import { join } from 'node:path';
import { resolveRef, type Scopes } from '../container.js';
import { isThenable, settle } from '../timeout.js';

const DEFAULT_SETUP_TIMEOUT_MS = 10_000;
const TRANSPORT_START_TIMEOUT_MS = 30_000;

export interface SetupInput {
  order: readonly AnyPlugin[];
  scopes: Scopes;
  configs: ReadonlyMap<string, unknown>;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  dataDir: string;
  sources: ReadonlyMap<string, string>;
  /** Start every transport, none, or those with these ids. */
  transports: boolean | ReadonlySet<string>;
  host: HostApi;
  announce(endpoint: Endpoint): void;
}

export interface SetupResult {
  infos: PluginInfo[];
  startTransports(): Promise<void>;
  /** Runs every disposer last-in first-out; errors are logged, teardown goes on. */
  dispose(): Promise<void>;
}

function hookNames(plugin: AnyPlugin): string[] {
  return Object.keys(plugin.hooks ?? {});
}

function contributionNames(plugin: AnyPlugin): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [kind, values] of Object.entries(plugin.contributes ?? {})) {
    out[kind] = (values as { id?: string; name?: string }[]).map((v) => v.id ?? v.name ?? '(anonymous)');
  }
  return out;
}

/** Deps for `setup`: root refs resolve now; narrower ones throw a clear error if touched. */
function setupDeps(plugin: AnyPlugin, scopes: Scopes): Record<string, unknown> {
  const deps: Record<string, unknown> = {};
  const add = (entries: Record<string, AnyRef> | undefined, optional: boolean) => {
    for (const [name, ref] of Object.entries(entries ?? {})) {
      Object.defineProperty(deps, name, {
        enumerable: true,
        get: () => {
          if (ref.scope !== 'root') {
            throw createError('LLMB_ERR_PLUGIN_SCOPE', `plugin '${plugin.id}': '${name}' is ${ref.scope}-scoped; read it in a hook (ctx.deps), not in setup`, { pluginId: plugin.id });
          }
          return resolveRef(scopes.root, ref, optional);
        },
      });
    }
  };
  add(plugin.requires as Record<string, AnyRef> | undefined, false);
  add(plugin.optional as Record<string, AnyRef> | undefined, true);
  return deps;
}

/** Runs every plugin's `setup` in dependency order, with a timeout each, recording timings. */
export async function runSetups(input: SetupInput): Promise<SetupResult> {
  const { order, scopes, logger } = input;
  const disposers: { owner: string; dispose: Disposer }[] = [];
  const infos: PluginInfo[] = [];
  const boot = new AbortController();

  const dispose = async () => {
    boot.abort();
    while (disposers.length > 0) {
      const { owner, dispose: run } = disposers.pop() as { owner: string; dispose: Disposer };
      try {
        await run();
      } catch (error) {
        logger.error(`teardown of '${owner}' failed: ${(error as Error).message}`);
      }
    }
  };

  try {
    for (const plugin of order) {
      const started = performance.now();
      const pluginLogger = logger.child({ plugin: plugin.id });
      const rootFactories: { ref: AnyRef; factory: (scope: ScopeInfo) => unknown }[] = [];
      const declared = new Map((plugin.provides ?? []).map((ref) => [ref.id, ref]));
      const provided = new Set<string>();
      if (plugin.setup) {
        const ctx = {
          id: plugin.id,
          config: input.configs.get(plugin.id),
          deps: setupDeps(plugin, scopes),
          logger: pluginLogger,
          env: input.env,
          dataDir: join(input.dataDir, plugin.id),
          signal: boot.signal,
          provide: (ref: AnyRef, factory: (scope: ScopeInfo) => unknown) => {
            if (!declared.has(ref.id)) {
              throw createError('LLMB_ERR_PLUGIN_SETUP', `plugin '${plugin.id}' provides '${ref.id}' without declaring it in 'provides'`, { pluginId: plugin.id });
            }
            provided.add(ref.id);
            if (ref.scope === 'root') rootFactories.push({ ref, factory });
            else scopes.provideFactory(ref, factory);
          },
          onClose: (disposer: Disposer) => disposers.push({ owner: plugin.id, dispose: disposer }),
        };
        try {
          const timeout = plugin.setupTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS;
          const result = await settle(plugin.setup(ctx as never), timeout, undefined, { pluginId: plugin.id, hook: 'setup' }, `plugin '${plugin.id}' setup`);
          if (typeof result === 'function') disposers.push({ owner: plugin.id, dispose: result as Disposer });
          for (const { ref, factory } of rootFactories) {
            const produced = factory({ scope: 'root' });
            const value = isThenable(produced) ? await produced : produced;
            // The container cannot hold "nothing"; say so here rather than at first use.
            if (value === undefined || value === null) throw new Error(`its factory for '${ref.id}' returned ${String(value)}`);
            scopes.provideValue(ref, value);
          }
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const code = isLlmbError(error) && error.code === 'LLMB_ERR_HOOK_TIMEOUT' ? 'timed out' : 'failed';
          throw createError('LLMB_ERR_PLUGIN_SETUP', `plugin '${plugin.id}' setup ${code}: ${message}`, { pluginId: plugin.id, hook: 'setup' }, error);
        }
      }
      const missing = [...declared.keys()].filter((id) => !provided.has(id));
      if (missing.length > 0) {
        throw createError('LLMB_ERR_PLUGIN_SETUP', `plugin '${plugin.id}' declares provides ${missing.map((m) => `'${m}'`).join(', ')} but its setup did not provide ${missing.length > 1 ? 'them' : 'it'}`, { pluginId: plugin.id });
      }
      infos.push({
        id: plugin.id,
        version: plugin.version,
        source: input.sources.get(plugin.id) ?? '(inline)',
        requires: Object.values({ ...plugin.requires, ...plugin.optional }).map((ref) => (ref as AnyRef).id),
        provides: (plugin.provides ?? []).map((ref) => ref.id),
        setupMs: performance.now() - started,
        hooks: hookNames(plugin),
        contributes: contributionNames(plugin),
      });
    }
  } catch (error) {
    await dispose();
    throw error;
  }

  const startTransports = async () => {
    const wanted = input.transports;
    if (wanted === false) return;
    for (const plugin of order) {
      for (const transport of plugin.contributes?.transports ?? []) {
        if (wanted !== true && !wanted.has(transport.id)) continue;
        const ctx = {
          host: input.host,
          config: input.configs.get(plugin.id),
          logger: logger.child({ transport: transport.id }),
          env: input.env,
          announce: (url: string, label?: string) => input.announce({ transport: transport.id, url, ...(label ? { label } : {}) }),
        };
        try {
          const stop = await settle(transport.start(ctx), TRANSPORT_START_TIMEOUT_MS, undefined, { pluginId: plugin.id, hook: 'transport.start' }, `transport '${transport.id}'`);
          if (typeof stop === 'function') disposers.push({ owner: `${plugin.id}:${transport.id}`, dispose: stop });
        } catch (error) {
          throw createError('LLMB_ERR_PLUGIN_SETUP', `transport '${transport.id}' of plugin '${plugin.id}' could not start: ${(error as Error).message}`, { pluginId: plugin.id, hook: 'transport.start' }, error);
        }
      }
    }
  };

  return { infos, startTransports, dispose };
}
