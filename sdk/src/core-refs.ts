import type { Logger } from './logger.js';
import { createRef } from './refs.js';
import type { BotRegistry, EventBus, LlmCaller, ModelRegistry, RuntimeSettingsSource } from './registries.js';
import type { HostApi } from './host-api.js';
import type { ContributionIndex } from './contributions.js';

/**
 * Refs the host itself provides (`logger`, `models`, `bots`, `bus`, `host`), and refs
 * that well-known plugins provide (`db`, `embedder`). A plugin that provides `bus`
 * replaces the in-process default.
 * @public
 */
export const coreRefs = {
  logger: createRef<Logger>({ id: 'core.logger' }),
  models: createRef<ModelRegistry>({ id: 'core.models' }),
  bots: createRef<BotRegistry>({ id: 'core.bots' }),
  bus: createRef<EventBus>({ id: 'core.bus' }),
  host: createRef<HostApi>({ id: 'core.host' }),
  /** Runtime settings rows; a storage plugin provides it, the default has none. */
  settings: createRef<RuntimeSettingsSource>({ id: 'core.settings' }),
  /** Model calls for background work (fact extraction, summaries). */
  llm: createRef<LlmCaller>({ id: 'core.llm' }),
  /** Every loaded plugin's static contributions (entities, tools, ...), known before any setup. */
  contributions: createRef<ContributionIndex>({ id: 'core.contributions' }),
  /** Request-scoped database handle (a MikroORM EntityManager fork), from store-postgres. */
  db: createRef<unknown>({ id: 'core.db', scope: 'request' }),
};
