import { createError, type BotConfig, type BotRegistry, type ModelRegistry } from '@llm-bawt/sdk';
import type { BotInput, BotPatch, BotRecord, BotsRepository } from '../repos/bots.js';
import { decodeCursor, encodeCursor, invalid, isString, type AdminPage, type PageQuery } from './common.js';

/** Bots in the database, kept in step with the host's live bot registry. @public */
export interface BotAdmin {
  list(query?: PageQuery): Promise<AdminPage<BotRecord>>;
  /** Rejects with `LLMB_ERR_UNKNOWN_BOT` (404). */
  get(slug: string): Promise<BotRecord>;
  /** `LLMB_ERR_CONFLICT` (409) on a duplicate slug. */
  create(bot: BotInput): Promise<BotRecord>;
  /** Replaces every editable field. */
  replace(slug: string, bot: Omit<BotInput, 'slug'>): Promise<BotRecord>;
  /** Given fields replace; `settings`, `plugins`, `agent_backend_config` merge key by key; `null` clears. */
  patch(slug: string, patch: BotPatch): Promise<BotRecord>;
  /** Refuses (409) the default bot and the last bot. */
  delete(slug: string): Promise<void>;
}

export interface BotAdminDeps {
  repository: BotsRepository;
  registry: BotRegistry;
  models: ModelRegistry;
  /** Ids of the loaded agent backends. */
  agents: ReadonlySet<string>;
  serial: <T>(work: () => Promise<T>) => Promise<T>;
}

/** The registry's view of a stored bot (row metadata left out). */
export function toBotConfig(record: BotRecord): BotConfig {
  const { id: _id, createdAt: _created, updatedAt: _updated, ...bot } = record;
  return bot;
}

function unknownBot(slug: string) {
  return createError('LLMB_ERR_UNKNOWN_BOT', `The bot '${slug}' does not exist`, { param: 'slug' });
}

export function createBotAdmin(deps: BotAdminDeps): BotAdmin {
  const { repository, registry, models, agents, serial } = deps;

  /** What the database would accept but a turn could not use. */
  const checkReferences = (bot: { default_model?: string | null | undefined; agent_backend?: string | null | undefined }) => {
    if (bot.default_model != null && !models.get(bot.default_model)) {
      const known = models.list().map((m) => m.alias);
      throw invalid('default_model', `default_model '${bot.default_model}' is not a model alias${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`);
    }
    if (bot.agent_backend != null && !agents.has(bot.agent_backend)) {
      const known = [...agents];
      throw invalid('agent_backend', `agent_backend '${bot.agent_backend}' is not provided by any loaded plugin${known.length > 0 ? ` (loaded: ${known.join(', ')})` : ''}`);
    }
  };

  const existing = async (slug: string) => {
    const record = await repository.get(slug);
    if (!record) throw unknownBot(slug);
    return record;
  };

  /** The database has the change; now the running host serves it (the bot's scope restarts). */
  const publish = async (record: BotRecord) => {
    await registry.upsert(toBotConfig(record));
    return record;
  };

  return {
    async list(query = {}) {
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isString);
      const page = await repository.page({ ...(after === undefined ? {} : { after }), ...(query.limit === undefined ? {} : { limit: query.limit }) });
      return page.next === undefined ? { items: page.items } : { items: page.items, nextCursor: encodeCursor(page.next) };
    },
    get: existing,
    create: (bot) =>
      serial(async () => {
        checkReferences(bot);
        return publish(await repository.create(bot));
      }),
    replace: (slug, bot) =>
      serial(async () => {
        await existing(slug);
        checkReferences(bot);
        return publish(await repository.update(slug, bot));
      }),
    patch: (slug, patch) =>
      serial(async () => {
        await existing(slug);
        checkReferences(patch);
        return publish(await repository.patch(slug, patch));
      }),
    delete: (slug) =>
      serial(async () => {
        await existing(slug);
        if (slug === registry.defaultSlug()) {
          throw createError(
            'LLMB_ERR_CONFLICT',
            `The bot '${slug}' is the default bot (requests that name no bot go to it): make another bot the default first (LLM_BAWT_DEFAULT_BOT or default_bot in the config)`,
            { param: 'slug' },
          );
        }
        const others = (await repository.page({ limit: 2 })).items.filter((bot) => bot.slug !== slug);
        if (others.length === 0) {
          throw createError('LLMB_ERR_CONFLICT', `The bot '${slug}' is the only bot and a host needs one: create another bot first`, { param: 'slug' });
        }
        if (!(await repository.delete(slug))) throw unknownBot(slug);
        await registry.remove(slug);
      }),
  };
}
