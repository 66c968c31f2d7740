import { createError, type BotRegistry, type ModelRegistry, type ModelSpec } from '@llm-bawt/sdk';
import type { ModelDefinitionsRepository } from '../repos/models.js';
import { decodeCursor, encodeCursor, invalid, isString, type AdminPage, type PageQuery } from './common.js';

/** Model definitions in the database, kept in step with the host's live model registry. @public */
export interface ModelAdmin {
  list(query?: PageQuery): Promise<AdminPage<ModelSpec>>;
  /** Rejects with `LLMB_ERR_NOT_FOUND` (404) when the database has no row for the alias. */
  get(alias: string): Promise<ModelSpec>;
  /** Inserts or replaces the alias; `created` tells which. */
  put(spec: ModelSpec): Promise<{ spec: ModelSpec; created: boolean }>;
  /** Deletes the row; an alias models.yaml also defines goes back to the file's definition. */
  delete(alias: string): Promise<void>;
}

export interface ModelAdminDeps {
  repository: ModelDefinitionsRepository;
  registry: ModelRegistry;
  bots: BotRegistry;
  /** The models.yaml definitions, as they were before database rows overrode them. */
  fileModels: ReadonlyMap<string, ModelSpec>;
  serial: <T>(work: () => Promise<T>) => Promise<T>;
}

function notFound(alias: string) {
  return createError('LLMB_ERR_NOT_FOUND', `The model definition '${alias}' does not exist in the database`, { param: 'alias' });
}

export function createModelAdmin(deps: ModelAdminDeps): ModelAdmin {
  const { repository, registry, bots, fileModels, serial } = deps;

  /** What would stop working if the alias disappeared. */
  const usersOf = (alias: string): string[] => [
    ...bots
      .list()
      .filter((bot) => bot.default_model === alias)
      .map((bot) => `bot '${bot.slug}' (default_model)`),
    ...registry
      .list()
      .filter((spec) => spec.alias !== alias && spec.fallbacks?.includes(alias))
      .map((spec) => `alias '${spec.alias}' (fallbacks)`),
  ];

  return {
    async list(query = {}) {
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isString);
      const page = await repository.page({ ...(after === undefined ? {} : { after }), ...(query.limit === undefined ? {} : { limit: query.limit }) });
      return page.next === undefined ? { items: page.items } : { items: page.items, nextCursor: encodeCursor(page.next) };
    },
    async get(alias) {
      const spec = await repository.get(alias);
      if (!spec) throw notFound(alias);
      return spec;
    },
    put: (spec) =>
      serial(async () => {
        const unknown = (spec.fallbacks ?? []).filter((fallback) => fallback === spec.alias || !registry.get(fallback));
        if (unknown.length > 0) {
          throw invalid('fallbacks', `fallbacks name ${unknown.map((a) => `'${a}'`).join(', ')}, which ${unknown.length === 1 ? 'is' : 'are'} not another model alias`);
        }
        const created = (await repository.get(spec.alias)) === undefined;
        const stored = await repository.upsert(spec);
        registry.upsert(stored);
        return { spec: stored, created };
      }),
    delete: (alias) =>
      serial(async () => {
        if (!(await repository.get(alias))) throw notFound(alias);
        const file = fileModels.get(alias);
        if (!file) {
          const users = usersOf(alias);
          if (users.length > 0) {
            throw createError('LLMB_ERR_CONFLICT', `The model alias '${alias}' is still used by ${users.join(', ')}: change those first`, { param: 'alias' });
          }
        }
        if (!(await repository.delete(alias))) throw notFound(alias);
        if (file) registry.upsert(file);
        else registry.remove(alias);
      }),
  };
}
