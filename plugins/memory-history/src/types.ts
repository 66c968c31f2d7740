import type { Sql } from '@llm-bawt/plugin-store-postgres';

/** Whose history: every read and write is scoped by bot and user. @public */
export interface HistoryScope {
  botId: string;
  userId: string;
}

/** Roles of stored rows: the conversation plus `[Tool Results]` system rows. @public */
export type StoredRole = 'user' | 'assistant' | 'system';

/** A row of `messages` (or of `forgotten_messages`, with `forgottenAt`). @public */
export interface StoredMessage {
  id: string;
  botId: string;
  userId: string;
  sessionId: string | null;
  role: StoredRole;
  content: string;
  /** Tokens of `content` plus a per-message overhead, counted with gpt-tokenizer at insert. */
  tokens: number;
  createdAt: Date;
  /** Set once fact extraction has read the row. */
  processed: boolean;
  /** Set while a summary covers the row; history then shows the summary instead. */
  summarized: boolean;
  attachments: unknown[];
  reasoning: string | null;
  forgottenAt?: Date;
}

/** A message to store. @public */
export interface NewMessage {
  /** A UUID; minted when absent. */
  id?: string;
  sessionId?: string | null;
  role: StoredRole;
  content: string;
  createdAt?: Date;
  attachments?: unknown[];
  reasoning?: string | null;
}

/** One page of history, oldest first, with a cursor to the page before it. @public */
export interface HistoryPage {
  messages: StoredMessage[];
  /** Pass as `before` to read older messages; absent when there are none. */
  before?: string;
}

/** How {@link HistoryService.search} matches: full text, substring (trigram-ranked), or text then substring. @public */
export type SearchMode = 'text' | 'substring' | 'auto';

/** A search over one bot and user's messages. @public */
export interface HistorySearch {
  q: string;
  mode?: SearchMode;
  /** Default 10, at most 100. */
  limit?: number;
  sessionId?: string;
  role?: StoredRole;
  since?: Date;
  until?: Date;
}

/** A search hit with its rank (higher is better; comparable within one mode). @public */
export interface SearchHit extends StoredMessage {
  score: number;
  mode: 'text' | 'substring';
}

/** A summary as history injects it. @public */
export interface InjectedSummary {
  id: string;
  sessionId: string | null;
  content: string;
  tokens: number;
  periodStart: Date;
  periodEnd: Date;
  method: 'llm' | 'heuristic';
  messageCount: number;
}

/** What a summary expands back into. @public */
export interface ExpandedSummary {
  summary: InjectedSummary;
  messages: StoredMessage[];
}

/**
 * What memory-history needs from a summaries layer. memory-summaries attaches one with
 * {@link HistoryService.attachSummaries} (it depends on history, so history cannot depend
 * on it through a ref without a cycle). @public
 */
export interface HistorySummaries {
  /** Summaries to put in front of this turn's history, oldest first, within `budgetTokens`. */
  forHistory(input: HistoryScope & { sessionId?: string; budgetTokens: number; limit?: number }): Promise<InjectedSummary[]>;
  /** A summary and the messages it covers; undefined when it is not this bot and user's. */
  expand(scope: HistoryScope, summaryId: string): Promise<ExpandedSummary | undefined>;
  /**
   * Summarizes a session's unsummarized messages (`sessionId`), or else whatever falls out
   * of the summarization budget across sessions. Returns the summaries it wrote.
   */
  summarize(scope: HistoryScope, options?: { sessionId?: string | null; method?: 'llm' | 'heuristic'; signal?: AbortSignal }): Promise<InjectedSummary[]>;
}

/** Layer 1 of memory: raw messages per bot, user and session. @public */
export interface HistoryService {
  /** Stores messages in the order given (ids already stored are skipped); spark-like bots are refused. */
  add(scope: HistoryScope, messages: NewMessage[]): Promise<StoredMessage[]>;
  /** A page of messages, newest page first, each page oldest first. */
  get(scope: HistoryScope, options?: { sessionId?: string; limit?: number; before?: string }): Promise<HistoryPage>;
  getById(scope: HistoryScope, id: string): Promise<StoredMessage | undefined>;
  /** The messages with these ids that belong to the scope, oldest first. */
  getByIds(scope: HistoryScope, ids: readonly string[]): Promise<StoredMessage[]>;
  /** The newest `limit` messages (default 10), oldest first. */
  recent(scope: HistoryScope, options?: { sessionId?: string; limit?: number; role?: StoredRole }): Promise<StoredMessage[]>;
  search(scope: HistoryScope, search: HistorySearch): Promise<SearchHit[]>;
  /** Messages around an anchor in its session, oldest first; undefined when the anchor is not the scope's. */
  around(scope: HistoryScope, messageId: string, options?: { before?: number; after?: number }): Promise<StoredMessage[] | undefined>;
  /**
   * The newest unsummarized messages of a session that fit in `budgetTokens`, oldest first,
   * and how many older ones were left out.
   */
  window(scope: HistoryScope, options: { sessionId?: string; budgetTokens: number }): Promise<{ messages: StoredMessage[]; dropped: number }>;
  /** Moves the newest `count` messages to `forgotten_messages`. */
  forgetLast(scope: HistoryScope, count: number, options?: { sessionId?: string }): Promise<StoredMessage[]>;
  /** Moves the messages of the last `minutes` minutes to `forgotten_messages`. */
  forgetRecent(scope: HistoryScope, minutes: number, options?: { sessionId?: string }): Promise<StoredMessage[]>;
  forgetByIds(scope: HistoryScope, ids: readonly string[]): Promise<StoredMessage[]>;
  /** Moves forgotten messages back: these ids, or the `last` most recently forgotten. */
  restore(scope: HistoryScope, which: { ids: readonly string[] } | { last: number }): Promise<StoredMessage[]>;
  /**
   * Unsummarized messages to summarize, oldest first: one session's (`sessionId`; `null` for
   * rows without a session), or all of the scope's when `sessionId` is undefined.
   */
  forSummary(scope: HistoryScope, options?: { sessionId?: string | null }): Promise<StoredMessage[]>;
  /**
   * Sets or clears `summarized` on the scope's messages with these ids; pass `sql` to do it
   * inside the caller's transaction (a summary and its messages change together).
   */
  markSummarized(scope: HistoryScope, ids: readonly string[], summarized: boolean, sql?: Sql): Promise<number>;
  /** Unsummarized tokens of the scope (what rolling summarization watches). */
  unsummarizedTokens(scope: HistoryScope): Promise<number>;
  /** Lets a summaries layer serve HISTORY_FILTER, the `history` tool and `/v1/history/summarize`. */
  attachSummaries(source: HistorySummaries): void;
  /** The attached summaries layer, if any. */
  readonly summaries: HistorySummaries | undefined;
}
