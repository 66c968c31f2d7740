import { randomUUID } from 'node:crypto';
import { createError, type BotConfig } from '@llm-bawt/sdk';
import { UniqueConstraintViolationException, type MikroORM } from '../mikro.js';
import { BotEntity, type BotRow } from '../entities.js';
import { pageSize } from './page.js';

/** A bot as stored: its config plus row metadata. @public */
export type BotRecord = BotConfig & { id: string; createdAt: Date; updatedAt: Date };

/** What creating or replacing a bot takes; missing flags get bots.yaml's defaults. @public */
export type BotInput = Pick<BotConfig, 'slug' | 'name' | 'system_prompt'> & Partial<Omit<BotConfig, 'slug' | 'name' | 'system_prompt'>>;

/**
 * A change to a bot: given fields replace the stored ones; `null` clears an optional field;
 * `settings`, `plugins` and `agent_backend_config` merge key by key (a `null` value removes the key). @public
 */
export type BotPatch = { [K in Exclude<keyof BotConfig, 'slug'>]?: BotConfig[K] | null };

/** The `bots` table. @public */
export interface BotsRepository {
  list(): Promise<BotRecord[]>;
  /** Bots by slug after `after` (at most `limit`, default 100, up to 500); `next` is present while more follow. */
  page(query?: { after?: string; limit?: number }): Promise<{ items: BotRecord[]; next?: string }>;
  get(slug: string): Promise<BotRecord | undefined>;
  /** Rejects with `LLMB_ERR_CONFLICT` when the slug exists. */
  create(bot: BotInput): Promise<BotRecord>;
  /** Replaces every field; rejects with `LLMB_ERR_NOT_FOUND` for an unknown slug. */
  update(slug: string, bot: Omit<BotInput, 'slug'>): Promise<BotRecord>;
  patch(slug: string, patch: BotPatch): Promise<BotRecord>;
  /** True when a row was deleted. */
  delete(slug: string): Promise<boolean>;
  /** Inserts bots whose slug is missing; never touches existing rows (the database wins). */
  seedFromConfig(bots: readonly BotConfig[]): Promise<{ inserted: string[]; kept: string[] }>;
}

export function toBotRecord(row: BotRow): BotRecord {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    ...(row.description != null ? { description: row.description } : {}),
    system_prompt: row.systemPrompt,
    requires_memory: row.requiresMemory,
    uses_tools: row.usesTools,
    uses_search: row.usesSearch,
    voice_optimized: row.voiceOptimized,
    ...(row.agentBackend != null ? { agent_backend: row.agentBackend } : {}),
    ...(row.agentBackendConfig != null ? { agent_backend_config: row.agentBackendConfig } : {}),
    ...(row.defaultModel != null ? { default_model: row.defaultModel } : {}),
    settings: row.settings ?? {},
    plugins: row.plugins ?? {},
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function fields(bot: Omit<BotInput, 'slug'>): Omit<BotRow, 'id' | 'slug' | 'createdAt' | 'updatedAt'> {
  return {
    name: bot.name,
    description: bot.description ?? null,
    systemPrompt: bot.system_prompt,
    requiresMemory: bot.requires_memory ?? true,
    usesTools: bot.uses_tools ?? false,
    usesSearch: bot.uses_search ?? false,
    voiceOptimized: bot.voice_optimized ?? false,
    agentBackend: bot.agent_backend ?? null,
    agentBackendConfig: bot.agent_backend_config ?? null,
    defaultModel: bot.default_model ?? null,
    settings: bot.settings ?? {},
    plugins: bot.plugins ?? {},
  };
}

function mergeObject(base: Record<string, unknown> | null | undefined, patch: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (patch === null) return null;
  const out = { ...base };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

function notFound(slug: string) {
  return createError('LLMB_ERR_NOT_FOUND', `The bot '${slug}' does not exist`, { param: 'slug' });
}

export function createBotsRepository(orm: MikroORM): BotsRepository {
  const em = () => orm.em.fork();
  const find = (slug: string) => em().findOne(BotEntity, { slug });

  return {
    async list() {
      return (await em().find(BotEntity, {}, { orderBy: { slug: 'asc' } })).map(toBotRecord);
    },
    async page(query = {}) {
      const limit = pageSize(query.limit);
      const where = query.after === undefined ? {} : { slug: { $gt: query.after } };
      const rows = await em().find(BotEntity, where, { orderBy: { slug: 'asc' }, limit: limit + 1 });
      const items = rows.slice(0, limit).map(toBotRecord);
      return rows.length > limit ? { items, next: items.at(-1)?.slug as string } : { items };
    },
    async get(slug) {
      const row = await find(slug);
      return row ? toBotRecord(row) : undefined;
    },
    async create(bot) {
      const fork = em();
      const now = new Date();
      const row = fork.create(BotEntity, { id: randomUUID(), slug: bot.slug, ...fields(bot), createdAt: now, updatedAt: now });
      try {
        await fork.flush();
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException) {
          throw createError('LLMB_ERR_CONFLICT', `A bot with slug '${bot.slug}' already exists`, { param: 'slug' }, error);
        }
        throw error;
      }
      return toBotRecord(row);
    },
    async update(slug, bot) {
      const fork = em();
      const row = await fork.findOne(BotEntity, { slug });
      if (!row) throw notFound(slug);
      fork.assign(row, { ...fields(bot), updatedAt: new Date() });
      await fork.flush();
      return toBotRecord(row);
    },
    async patch(slug, patch) {
      const fork = em();
      const row = await fork.findOne(BotEntity, { slug });
      if (!row) throw notFound(slug);
      const current = toBotRecord(row);
      const next: Omit<BotInput, 'slug'> = {
        name: patch.name ?? current.name,
        system_prompt: patch.system_prompt ?? current.system_prompt,
        requires_memory: patch.requires_memory ?? current.requires_memory,
        uses_tools: patch.uses_tools ?? current.uses_tools,
        uses_search: patch.uses_search ?? current.uses_search,
        voice_optimized: patch.voice_optimized ?? current.voice_optimized,
        settings: mergeObject(current.settings, patch.settings) ?? {},
        plugins: mergeObject(current.plugins, patch.plugins) ?? {},
      };
      const optional = ['description', 'agent_backend', 'default_model'] as const;
      for (const key of optional) {
        const value = patch[key] === undefined ? current[key] : patch[key];
        if (value != null) next[key] = value;
      }
      const config = mergeObject(current.agent_backend_config, patch.agent_backend_config);
      if (config && (patch.agent_backend_config !== undefined || current.agent_backend_config)) next.agent_backend_config = config;
      fork.assign(row, { ...fields(next), updatedAt: new Date() });
      await fork.flush();
      return toBotRecord(row);
    },
    async delete(slug) {
      return (await em().nativeDelete(BotEntity, { slug })) > 0;
    },
    async seedFromConfig(bots) {
      if (bots.length === 0) return { inserted: [], kept: [] };
      const now = new Date();
      const rows = bots.map((bot) => ({ id: randomUUID(), slug: bot.slug, ...fields(bot), createdAt: now, updatedAt: now }));
      // ON CONFLICT DO NOTHING: two hosts seeding at once insert each bot once, and an existing row wins.
      const result = await em().createQueryBuilder(BotEntity).insert(rows).onConflict('slug').ignore().returning('slug').execute('all');
      const inserted = (result as unknown as { slug: string }[]).map((row) => row.slug);
      return { inserted, kept: bots.map((bot) => bot.slug).filter((slug) => !inserted.includes(slug)) };
    },
  };
}
