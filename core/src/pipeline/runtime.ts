import type { RuntimeSettingsSource, AdapterDefinition, AgentBackendDefinition, BotRegistry, Logger } from '@llm-bawt/sdk';
import type { Scopes } from '../container.js';
import type { ConfiguredModelRegistry } from '../models-registry.js';
import type { HookTable } from './hook-table.js';
import type { TurnState } from './turn-state.js';

/** Everything a turn needs from the booted host. */
export interface Runtime {
  readonly table: HookTable;
  readonly scopes: Scopes;
  readonly bots: BotRegistry;
  readonly models: ConfiguredModelRegistry;
  readonly agents: ReadonlyMap<string, { pluginId: string; backend: AgentBackendDefinition }>;
  readonly adapters: ReadonlyMap<string, AdapterDefinition>;
  readonly globalSettings: Readonly<Record<string, unknown>>;
  /** Runtime settings rows (storage), consulted before files at each level. */
  readonly settingsSource: RuntimeSettingsSource | undefined;
  readonly defaultUser: string;
  readonly logger: Logger;
  pluginContext(pluginId: string, turn: TurnState): { deps: unknown; config: unknown };
  /** Keeps detached work (POST_PROCESS) visible to shutdown. */
  track(work: Promise<unknown>): void;
}
