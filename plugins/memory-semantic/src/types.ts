/** Whose memories: one bot's, about one user. Every query carries both. @public */
export interface Scope {
  botId: string;
  userId: string;
}

/** `active`, replaced by another memory (`superseded`), or retired without a successor (`deleted`). @public */
export type MemoryStatus = 'active' | 'superseded' | 'deleted';

/** One stored memory. Times are ISO strings. @public */
export interface Memory {
  id: string;
  botId: string;
  userId: string;
  content: string;
  tags: string[];
  importance: number;
  sourceMessageIds: string[];
  accessCount: number;
  lastAccessed: string | null;
  supersededBy: string | null;
  supersededAt: string | null;
  createdAt: string;
  updatedAt: string;
  hasEmbedding: boolean;
  status: MemoryStatus;
}

/** How a search found a memory. @public */
export type FoundVia = 'vector' | 'text' | 'core';

/**
 * A found (active) memory with its score and the parts of it (reference §5.3). The rest of a
 * memory's fields are one `get` away. @public
 */
export interface ScoredMemory extends Pick<Memory, 'id' | 'botId' | 'userId' | 'content' | 'tags' | 'importance' | 'accessCount' | 'createdAt'> {
  score: number;
  similarity: number;
  decay: number;
  halfLifeDays: number;
  accessBoost: number;
  ageDays: number;
  via: FoundVia;
}

/** A new memory. @public */
export interface StoreInput {
  content: string;
  /** Lower-cased; empty becomes `["misc"]`. */
  tags?: readonly string[];
  /** 0–1, default 0.5. */
  importance?: number;
  sourceMessageIds?: readonly string[];
  /** Backdating, for imports and tests; default now. */
  createdAt?: Date;
}

/** What storing did: a new row, or a merge into a near-duplicate (cosine ≥ 0.85). @public */
export interface StoreResult {
  action: 'added' | 'merged';
  memory: Memory;
  /** Similarity to the memory merged into. */
  similarity?: number;
}

/** Search options; defaults from reference §5.3. @public */
export interface SearchOptions {
  /** Results wanted (default 10). */
  limit?: number;
  /** Drop results scoring below this (default 0.01). */
  minRelevance?: number;
  minImportance?: number;
  /** Only memories carrying one of these tags. */
  tags?: readonly string[];
  /** Count the results as accessed (access_count + 1, last_accessed = now). Default false. */
  touch?: boolean;
  /** The diversity pass (default on). */
  diversity?: boolean;
  /** Up to 3 memories of importance ≥ 0.9 join the results (default on). */
  coreFacts?: boolean;
  /** Rank candidates by an exact scan instead of the HNSW index (for recall checks; slow on big scopes). */
  exact?: boolean;
  signal?: AbortSignal;
}

/** A search's results and how they were found. @public */
export interface SearchResult {
  /** `vector` with an embedder, `text` (full-text search) without one or when embedding fails. */
  method: 'vector' | 'text';
  results: ScoredMemory[];
}

/** A change to a memory: new content supersedes it, tags and importance change it in place. @public */
export interface MemoryPatch {
  content?: string;
  tags?: readonly string[];
  importance?: number;
}

/** What replaces a superseded memory: new content, or another memory that already exists. @public */
export type Replacement = StoreInput | { memoryId: string };

/** One cluster consolidation found, and the memory it becomes. @public */
export interface ConsolidationCluster {
  memberIds: string[];
  members: { id: string; content: string; importance: number; tags: string[] }[];
  merged: { content: string; tags: string[]; importance: number; sourceMessageIds: string[] };
  /** Set once applied: the new memory that supersedes the members. */
  mergedId?: string;
}

/** Consolidation's plan (dry run) or what it did. @public */
export interface ConsolidationReport {
  dryRun: boolean;
  considered: number;
  clusters: ConsolidationCluster[];
}

/** One memory decay pruning retires (or would). @public */
export interface DecayCandidate {
  id: string;
  botId: string;
  userId: string;
  content: string;
  importance: number;
  ageDays: number;
  value: number;
}

/** What decay pruning did, or would do in a dry run. @public */
export interface DecayReport {
  dryRun: boolean;
  threshold: number;
  retired: DecayCandidate[];
}
