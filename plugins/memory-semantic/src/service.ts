import { createError, silentLogger, type BotRegistry, type EmbedderDefinition, type Logger, type RouteProgress } from '@llm-bawt/sdk';
import type { Store } from '@llm-bawt/plugin-store-postgres';
import { mergeCluster, planClusters } from './consolidate.js';
import { MEMORY_DEDUP_SIMILARITY, MEMORY_N_RESULTS, MEMORY_PRUNE_THRESHOLD } from './constants.js';
import { sqlOf, type Sql } from './db.js';
import * as repo from './repository.js';
import { ageInDays, retentionValue, type ScoreOptions } from './scoring.js';
import { searchMemories } from './search.js';
import { normalizeTags } from './text.js';
import type {
  ConsolidationReport,
  DecayReport,
  Memory,
  MemoryPatch,
  Replacement,
  Scope,
  ScoredMemory,
  SearchOptions,
  SearchResult,
  StoreInput,
  StoreResult,
} from './types.js';

/** The semantic memory store (`semanticRef`): everything the layer, tools, routes and MCP use. @public */
export interface SemanticService {
  /** The embedder in use, if any. */
  readonly embedderId: string | undefined;
  /** Stores a memory, or merges it into a near-duplicate (cosine ≥ 0.85; same text without embeddings). */
  store(scope: Scope, input: StoreInput, options?: { excludeIds?: readonly string[]; signal?: AbortSignal }): Promise<StoreResult>;
  search(scope: Scope, query: string, options?: SearchOptions): Promise<SearchResult>;
  /** Searches several bots' memories of one user (MCP's cross-bot search); bots are the caller's choice. */
  searchAll(query: string, options: { botIds: readonly string[]; userId: string; limit?: number; signal?: AbortSignal }): Promise<ScoredMemory[]>;
  /** One memory by id (or a unique 8+ character id prefix), whatever its status. */
  get(scope: Scope, id: string): Promise<Memory | undefined>;
  /** New content supersedes the memory (returned as `memory`, the old one as `superseded`); tags and importance change in place. */
  update(scope: Scope, id: string, patch: MemoryPatch): Promise<{ memory: Memory; superseded?: Memory }>;
  /** Retires a memory without a successor; it stays readable and in its chain. */
  delete(scope: Scope, id: string): Promise<Memory>;
  /** Replaces a memory by new content or by another active memory. */
  supersede(scope: Scope, id: string, replacement: Replacement): Promise<{ superseded: Memory; replacement: Memory }>;
  /** The supersede chain through a memory, oldest first (`depth` < 0 before it, > 0 after). */
  chain(scope: Scope, id: string): Promise<(Memory & { depth: number })[]>;
  listRecent(scope: Scope, options?: { limit?: number; offset?: number; includeSuperseded?: boolean }): Promise<Memory[]>;
  /** Most important first (importance ≥ 0.7 unless `minImportance` says otherwise). */
  listHighImportance(scope: Scope, options?: { minImportance?: number; limit?: number; offset?: number; includeSuperseded?: boolean }): Promise<Memory[]>;
  /**
   * Clusters similar memories and merges each cluster into one that supersedes its members; `dryRun` only plans.
   * `onProgress` hears the planning (memories considered of those loaded), then the merging (clusters merged of those planned).
   */
  consolidate(scope: Scope, options?: { dryRun?: boolean; limit?: number; onProgress?: (update: RouteProgress) => void }): Promise<ConsolidationReport>;
  /**
   * Embeds memories that lack an embedding (or all with `all`); returns how many were embedded.
   * `onProgress` hears the memories embedded so far of those that need it.
   */
  regenerateEmbeddings(scope?: Scope, options?: { all?: boolean; batchSize?: number; signal?: AbortSignal; onProgress?: (update: RouteProgress) => void }): Promise<{ embedded: number }>;
  /** Retires active memories whose `importance · exp(−age·ln2/90)` is below the threshold (0.05). */
  decay(scope?: Scope, options?: { dryRun?: boolean; threshold?: number }): Promise<DecayReport>;
}

/** What {@link createSemanticService} needs. @public */
export interface SemanticServiceOptions {
  store: Pick<Store, 'em'>;
  embedder?: EmbedderDefinition;
  logger?: Logger;
  /** Clock in epoch milliseconds (tests pin it). */
  now?: () => number;
  scoring?: ScoreOptions;
  /** Most memories one consolidation run considers (default 2000, most important first). */
  consolidationLimit?: number;
  /** Used to skip bots without memory in cross-bot search. */
  bots?: BotRegistry;
}

const notFound = (id: string) => createError('LLMB_ERR_NOT_FOUND', `no memory '${id}' for this bot and user`, { param: 'id' });

function checkContent(content: string): string {
  const text = content.trim();
  if (text === '') throw createError('LLMB_ERR_INVALID_REQUEST', 'a memory needs content', { param: 'content' });
  return text;
}

function checkImportance(importance: number | undefined): number {
  const value = importance ?? 0.5;
  if (!Number.isFinite(value) || value < 0 || value > 1) throw createError('LLMB_ERR_INVALID_REQUEST', 'importance must be between 0 and 1', { param: 'importance' });
  return value;
}

/** The semantic memory service over store-postgres and an optional embedder. @public */
export function createSemanticService(options: SemanticServiceOptions): SemanticService {
  const sql: Sql = sqlOf(options.store);
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const embedder = options.embedder;
  let iterative: Promise<boolean> | undefined;

  async function embed(texts: string[], signal?: AbortSignal): Promise<number[][] | undefined> {
    if (!embedder || texts.length === 0) return undefined;
    try {
      return await embedder.embed(texts, signal ? { signal } : {});
    } catch (error) {
      logger.warn(`embedder '${embedder.id}' failed; memories are stored without vectors and embedded later: ${(error as Error).message}`);
      return undefined;
    }
  }

  const iterativeScan = () =>
    (iterative ??= sql
      .all("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
      .then((rows) => {
        const [major = 0, minor = 0] = String(rows[0]?.extversion ?? '0').split('.').map(Number);
        return major > 0 || minor >= 8;
      })
      .catch(() => false));

  async function active(scope: Scope, id: string): Promise<Memory> {
    const memory = await repo.getMemory(sql, scope, id);
    if (!memory) throw notFound(id);
    if (memory.status !== 'active') throw createError('LLMB_ERR_CONFLICT', `memory '${memory.id}' is already ${memory.status}`, { param: 'id' });
    return memory;
  }

  async function store(scope: Scope, input: StoreInput, opts: { excludeIds?: readonly string[]; signal?: AbortSignal } = {}): Promise<StoreResult> {
    const content = checkContent(input.content);
    const tags = normalizeTags(input.tags);
    const importance = checkImportance(input.importance);
    const sources = [...new Set(input.sourceMessageIds ?? [])];
    const [embedding] = (await embed([content], opts.signal)) ?? [];
    const exclude = opts.excludeIds ?? [];
    let duplicate: { memory: Memory; similarity: number } | undefined;
    if (embedding) {
      const { near } = await repo.nearestActive(sql, scope, embedding, {
        limit: 1,
        excludeIds: exclude,
        hnsw: { efSearch: 40, iterative: await iterativeScan() },
      });
      const nearest = near[0];
      if (nearest && 1 - nearest.distance >= MEMORY_DEDUP_SIMILARITY) {
        const memory = await repo.getMemory(sql, scope, nearest.id);
        if (memory) duplicate = { memory, similarity: 1 - nearest.distance };
      }
    }
    if (!duplicate) {
      const same = await repo.findSameText(sql, scope, content, exclude);
      if (same) duplicate = { memory: same, similarity: 1 };
    }
    if (duplicate) {
      const merged = await repo.mergeInto(sql, scope, duplicate.memory.id, {
        importance,
        tags: [...new Set([...duplicate.memory.tags.filter((t) => t !== 'misc' || tags.includes('misc')), ...tags])],
        sources: [...new Set([...duplicate.memory.sourceMessageIds, ...sources])],
      });
      if (merged) return { action: 'merged', memory: merged, similarity: duplicate.similarity };
    }
    const memory = await repo.insertMemory(sql, scope, { content, tags, importance, embedding: embedding ?? null, sources, ...(input.createdAt ? { createdAt: input.createdAt } : {}) });
    return { action: 'added', memory };
  }

  async function supersede(scope: Scope, id: string, replacement: Replacement): Promise<{ superseded: Memory; replacement: Memory }> {
    const old = await active(scope, id);
    let next: Memory;
    if ('memoryId' in replacement) {
      next = await active(scope, replacement.memoryId);
      if (next.id === old.id) throw createError('LLMB_ERR_INVALID_REQUEST', 'a memory cannot supersede itself', { param: 'memory_id' });
    } else {
      next = (await store(scope, replacement, { excludeIds: [old.id] })).memory;
    }
    if (!(await repo.retire(sql, scope, old.id, next.id))) throw createError('LLMB_ERR_CONFLICT', `memory '${old.id}' changed meanwhile`, { param: 'id' });
    return { superseded: (await repo.getMemory(sql, scope, old.id)) as Memory, replacement: next };
  }

  return {
    embedderId: embedder?.id,
    store,
    supersede,

    search: (scope, query, opts = {}) =>
      searchMemories(
        {
          sql,
          embedQuery: async (text, signal) => (await embed([text], signal))?.[0],
          iterativeScan,
          now,
          scoring: options.scoring ?? {},
          onTouchError: (error) => logger.warn(`counting memory accesses failed: ${(error as Error).message}`),
        },
        scope,
        query,
        opts,
      ),

    async searchAll(query, opts) {
      const botIds = opts.botIds.filter((id) => options.bots?.get(id)?.requires_memory ?? true);
      const limit = opts.limit ?? MEMORY_N_RESULTS;
      const perBot = await Promise.all(
        botIds.map(async (botId) => (await searchMemories(
          { sql, embedQuery: async (text, signal) => (await embed([text], signal))?.[0], iterativeScan, now, scoring: options.scoring ?? {}, onTouchError: () => undefined },
          { botId, userId: opts.userId },
          query,
          { limit, diversity: false, coreFacts: false, ...(opts.signal ? { signal: opts.signal } : {}) },
        )).results),
      );
      return perBot.flat().sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit);
    },

    async get(scope, id) {
      return repo.getMemory(sql, scope, id);
    },

    async update(scope, id, patch) {
      const memory = await active(scope, id);
      const tags = patch.tags ? normalizeTags(patch.tags) : undefined;
      const importance = patch.importance === undefined ? undefined : checkImportance(patch.importance);
      if (patch.content !== undefined && checkContent(patch.content) !== memory.content) {
        const result = await supersede(scope, memory.id, {
          content: patch.content,
          tags: tags ?? memory.tags,
          importance: importance ?? memory.importance,
          sourceMessageIds: memory.sourceMessageIds,
        });
        return { memory: result.replacement, superseded: result.superseded };
      }
      const changed = await repo.patchInPlace(sql, scope, memory.id, { ...(tags ? { tags } : {}), ...(importance !== undefined ? { importance } : {}) });
      if (!changed) throw createError('LLMB_ERR_CONFLICT', `memory '${memory.id}' changed meanwhile`, { param: 'id' });
      return { memory: changed };
    },

    async delete(scope, id) {
      const memory = await active(scope, id);
      if (!(await repo.retire(sql, scope, memory.id, null))) throw createError('LLMB_ERR_CONFLICT', `memory '${memory.id}' changed meanwhile`, { param: 'id' });
      return (await repo.getMemory(sql, scope, memory.id)) as Memory;
    },

    async chain(scope, id) {
      const memory = await repo.getMemory(sql, scope, id);
      if (!memory) throw notFound(id);
      return repo.chainOf(sql, scope, memory.id);
    },

    listRecent: (scope, opts = {}) =>
      repo.listMemories(sql, scope, { order: 'recent', limit: opts.limit ?? 50, ...(opts.offset ? { offset: opts.offset } : {}), ...(opts.includeSuperseded ? { includeSuperseded: true } : {}) }),

    listHighImportance: (scope, opts = {}) =>
      repo.listMemories(sql, scope, {
        order: 'importance',
        limit: opts.limit ?? 50,
        minImportance: opts.minImportance ?? 0.7,
        ...(opts.offset ? { offset: opts.offset } : {}),
        ...(opts.includeSuperseded ? { includeSuperseded: true } : {}),
      }),

    async consolidate(scope, opts = {}) {
      const dryRun = opts.dryRun ?? true;
      const progress = opts.onProgress;
      const memories = await repo.activeWithEmbeddings(sql, scope, opts.limit ?? options.consolidationLimit ?? 2000);
      const inputs = memories.map((m) => ({ ...m, createdMs: Date.parse(m.createdAt) }));
      const total = memories.length;
      progress?.({ done: 0, total, message: `planning: ${total} memories to consider` });
      const onSeed = progress && ((considered: number, found: number) => progress({ done: considered, total, message: `planning: ${considered} of ${total} memories considered (clusters so far: ${found})` }));
      const clusters = planClusters(inputs, {}, onSeed).map((members) => {
        const merged = mergeCluster(members);
        return {
          members,
          merged,
          report: {
            memberIds: members.map((m) => m.id),
            members: members.map((m) => ({ id: m.id, content: m.content, importance: m.importance, tags: m.tags })),
            merged: { content: merged.content, tags: merged.tags, importance: merged.importance, sourceMessageIds: merged.sourceMessageIds },
          } as ConsolidationReport['clusters'][number],
        };
      });
      if (!dryRun && clusters.length > 0) {
        let merged = 0;
        progress?.({ done: 0, total: clusters.length, message: `merging: 0 of ${clusters.length} clusters merged` });
        for (const cluster of clusters) {
          const kept = cluster.members.find((m) => m.id === cluster.merged.keptId);
          await sql.tx(async (tx) => {
            const created = await repo.insertMemory(tx, scope, {
              content: cluster.merged.content,
              tags: cluster.merged.tags,
              importance: cluster.merged.importance,
              embedding: kept?.embedding ?? null,
              sources: cluster.merged.sourceMessageIds,
              createdAt: new Date(cluster.merged.createdMs),
              accessCount: cluster.merged.accessCount,
            });
            for (const member of cluster.members) {
              if (!(await repo.retire(tx, scope, member.id, created.id))) throw createError('LLMB_ERR_CONFLICT', `memory '${member.id}' changed during consolidation`);
            }
            cluster.report.mergedId = created.id;
          });
          merged++;
          progress?.({ done: merged, total: clusters.length, message: `merging: ${merged} of ${clusters.length} clusters merged` });
        }
      }
      return { dryRun, considered: memories.length, clusters: clusters.map((c) => c.report) };
    },

    async regenerateEmbeddings(scope, opts = {}) {
      if (!embedder) return { embedded: 0 };
      const batch = opts.batchSize ?? 64;
      const progress = opts.onProgress;
      let embedded = 0;
      let after: string | undefined;
      // One count up front gives the total; memories added meanwhile only raise it.
      let total = progress ? await repo.countToEmbed(sql, scope, opts.all === true) : 0;
      progress?.({ done: 0, total, message: `${total} memories to embed` });
      for (;;) {
        const rows = opts.all ? await repo.pageOfMemories(sql, scope, after, batch) : await repo.missingEmbeddings(sql, scope, batch);
        if (rows.length === 0) break;
        const vectors = await embed(rows.map((r) => r.content), opts.signal);
        if (!vectors) break;
        await repo.setEmbeddings(sql, rows.map((row, i) => ({ id: row.id, embedding: vectors[i] as number[] })));
        embedded += rows.length;
        total = Math.max(total, embedded);
        progress?.({ done: embedded, total, message: `embedded ${embedded} of ${total} memories` });
        after = rows.at(-1)?.id;
        if (rows.length < batch) break;
      }
      return { embedded };
    },

    async decay(scope, opts = {}) {
      const threshold = opts.threshold ?? MEMORY_PRUNE_THRESHOLD;
      const dryRun = opts.dryRun ?? false;
      const nowMs = now();
      const retired = (await repo.activeForDecay(sql, scope))
        .map((m) => {
          const ageDays = ageInDays(m.createdMs, nowMs);
          return { id: m.id, botId: m.botId, userId: m.userId, content: m.content, importance: m.importance, ageDays, value: retentionValue(m.importance, ageDays) };
        })
        .filter((m) => m.value < threshold);
      if (!dryRun) await repo.retireMany(sql, retired.map((m) => m.id));
      return { dryRun, threshold, retired };
    },
  };
}

