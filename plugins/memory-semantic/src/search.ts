import {
  MEMORY_CANDIDATES_DIVERSE,
  MEMORY_CANDIDATES_PLAIN,
  MEMORY_CORE_FACT_IMPORTANCE,
  MEMORY_CORE_FACTS,
  MEMORY_MIN_RELEVANCE,
  MEMORY_N_RESULTS,
} from './constants.js';
import type { Candidate, Sql } from './db.js';
import { nearestActive, textSearch, touch } from './repository.js';
import { ageInDays, scoreMemory, selectDiverse, type ScoreOptions } from './scoring.js';
import type { FoundVia, Scope, ScoredMemory, SearchOptions, SearchResult } from './types.js';

/** What a search needs from the service. */
export interface SearchDeps {
  sql: Sql;
  /** Embeds the query; undefined (no embedder, or it failed) falls back to text search. */
  embedQuery(text: string, signal?: AbortSignal): Promise<number[] | undefined>;
  iterativeScan(): Promise<boolean>;
  now(): number;
  scoring: ScoreOptions;
  onTouchError(error: unknown): void;
}

function scored(c: Candidate, similarity: number, via: FoundVia, nowMs: number, options: ScoreOptions): ScoredMemory {
  const ageDays = ageInDays(c.createdMs, nowMs);
  const parts = scoreMemory({ similarity, importance: c.importance, tags: c.tags, ageDays, accessCount: c.accessCount }, options);
  return {
    id: c.id,
    botId: c.botId,
    userId: c.userId,
    content: c.content,
    tags: c.tags,
    importance: c.importance,
    accessCount: c.accessCount,
    createdAt: new Date(c.createdMs).toISOString(),
    ...parts,
    ageDays,
    via,
  };
}

/** The core facts not already chosen take up to three slots at the end (reference §5.3). */
function withCoreFacts(chosen: ScoredMemory[], core: ScoredMemory[], limit: number): ScoredMemory[] {
  const have = new Set(chosen.map((m) => m.id));
  const extra = core.filter((m) => !have.has(m.id)).slice(0, MEMORY_CORE_FACTS);
  if (extra.length === 0) return chosen;
  const kept = chosen.slice(0, Math.max(0, limit - extra.length));
  return [...kept, ...extra].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/**
 * Scored retrieval: the nearest `n·4` active memories by cosine (HNSW), scored with
 * importance, per-tag decay, recency weight and access boost, filtered by the minimum
 * relevance, thinned by the diversity pass, plus up to three core facts. Without a query
 * vector the candidates come from full-text search, with `ts_rank` (capped at 1) as similarity.
 */
export async function searchMemories(deps: SearchDeps, scope: Scope, query: string, options: SearchOptions = {}): Promise<SearchResult> {
  const limit = Math.max(1, Math.trunc(options.limit ?? MEMORY_N_RESULTS));
  const diversity = options.diversity ?? true;
  const minRelevance = options.minRelevance ?? MEMORY_MIN_RELEVANCE;
  const wantCore = options.coreFacts ?? true;
  const candidates = limit * (diversity ? MEMORY_CANDIDATES_DIVERSE : MEMORY_CANDIDATES_PLAIN);
  const nowMs = deps.now();
  const vector = query.trim() === '' ? undefined : await deps.embedQuery(query, options.signal);

  let method: SearchResult['method'];
  let pool: ScoredMemory[];
  let core: ScoredMemory[] = [];
  if (vector) {
    method = 'vector';
    const found = await nearestActive(deps.sql, scope, vector, {
      limit: candidates,
      ...(options.minImportance !== undefined ? { minImportance: options.minImportance } : {}),
      ...(options.tags ? { tags: options.tags } : {}),
      hnsw: { efSearch: Math.max(40, candidates), iterative: await deps.iterativeScan() },
      ...(wantCore ? { core: { limit: MEMORY_CORE_FACTS, importance: MEMORY_CORE_FACT_IMPORTANCE } } : {}),
      ...(options.exact ? { exact: true } : {}),
    });
    pool = found.near.map((m) => scored(m, 1 - m.distance, 'vector', nowMs, deps.scoring));
    core = found.core.map((m) => scored(m, Math.max(0, 1 - m.distance), 'core', nowMs, deps.scoring));
  } else {
    method = 'text';
    const found = query.trim() === '' ? [] : await textSearch(deps.sql, scope, query, { limit: candidates, ...(options.minImportance !== undefined ? { minImportance: options.minImportance } : {}), ...(options.tags ? { tags: options.tags } : {}) });
    pool = found.map((m) => scored(m, Math.min(1, m.rank), 'text', nowMs, deps.scoring));
  }
  const relevant = pool.filter((m) => m.score >= minRelevance);
  const chosen = diversity ? selectDiverse(relevant, limit) : [...relevant].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit);
  const results = withCoreFacts(chosen, core, limit);
  if (options.touch && results.length > 0) {
    // Off the caller's path: counting an access never delays the answer.
    touch(deps.sql, results.map((m) => m.id)).catch(deps.onTouchError);
  }
  return { method, results };
}
