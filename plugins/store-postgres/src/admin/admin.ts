import { createRef, type BotRegistry, type ModelRegistry, type ModelSpec } from '@llm-bawt/sdk';
import type { Store } from '../store.js';
import { createBotAdmin, type BotAdmin } from './bots.js';
import { serialize } from './common.js';
import { createModelAdmin, type ModelAdmin } from './models.js';
import { createSettingsAdmin, type SettingsAdmin } from './settings.js';

/**
 * Edits of bots, model definitions and runtime settings that keep the database and the
 * running host in step: each write goes to the database first, then to the live registry
 * or settings cache, so the next turn uses it. The HTTP routes use it; so can other
 * transports. @public
 */
export interface StoreAdmin {
  readonly bots: BotAdmin;
  readonly models: ModelAdmin;
  readonly settings: SettingsAdmin;
}

/** The store-postgres admin API (what `/v1/bots`, `/v1/settings`, `/v1/model-definitions` use). @public */
export const storeAdminRef = createRef<StoreAdmin>({ id: 'store-postgres.admin' });

export interface StoreAdminDeps {
  store: Store;
  bots: BotRegistry;
  models: ModelRegistry;
  /** Ids of the loaded agent backends. */
  agents: ReadonlySet<string>;
  /** models.yaml's definitions before database rows overrode them. */
  fileModels: ReadonlyMap<string, ModelSpec>;
}

export function createStoreAdmin(deps: StoreAdminDeps): StoreAdmin {
  // One queue for every write: edits are rare, and ordering them keeps registry and rows alike.
  const serial = serialize();
  return {
    bots: createBotAdmin({ repository: deps.store.bots, registry: deps.bots, models: deps.models, agents: deps.agents, serial }),
    models: createModelAdmin({ repository: deps.store.models, registry: deps.models, bots: deps.bots, fileModels: deps.fileModels, serial }),
    settings: createSettingsAdmin({ repository: deps.store.settings, bots: deps.bots, serial }),
  };
}
