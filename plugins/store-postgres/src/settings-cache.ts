import type { RuntimeSettingsSource } from '@llm-bawt/sdk';
import type { RuntimeSettingsRepository, SettingScope } from './repos/settings.js';

/** The `runtime_settings` rows in memory, for `coreRefs.settings` (read on every turn). @public */
export interface RuntimeSettingsCache extends RuntimeSettingsSource {
  /** Reads every row again (at boot; after another process changed the table). */
  reload(): Promise<void>;
}

const keyOf = (scope: SettingScope, key: string) => (scope.type === 'global' ? `global\u0000\u0000${key}` : `bot\u0000${scope.id}\u0000${key}`);

/**
 * Puts a cache in front of the settings repository: reads are synchronous map lookups, and
 * every write through the returned repository updates the cache once the database has it.
 */
export function cacheSettings(repository: RuntimeSettingsRepository): { repository: RuntimeSettingsRepository; cache: RuntimeSettingsCache } {
  let rows = new Map<string, unknown>();
  const remember = (scope: SettingScope, key: string, value: unknown) => {
    // A stored null means "not set": the next source in line answers.
    if (value === null || value === undefined) rows.delete(keyOf(scope, key));
    else rows.set(keyOf(scope, key), value);
  };
  const cache: RuntimeSettingsCache = {
    get: (scope, key) => rows.get(keyOf(scope, key)),
    async reload() {
      const next = new Map<string, unknown>();
      for (const setting of await repository.list()) {
        if (setting.value !== null && setting.value !== undefined) next.set(keyOf(setting.scope, setting.key), setting.value);
      }
      rows = next;
    },
  };
  const cached: RuntimeSettingsRepository = {
    ...repository,
    async set(scope, key, value) {
      const stored = await repository.set(scope, key, value);
      remember(scope, key, stored.value);
      return stored;
    },
    async delete(scope, key) {
      const deleted = await repository.delete(scope, key);
      rows.delete(keyOf(scope, key));
      return deleted;
    },
  };
  return { repository: cached, cache };
}
