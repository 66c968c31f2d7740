import { join } from 'node:path';
import {
  coreRefs,
  createError,
  silentLogger,
  type AnyPlugin,
  type AnyRef,
  type BotConfig,
  type ContributionIndex,
  type Contributions,
  type HostApi,
  type HostHookName,
  type HostState,
  type Endpoint,
  type ListenSettings,
  type Logger,
  type ModelSpec,
  type PluginInfo,
  type RefValue,
  type TurnInput,
  type TurnStream,
} from '@llm-bawt/sdk';
import { LiveBotRegistry } from '../bot-registry.js';
import { LocalEventBus } from '../bus.js';
import { resolveRef, Scopes } from '../container.js';
import { ConfiguredModelRegistry } from '../models-registry.js';
import { createLlmCaller } from '../execute/llm-caller.js';
import { buildHookTable } from '../pipeline/hook-table.js';
import { startTurn } from '../pipeline/run-turn.js';
import type { Runtime } from '../pipeline/runtime.js';
import { settle } from '../timeout.js';
import { BUILT_IN_REF_IDS, sortPlugins } from './ordering.js';
import { checkDefaults, checkSdkRanges, checkTransports, validateConfigs, type BootProblem } from './validate.js';
import { runSetups } from './setup.js';

/** Everything a host is booted from; the CLI builds it from files, tests build it directly. */
export interface HostOptions {
  plugins: readonly AnyPlugin[];
  /** Where each plugin came from (specifier), for the boot tree. */
  sources?: ReadonlyMap<string, string>;
  /** Root config by plugin id. */
  pluginConfig?: Readonly<Record<string, unknown>>;
  bots: readonly BotConfig[];
  defaultBot?: string;
  models: readonly ModelSpec[];
  defaultModel?: string;
  /** Global runtime settings (below bot and request overrides). */
  settings?: Readonly<Record<string, unknown>>;
  env?: Readonly<Record<string, string | undefined>>;
  logger?: Logger;
  dataDir?: string;
  defaultUser?: string;
  /** Values to put in the root container before any plugin runs (tests override refs this way). */
  overrides?: ReadonlyArray<readonly [AnyRef, unknown]>;
  /**
   * Which transports to start: all (default `true`), none (`false`), or only these transport
   * ids (e.g. `['openai-http']`); an id no loaded plugin contributes is a boot problem.
   */
  transports?: boolean | readonly string[];
  /** The host's version, exposed as `HostApi.version` (the CLI passes its package version). */
  version?: string;
  /** Listener settings handed to transports. */
  listen?: ListenSettings;
}

/** A booted host. */
export interface Host extends HostApi {
  /** The boot tree: plugins in setup order with versions, dependencies and timings. */
  plugins(): PluginInfo[];
  readonly contributions: ContributionIndex;
  /** Turns running now. */
  readonly inflight: number;
}

const CLOSE_GRACE_MS = 10_000;

function indexContributions(plugins: readonly AnyPlugin[]): ContributionIndex {
  // Exhaustive: a new contribution kind fails the build here until it is indexed.
  const index: Record<keyof Contributions, { pluginId: string; value: unknown }[]> = {
    providers: [], tools: [], memory: [], adapters: [], agents: [], transports: [], embedders: [], jobs: [], entities: [], migrations: [], routes: [], status: [],
  };
  for (const plugin of plugins) {
    for (const [kind, values] of Object.entries(plugin.contributes ?? {}) as [keyof Contributions, unknown[]][]) {
      for (const value of values ?? []) (index[kind] ??= []).push({ pluginId: plugin.id, value });
    }
  }
  return index as unknown as ContributionIndex;
}

function bootError(problems: BootProblem[]): Error {
  const lines = problems.map((p) => `  - [${p.code}] ${p.message}`);
  return createError('LLMB_ERR_BOOT', `llm-bawt cannot start; ${problems.length} problem(s):\n${lines.join('\n')}`, {
    problems: problems.map((p) => `[${p.code}] ${p.message}`),
  });
}

/**
 * Boots a host: checks every plugin and config first and refuses with one error listing
 * every problem; then runs setups in dependency order, starts each bot, starts transports.
 */
export async function createHost(options: HostOptions): Promise<Host> {
  const logger = options.logger ?? silentLogger;
  const env = options.env ?? {};
  const bots = options.bots;

  const problems: BootProblem[] = [...checkSdkRanges(options.plugins)];
  const sorted = sortPlugins([...options.plugins], BUILT_IN_REF_IDS);
  problems.push(...sorted.problems);
  const configs = validateConfigs(sorted.order, options.pluginConfig ?? {}, bots);
  problems.push(...configs.problems);
  problems.push(...checkDefaults({ bots, models: options.models, defaultBot: options.defaultBot, defaultModel: options.defaultModel }));
  const transports = options.transports ?? true;
  if (typeof transports !== 'boolean') problems.push(...checkTransports(sorted.order, transports));
  if (problems.length > 0) throw bootError(problems);

  const order = sorted.order;
  const contributions = indexContributions(order);
  const scopes = new Scopes();
  const botRegistry = new LiveBotRegistry([...bots], options.defaultBot);
  const models = new ConfiguredModelRegistry(
    [...options.models],
    options.defaultModel,
    contributions.providers.map((p) => p.value),
    env,
    logger.child({ component: 'models' }),
  );
  let state: HostState = 'starting';
  let inflight = 0;
  const detached = new Set<Promise<unknown>>();
  const endpoints: Endpoint[] = [];

  const hostHooks = async (name: HostHookName, ...args: unknown[]) => {
    for (const plugin of order) {
      const hook = (plugin.hooks as Record<string, ((...a: unknown[]) => unknown) | undefined> | undefined)?.[name];
      if (!hook) continue;
      const ctx = { logger: logger.child({ plugin: plugin.id }), get: <R extends AnyRef>(ref: R) => resolveRef(scopes.root, ref) };
      try {
        await settle(hook(...args, ctx), 30_000, undefined, { pluginId: plugin.id, hook: name }, `plugin '${plugin.id}' hook ${name}`);
      } catch (error) {
        if (name === 'host:close' || name === 'bot:stop') logger.error(`plugin '${plugin.id}' hook ${name}: ${(error as Error).message}`);
        else throw createError('LLMB_ERR_PLUGIN_SETUP', `plugin '${plugin.id}' hook ${name} failed: ${(error as Error).message}`, { pluginId: plugin.id, hook: name }, error);
      }
    }
  };

  const api: Host = {
    get state() {
      return state;
    },
    get inflight() {
      return inflight;
    },
    ...(options.version === undefined ? {} : { version: options.version }),
    models,
    bots: botRegistry,
    defaultUser: options.defaultUser ?? 'default',
    contributions,
    listen: options.listen ?? {},
    endpoints: () => [...endpoints],
    plugins: () => infos,
    get: <R extends AnyRef>(ref: R): RefValue<R> => resolveRef(scopes.root, ref),
    runTurn: async (input: TurnInput, turnOptions?: { signal?: AbortSignal }): Promise<TurnStream> => {
      if (state !== 'ready') throw createError('LLMB_ERR_NOT_READY', state === 'starting' ? 'llm-bawt is still starting' : 'llm-bawt is shutting down');
      inflight++;
      try {
        const stream = await startTurn(runtime, input, turnOptions);
        void stream.done.finally(() => inflight--);
        return stream;
      } catch (error) {
        inflight--;
        throw error;
      }
    },
    close: async () => {
      if (state === 'closed' || state === 'draining') return closing;
      state = 'draining';
      closing = (async () => {
        await waitFor(() => inflight === 0, CLOSE_GRACE_MS);
        await Promise.allSettled(detached);
        await hostHooks('host:close');
        for (const bot of botRegistry.list().toReversed()) await stopBot(bot);
        await setups.dispose();
        state = 'closed';
      })();
      return closing;
    },
  };
  let closing: Promise<void> = Promise.resolve();

  for (const [ref, value] of options.overrides ?? []) scopes.provideValue(ref, value);
  const provideDefault = (ref: AnyRef, value: unknown) => {
    if (!scopes.root.isRegistered(ref.key)) scopes.provideValue(ref, value);
  };
  provideDefault(coreRefs.logger, logger);
  provideDefault(coreRefs.models, models);
  provideDefault(coreRefs.bots, botRegistry);
  provideDefault(coreRefs.host, api);
  provideDefault(coreRefs.contributions, contributions);
  provideDefault(coreRefs.llm, createLlmCaller(models, options.settings ?? {}, logger.child({ component: 'llm' })));
  const busOverridden = order.some((p) => (p.provides ?? []).some((r) => r.id === coreRefs.bus.id));
  if (!busOverridden) provideDefault(coreRefs.bus, new LocalEventBus(logger.child({ component: 'bus' })));

  const setups = await runSetups({
    order,
    scopes,
    configs: configs.root,
    env,
    logger,
    dataDir: options.dataDir ?? join(process.cwd(), '.llm-bawt'),
    sources: options.sources ?? new Map(),
    transports: typeof transports === 'boolean' ? transports : new Set(transports),
    host: api,
    announce: (endpoint: Endpoint) => endpoints.push(endpoint),
  });
  const infos = setups.infos;

  const table = buildHookTable(order);
  const runtime: Runtime = {
    table,
    scopes,
    bots: botRegistry,
    models,
    agents: new Map(contributions.agents.map(({ pluginId, value }) => [value.id, { pluginId, backend: value }])),
    adapters: new Map(contributions.adapters.map(({ value }) => [value.id, value])),
    globalSettings: options.settings ?? {},
    settingsSource: scopes.root.isRegistered(coreRefs.settings.key) ? resolveRef(scopes.root, coreRefs.settings) : undefined,
    defaultUser: options.defaultUser ?? 'default',
    logger,
    pluginContext: (pluginId, turn) => {
      const plugin = order.find((p) => p.id === pluginId);
      const deps: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries((plugin?.requires ?? {}) as Record<string, AnyRef>)) {
        Object.defineProperty(deps, name, { enumerable: true, get: () => resolveRef(turn.container, ref) });
      }
      for (const [name, ref] of Object.entries((plugin?.optional ?? {}) as Record<string, AnyRef>)) {
        Object.defineProperty(deps, name, { enumerable: true, get: () => resolveRef(turn.container, ref, true) });
      }
      const config = configs.perBot.get(pluginId)?.get(turn.bot.slug) ?? configs.root.get(pluginId);
      return { deps, config };
    },
    track: (work) => {
      detached.add(work);
      void work.finally(() => detached.delete(work));
    },
  };

  const startBot = async (bot: BotConfig) => {
    await scopes.startBot(bot);
    await hostHooks('bot:start', bot);
  };
  const stopBot = async (bot: BotConfig) => {
    await hostHooks('bot:stop', bot);
    await scopes.stopBot(bot.slug);
  };
  try {
    // Bots as they are after setup: a storage plugin may have replaced them with database rows.
    for (const bot of botRegistry.list()) await startBot(bot);
    botRegistry.attach({ start: startBot, stop: stopBot });
    state = 'ready';
    await setups.startTransports();
    await hostHooks('host:ready');
  } catch (error) {
    state = 'draining';
    for (const bot of botRegistry.list().toReversed()) await scopes.stopBot(bot.slug).catch(() => undefined);
    await setups.dispose();
    state = 'closed';
    throw error;
  }
  return api;
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
}
