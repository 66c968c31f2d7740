import { createError, type BotRegistry } from '@llm-bawt/sdk';
import type { RuntimeSetting, RuntimeSettingKey, RuntimeSettingsRepository, SettingScope } from '../repos/settings.js';
import { decodeCursor, encodeCursor, invalid, type AdminPage, type PageQuery } from './common.js';

/** Which settings to list. @public */
export interface SettingsQuery extends PageQuery {
  /** Only global rows, or only bot rows (of every bot, or of `botId`). */
  scopeType?: 'global' | 'bot';
  botId?: string;
}

/** Runtime settings in the database; writes reach running turns at once (through the cache). @public */
export interface SettingsAdmin {
  list(query?: SettingsQuery): Promise<AdminPage<RuntimeSetting>>;
  /** A bot scope must name a bot the host serves (`LLMB_ERR_UNKNOWN_BOT`, 404, on `bot_id`). */
  set(scope: SettingScope, key: string, value: unknown): Promise<RuntimeSetting>;
  /** Rejects with `LLMB_ERR_NOT_FOUND` (404) when no such row exists. */
  delete(scope: SettingScope, key: string): Promise<void>;
}

export interface SettingsAdminDeps {
  repository: RuntimeSettingsRepository;
  bots: BotRegistry;
  serial: <T>(work: () => Promise<T>) => Promise<T>;
}

/** Values checked here because this plugin reads them; other keys are free-form JSON. */
const KNOWN_VALUES: Record<string, { ok: (value: unknown) => boolean; expected: string }> = {
  turn_log: { ok: (value) => value === 'off' || value === 'metadata' || value === 'full' || typeof value === 'boolean', expected: "one of 'off', 'metadata', 'full'" },
};

const isKey = (value: unknown): value is RuntimeSettingKey =>
  Array.isArray(value) && value.length === 3 && value.every((part) => typeof part === 'string');

const describe = (scope: SettingScope) => (scope.type === 'global' ? 'the global scope' : `bot '${scope.id}'`);

export function createSettingsAdmin(deps: SettingsAdminDeps): SettingsAdmin {
  const { repository, bots, serial } = deps;
  return {
    async list(query = {}) {
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isKey);
      const page = await repository.page({
        ...(query.scopeType ? { scopeType: query.scopeType } : {}),
        ...(query.botId === undefined ? {} : { botId: query.botId }),
        ...(after ? { after } : {}),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
      });
      return page.next === undefined ? { items: page.items } : { items: page.items, nextCursor: encodeCursor(page.next) };
    },
    set: (scope, key, value) =>
      serial(async () => {
        if (value === null || value === undefined) throw invalid('value', 'value is required (to remove a setting, DELETE it)');
        const known = KNOWN_VALUES[key];
        if (known && !known.ok(value)) throw invalid('value', `${key} must be ${known.expected}, not ${JSON.stringify(value)}`);
        if (scope.type === 'bot' && !bots.get(scope.id)) {
          throw createError('LLMB_ERR_UNKNOWN_BOT', `The bot '${scope.id}' does not exist`, { param: 'bot_id' });
        }
        return repository.set(scope, key, value);
      }),
    delete: (scope, key) =>
      serial(async () => {
        if (!(await repository.delete(scope, key))) {
          throw createError('LLMB_ERR_NOT_FOUND', `No setting '${key}' is stored for ${describe(scope)}`, { param: 'key' });
        }
      }),
  };
}
