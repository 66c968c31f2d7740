import { randomUUID } from 'node:crypto';
import type { ModelSpec } from '@llm-bawt/sdk';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ModelDefinitionEntity, type ModelDefinitionRow } from '../entities.js';
import { pageSize } from './page.js';

/** The `model_definitions` table: database rows override models.yaml aliases. @public */
export interface ModelDefinitionsRepository {
  list(): Promise<ModelSpec[]>;
  /** Definitions by alias after `after` (at most `limit`, default 100, up to 500); `next` is present while more follow. */
  page(query?: { after?: string; limit?: number }): Promise<{ items: ModelSpec[]; next?: string }>;
  get(alias: string): Promise<ModelSpec | undefined>;
  /** Inserts or replaces the definition of `spec.alias`. */
  upsert(spec: ModelSpec): Promise<ModelSpec>;
  /** True when a row was deleted. */
  delete(alias: string): Promise<boolean>;
}

export function toModelSpec(row: ModelDefinitionRow): ModelSpec {
  const optional = {
    base_url: row.baseUrl,
    api_key_env: row.apiKeyEnv,
    context_window: row.contextWindow,
    max_output_tokens: row.maxOutputTokens,
    tool_support: row.toolSupport,
    pricing: row.pricing,
    fallbacks: row.fallbacks,
    options: row.options,
  };
  const spec: ModelSpec = { alias: row.alias, provider: row.provider, model: row.model };
  for (const [key, value] of Object.entries(optional)) {
    if (value != null) (spec as unknown as Record<string, unknown>)[key] = value;
  }
  return spec;
}

function columns(spec: ModelSpec) {
  return {
    provider: spec.provider,
    model: spec.model,
    baseUrl: spec.base_url ?? null,
    apiKeyEnv: spec.api_key_env ?? null,
    contextWindow: spec.context_window ?? null,
    maxOutputTokens: spec.max_output_tokens ?? null,
    toolSupport: spec.tool_support ?? null,
    pricing: spec.pricing ?? null,
    fallbacks: spec.fallbacks ?? null,
    options: spec.options ?? null,
  };
}

export function createModelDefinitionsRepository(orm: MikroORM): ModelDefinitionsRepository {
  const em = () => orm.em.fork();
  return {
    async list() {
      return (await em().find(ModelDefinitionEntity, {}, { orderBy: { alias: 'asc' } })).map(toModelSpec);
    },
    async page(query = {}) {
      const limit = pageSize(query.limit);
      const where = query.after === undefined ? {} : { alias: { $gt: query.after } };
      const rows = await em().find(ModelDefinitionEntity, where, { orderBy: { alias: 'asc' }, limit: limit + 1 });
      const items = rows.slice(0, limit).map(toModelSpec);
      return rows.length > limit ? { items, next: items.at(-1)?.alias as string } : { items };
    },
    async get(alias) {
      const row = await em().findOne(ModelDefinitionEntity, { alias });
      return row ? toModelSpec(row) : undefined;
    },
    async upsert(spec) {
      const now = new Date();
      const row = await em().upsert(
        ModelDefinitionEntity,
        { id: randomUUID(), alias: spec.alias, ...columns(spec), createdAt: now, updatedAt: now },
        { onConflictFields: ['alias'], onConflictExcludeFields: ['id', 'createdAt'] },
      );
      return toModelSpec(row);
    },
    async delete(alias) {
      return (await em().nativeDelete(ModelDefinitionEntity, { alias })) > 0;
    },
  };
}
