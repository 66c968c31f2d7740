import { createRef } from '@llm-bawt/sdk';

/*
 * The memory plugins' services, seen as far as the MCP tools use them. Refs are keyed by id,
 * so these reach the values memory-history, memory-sessions, memory-summaries,
 * memory-semantic and memory-profile provide, without depending on their packages: the MCP
 * server serves whichever of them are loaded, and neither its code nor its typings need them
 * installed. So these views are structural, and a record view lists only the fields the tools
 * read (a summary's are all of them). test/views.test-d.ts checks that the real services
 * still fit these views.
 */

/** Whose data: one bot's, about one user. */
export interface Scope {
  botId: string;
  userId: string;
}

export interface StoredMessageView {
  id: string;
  botId: string;
  sessionId: string | null;
  role: string;
  content: string;
  createdAt: Date;
  summarized: boolean;
  forgottenAt?: Date;
}

export interface HistoryView {
  add(scope: Scope, messages: { id?: string; sessionId?: string | null; role: 'user' | 'assistant' | 'system'; content: string; createdAt?: Date; attachments?: unknown[]; reasoning?: string | null }[]): Promise<StoredMessageView[]>;
  get(scope: Scope, options?: { sessionId?: string; limit?: number; before?: string }): Promise<{ messages: StoredMessageView[]; before?: string }>;
  getById(scope: Scope, id: string): Promise<StoredMessageView | undefined>;
  recent(scope: Scope, options?: { sessionId?: string; limit?: number; role?: 'user' | 'assistant' | 'system' }): Promise<StoredMessageView[]>;
  search(
    scope: Scope,
    search: { q: string; mode?: 'text' | 'substring' | 'auto'; limit?: number; sessionId?: string; role?: 'user' | 'assistant' | 'system'; since?: Date; until?: Date },
  ): Promise<(StoredMessageView & { score: number })[]>;
  around(scope: Scope, messageId: string, options?: { before?: number; after?: number }): Promise<StoredMessageView[] | undefined>;
  forgetLast(scope: Scope, count: number, options?: { sessionId?: string }): Promise<StoredMessageView[]>;
  forgetRecent(scope: Scope, minutes: number, options?: { sessionId?: string }): Promise<StoredMessageView[]>;
  forgetByIds(scope: Scope, ids: readonly string[]): Promise<StoredMessageView[]>;
  restore(scope: Scope, which: { ids: readonly string[] } | { last: number }): Promise<StoredMessageView[]>;
  forSummary(scope: Scope, options?: { sessionId?: string | null }): Promise<StoredMessageView[]>;
  unsummarizedTokens(scope: Scope): Promise<number>;
}

export interface SessionView {
  id: string;
  botId: string;
  userId: string;
  status: 'active' | 'archived' | 'deleted';
  title: string | null;
  startedAt: Date;
  endedAt: Date | null;
  metadata: Record<string, unknown>;
}

export interface SessionsView {
  list(scope: Scope, options?: { status?: SessionView['status'] | SessionView['status'][]; limit?: number; cursor?: string }): Promise<{ sessions: SessionView[]; nextCursor?: string }>;
  get(scope: Scope, id: string): Promise<SessionView | undefined>;
  getActive(scope: Scope): Promise<SessionView | undefined>;
  getOrCreateActive(scope: Scope): Promise<SessionView>;
  create(scope: Scope, options?: { title?: string; metadata?: Record<string, unknown>; activate?: boolean; signal?: AbortSignal }): Promise<{ session: SessionView; archived?: SessionView; summaryIds: string[] }>;
  rotate(scope: Scope, options?: { sessionId?: string; title?: string; summarize?: boolean; signal?: AbortSignal }): Promise<{ archived?: SessionView; active: SessionView; summaryIds: string[] }>;
  close(scope: Scope, id: string): Promise<SessionView>;
  delete(scope: Scope, id: string): Promise<SessionView>;
  setTitle(scope: Scope, id: string, title: string, source: 'auto' | 'user'): Promise<boolean>;
}

export interface SummaryView {
  id: string;
  sessionId: string | null;
  content: string;
  tokens: number;
  periodStart: Date;
  periodEnd: Date;
  method: 'llm' | 'heuristic';
  messageCount: number;
  messageIds: string[];
  model: string | null;
  createdAt: Date;
}

export interface SummariesView {
  summarize(scope: Scope, options?: { sessionId?: string | null; method?: 'llm' | 'heuristic'; signal?: AbortSignal }): Promise<SummaryView[]>;
  list(scope: Scope, options?: { sessionId?: string; limit?: number }): Promise<SummaryView[]>;
  get(scope: Scope, summaryId: string): Promise<SummaryView | undefined>;
  expand(scope: Scope, summaryId: string): Promise<{ summary: SummaryView; messages: StoredMessageView[] } | undefined>;
  delete(scope: Scope, summaryId: string): Promise<boolean>;
}

/** A memory as the tools show it; times are ISO strings. */
export interface MemoryView {
  id: string;
  botId: string;
  content: string;
  tags: string[];
  importance: number;
  status: 'active' | 'superseded' | 'deleted';
  accessCount: number;
  hasEmbedding: boolean;
  supersededBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A search hit: the memory's identifying fields plus how it scored (not the whole row). */
export type ScoredMemoryView = Pick<MemoryView, 'id' | 'botId' | 'content' | 'tags' | 'importance' | 'accessCount' | 'createdAt'> & {
  score: number;
  similarity: number;
  via: string;
};

export interface SemanticView {
  readonly embedderId: string | undefined;
  store(
    scope: Scope,
    input: { content: string; tags?: readonly string[]; importance?: number; sourceMessageIds?: readonly string[] },
    options?: { signal?: AbortSignal },
  ): Promise<{ action: 'added' | 'merged'; memory: MemoryView; similarity?: number }>;
  search(
    scope: Scope,
    query: string,
    options?: { limit?: number; minRelevance?: number; minImportance?: number; tags?: readonly string[]; touch?: boolean; signal?: AbortSignal },
  ): Promise<{ method: 'vector' | 'text'; results: ScoredMemoryView[] }>;
  searchAll(query: string, options: { botIds: readonly string[]; userId: string; limit?: number; signal?: AbortSignal }): Promise<ScoredMemoryView[]>;
  get(scope: Scope, id: string): Promise<MemoryView | undefined>;
  update(scope: Scope, id: string, patch: { content?: string; tags?: readonly string[]; importance?: number }): Promise<{ memory: MemoryView; superseded?: MemoryView }>;
  delete(scope: Scope, id: string): Promise<MemoryView>;
  supersede(
    scope: Scope,
    id: string,
    replacement: { content: string; tags?: readonly string[]; importance?: number } | { memoryId: string },
  ): Promise<{ superseded: MemoryView; replacement: MemoryView }>;
  chain(scope: Scope, id: string): Promise<(MemoryView & { depth: number })[]>;
  listRecent(scope: Scope, options?: { limit?: number; offset?: number; includeSuperseded?: boolean }): Promise<MemoryView[]>;
  listHighImportance(scope: Scope, options?: { minImportance?: number; limit?: number }): Promise<MemoryView[]>;
  consolidate(scope: Scope, options?: { dryRun?: boolean; limit?: number }): Promise<{ dryRun: boolean; considered: number; clusters: { memberIds: string[]; merged: { content: string }; mergedId?: string }[] }>;
  regenerateEmbeddings(scope?: Scope, options?: { all?: boolean; batchSize?: number; signal?: AbortSignal }): Promise<{ embedded: number }>;
  decay(scope?: Scope, options?: { dryRun?: boolean; threshold?: number }): Promise<{ dryRun: boolean; threshold: number; retired: { id: string; content: string; value: number }[] }>;
}

export type ProfileEntityView = { botId: string; entityType: 'user' | 'bot'; entityId: string };

export interface ProfileAttributeView {
  id: string;
  category: string;
  key: string;
  value: unknown;
  confidence: number;
  source: string;
  updatedAt: string;
}

export interface ProfileView {
  set(
    entity: ProfileEntityView,
    input: { category: 'preference' | 'fact' | 'interest' | 'communication' | 'context' | 'personality'; key: string; value: unknown; confidence?: number; source?: 'explicit' | 'inferred' | 'system' },
  ): Promise<{ attribute: ProfileAttributeView; created: boolean; changed: boolean }>;
  get(entity: ProfileEntityView, selector: { id: string } | { key: string; category?: string }): Promise<ProfileAttributeView | undefined>;
  delete(entity: ProfileEntityView, selector: { id: string } | { key: string; category?: string }): Promise<number>;
  list(entity: ProfileEntityView, filter?: { category?: string; query?: string; minConfidence?: number; limit?: number }): Promise<ProfileAttributeView[]>;
}

export const historyRef = createRef<HistoryView>({ id: 'memory-history.history' });
export const sessionsRef = createRef<SessionsView>({ id: 'memory-sessions.sessions' });
export const summariesRef = createRef<SummariesView>({ id: 'memory-summaries.summaries' });
export const semanticRef = createRef<SemanticView>({ id: 'memory-semantic.memories' });
export const profileRef = createRef<ProfileView>({ id: 'memory-profile.profiles' });
