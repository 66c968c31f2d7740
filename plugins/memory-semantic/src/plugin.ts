import { coreRefs, definePlugin } from '@llm-bawt/sdk';
import { profileRef } from '@llm-bawt/plugin-memory-profile';
import { storeRef } from '@llm-bawt/plugin-store-postgres';
import { memorySemanticConfigSchema } from './config.js';
import { sqlOf } from './db.js';
import { chooseEmbedder } from './embedder.js';
import { decayJob, reembedJob } from './jobs.js';
import { semanticLayer } from './layer.js';
import { semanticRef } from './refs.js';
import { retireBySources } from './repository.js';
import { memoryRoutes } from './routes.js';
import { MemoryEntity, semanticMigrations } from './schema.js';
import { createSemanticService } from './service.js';
import { memoryTool } from './tool.js';

/** Topic memory-history publishes when messages are forgotten; memories drawn from them go too. */
const FORGOTTEN_TOPIC = 'memory-history.forgotten';

/**
 * Memory layer 2: memories with 384-dimension embeddings (pgvector, HNSW), scored recall,
 * dedup, supersede chains, consolidation, decay, and fact extraction after each turn through
 * the bot's background model (heuristic fallback). Provides `semanticRef`; contributes the
 * `memory` tool and `/v1/memory` routes. @public
 */
export const memorySemanticPlugin = definePlugin({
  id: 'memory-semantic',
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'Semantic memories: embeddings, scoring, supersede chains, consolidation, decay, extraction',
  requires: { store: storeRef, contributions: coreRefs.contributions, bots: coreRefs.bots },
  optional: { llm: coreRefs.llm, profile: profileRef, bus: coreRefs.bus },
  provides: [semanticRef],
  config: memorySemanticConfigSchema,
  contributes: {
    entities: [MemoryEntity],
    migrations: semanticMigrations,
    memory: [semanticLayer],
    tools: [memoryTool],
    routes: memoryRoutes,
    jobs: [reembedJob, decayJob],
  },
  hooks: {
    'host:ready': (ctx) => {
      const memories = ctx.get(semanticRef);
      if (!memories.embedderId) return;
      // Detached: a large backlog must not hold up readiness.
      void memories
        .regenerateEmbeddings()
        .then(({ embedded }) => embedded > 0 && ctx.logger.info(`embedded ${embedded} memories that had no vector`))
        .catch((error: unknown) => ctx.logger.warn(`embedding memories without a vector failed: ${(error as Error).message}`));
    },
  },
  setup(ctx) {
    const { deps, config, logger } = ctx;
    const embedder = chooseEmbedder(deps.contributions, config.embedder);
    if (!embedder) logger.warn('no embedder loaded: memories are found by full-text search and embedded once one is added');
    const service = createSemanticService({ store: deps.store, ...(embedder ? { embedder } : {}), logger, consolidationLimit: config.consolidationLimit, bots: deps.bots });
    ctx.provide(semanticRef, () => service);
    const unsubscribe = deps.bus?.subscribe(FORGOTTEN_TOPIC, (payload) => {
      const { botId, userId, ids } = (payload ?? {}) as { botId?: unknown; userId?: unknown; ids?: unknown };
      if (typeof botId !== 'string' || typeof userId !== 'string' || !Array.isArray(ids)) return;
      retireBySources(sqlOf(deps.store), { botId, userId }, ids.filter((id): id is string => typeof id === 'string'))
        .then((n) => n > 0 && logger.info(`retired ${n} memories drawn from forgotten messages`))
        .catch((error: unknown) => logger.warn(`retiring memories of forgotten messages failed: ${(error as Error).message}`));
    });
    return () => unsubscribe?.();
  },
});

export default memorySemanticPlugin;
