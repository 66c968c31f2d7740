import { randomUUID } from 'node:crypto';
import type { FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import { PromptTemplateEntity, RuntimeSettingEntity, type PromptTemplateRow, type RuntimeSettingRow } from '../entities.js';
import { pageSize } from './page.js';

/** Where a setting or prompt applies: everywhere, or to one bot. @public */
export type SettingScope = { type: 'global' } | { type: 'bot'; id: string };

/** One stored runtime setting. @public */
export interface RuntimeSetting {
  scope: SettingScope;
  key: string;
  value: unknown;
  updatedAt: Date;
}

/** Which settings {@link RuntimeSettingsRepository.page} returns, and from where. @public */
export interface RuntimeSettingsPageQuery {
  /** Only global rows, or only bot rows (of every bot, or of `botId`). */
  scopeType?: 'global' | 'bot';
  botId?: string;
  /** The `next` of the previous page. */
  after?: RuntimeSettingKey;
  /** Page size (default 100, at most 500). */
  limit?: number;
}

/** Where a setting sits in the listing order (scope type, scope id, key). @public */
export type RuntimeSettingKey = readonly [scopeType: string, scopeId: string, key: string];

/** The `runtime_settings` table. @public */
export interface RuntimeSettingsRepository {
  get(scope: SettingScope, key: string): Promise<unknown>;
  /** Inserts or replaces one setting; returns it as stored. */
  set(scope: SettingScope, key: string, value: unknown): Promise<RuntimeSetting>;
  /** True when a row was deleted. */
  delete(scope: SettingScope, key: string): Promise<boolean>;
  /** Settings of one scope, or of every scope. */
  list(scope?: SettingScope): Promise<RuntimeSetting[]>;
  /** One page of settings ordered by scope, then key; `next` is present while more follow. */
  page(query?: RuntimeSettingsPageQuery): Promise<{ items: RuntimeSetting[]; next?: RuntimeSettingKey }>;
  /** The bot's row, else the global row, else undefined (request overrides and code defaults are the caller's). */
  resolve(botId: string, key: string): Promise<unknown>;
}

/** One stored prompt template. @public */
export interface PromptTemplate {
  name: string;
  scope: SettingScope;
  category: string;
  title?: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The `prompt_templates` table. @public */
export interface PromptTemplatesRepository {
  get(name: string, scope: SettingScope): Promise<PromptTemplate | undefined>;
  set(template: { name: string; scope: SettingScope; body: string; category?: string; title?: string }): Promise<PromptTemplate>;
  delete(name: string, scope: SettingScope): Promise<boolean>;
  list(filter?: { scope?: SettingScope; category?: string }): Promise<PromptTemplate[]>;
  /** The bot's template, else the global one, else undefined (the caller has the built-in default). */
  resolve(name: string, botId: string): Promise<PromptTemplate | undefined>;
}

const GLOBAL_ID = '*';

function scopeColumns(scope: SettingScope): { scopeType: 'global' | 'bot'; scopeId: string } {
  return scope.type === 'global' ? { scopeType: 'global', scopeId: GLOBAL_ID } : { scopeType: 'bot', scopeId: scope.id };
}

function scopeOf(row: { scopeType: string; scopeId: string }): SettingScope {
  return row.scopeType === 'bot' ? { type: 'bot', id: row.scopeId } : { type: 'global' };
}

const SETTING_ORDER = { scopeType: 'asc', scopeId: 'asc', key: 'asc' } as const;

function toSetting(row: RuntimeSettingRow): RuntimeSetting {
  return { scope: scopeOf(row), key: row.key, value: row.value, updatedAt: row.updatedAt };
}

export function createRuntimeSettingsRepository(orm: MikroORM): RuntimeSettingsRepository {
  const em = () => orm.em.fork();
  return {
    async get(scope, key) {
      const row = await em().findOne(RuntimeSettingEntity, { ...scopeColumns(scope), key });
      return row?.value ?? undefined;
    },
    async set(scope, key, value) {
      const row = await em().upsert(
        RuntimeSettingEntity,
        { id: randomUUID(), ...scopeColumns(scope), key, value: value ?? null, updatedAt: new Date() },
        { onConflictFields: ['scopeType', 'scopeId', 'key'], onConflictExcludeFields: ['id'] },
      );
      return toSetting(row);
    },
    async delete(scope, key) {
      return (await em().nativeDelete(RuntimeSettingEntity, { ...scopeColumns(scope), key })) > 0;
    },
    async list(scope) {
      const rows = await em().find(RuntimeSettingEntity, scope ? scopeColumns(scope) : {}, { orderBy: SETTING_ORDER });
      return rows.map(toSetting);
    },
    async page(query = {}) {
      const limit = pageSize(query.limit);
      const and: FilterQuery<RuntimeSettingRow>[] = [];
      if (query.scopeType) and.push({ scopeType: query.scopeType });
      if (query.botId !== undefined) and.push({ scopeType: 'bot', scopeId: query.botId });
      if (query.after) {
        const [afterType, id, key] = query.after;
        const type = afterType as RuntimeSettingRow['scopeType'];
        and.push({
          $or: [{ scopeType: { $gt: type } }, { scopeType: type, scopeId: { $gt: id } }, { scopeType: type, scopeId: id, key: { $gt: key } }],
        });
      }
      const rows = await em().find(RuntimeSettingEntity, and.length > 0 ? { $and: and } : {}, { orderBy: SETTING_ORDER, limit: limit + 1 });
      const items = rows.slice(0, limit).map(toSetting);
      const last = rows.length > limit ? rows[limit - 1] : undefined;
      return last ? { items, next: [last.scopeType, last.scopeId, last.key] as const } : { items };
    },
    async resolve(botId, key) {
      const rows = await em().find(RuntimeSettingEntity, {
        key,
        $or: [{ scopeType: 'bot', scopeId: botId }, { scopeType: 'global', scopeId: GLOBAL_ID }],
      });
      const bot = rows.find((row) => row.scopeType === 'bot');
      return (bot ?? rows[0])?.value ?? undefined;
    },
  };
}

function toTemplate(row: PromptTemplateRow): PromptTemplate {
  return {
    name: row.name,
    scope: scopeOf(row),
    category: row.category,
    ...(row.title != null ? { title: row.title } : {}),
    body: row.body,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function createPromptTemplatesRepository(orm: MikroORM): PromptTemplatesRepository {
  const em = () => orm.em.fork();
  return {
    async get(name, scope) {
      const row = await em().findOne(PromptTemplateEntity, { name, ...scopeColumns(scope) });
      return row ? toTemplate(row) : undefined;
    },
    async set(template) {
      const now = new Date();
      const row = await em().upsert(
        PromptTemplateEntity,
        {
          id: randomUUID(),
          name: template.name,
          ...scopeColumns(template.scope),
          category: template.category ?? 'general',
          title: template.title ?? null,
          body: template.body,
          createdAt: now,
          updatedAt: now,
        },
        { onConflictFields: ['name', 'scopeType', 'scopeId'], onConflictExcludeFields: ['id', 'createdAt'] },
      );
      return toTemplate(row);
    },
    async delete(name, scope) {
      return (await em().nativeDelete(PromptTemplateEntity, { name, ...scopeColumns(scope) })) > 0;
    },
    async list(filter = {}) {
      const where = { ...(filter.scope ? scopeColumns(filter.scope) : {}), ...(filter.category ? { category: filter.category } : {}) };
      return (await em().find(PromptTemplateEntity, where, { orderBy: { name: 'asc', scopeType: 'asc', scopeId: 'asc' } })).map(toTemplate);
    },
    async resolve(name, botId) {
      const rows = await em().find(PromptTemplateEntity, {
        name,
        $or: [{ scopeType: 'bot', scopeId: botId }, { scopeType: 'global', scopeId: GLOBAL_ID }],
      });
      const row = rows.find((r) => r.scopeType === 'bot') ?? rows[0];
      return row ? toTemplate(row) : undefined;
    },
  };
}
