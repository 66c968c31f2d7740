import type { HistoryScope, HistorySummaries, InjectedSummary, StoredMessage } from '@llm-bawt/plugin-memory-history';
import type { SummariesConfig } from './config.js';

/** How a summary was written. @public */
export type SummaryMethod = 'llm' | 'heuristic';

/** A row of `summaries`. @public */
export interface Summary extends InjectedSummary {
  botId: string;
  userId: string;
  /** The messages it covers (they are marked `summarized` while it exists). */
  messageIds: string[];
  /** The model alias that wrote it (`llm` only). */
  model: string | null;
  createdAt: Date;
}

/** Options of {@link SummariesService.summarize}. @public */
export interface SummarizeOptions {
  /** This session's unsummarized messages (`null`: rows without a session); absent: the rolling budget pass. */
  sessionId?: string | null;
  method?: SummaryMethod;
  signal?: AbortSignal;
  /** Per-bot config laid over the root config. */
  config?: Partial<SummariesConfig>;
}

/** Layer 3 of memory: rolling summaries. @public */
export interface SummariesService extends HistorySummaries {
  /**
   * Summarizes one session (`sessionId`), or, without one, the messages that fall out of
   * the summarization budget (§5.5), grouped by session. Returns what it wrote.
   */
  summarize(scope: HistoryScope, options?: SummarizeOptions): Promise<Summary[]>;
  /** The rolling pass, only when the scope's unsummarized tokens exceed `triggerTokens`. */
  maybeSummarize(scope: HistoryScope, options?: Omit<SummarizeOptions, 'sessionId'>): Promise<Summary[]>;
  forHistory(input: HistoryScope & { sessionId?: string; budgetTokens: number; limit?: number }): Promise<Summary[]>;
  expand(scope: HistoryScope, summaryId: string): Promise<{ summary: Summary; messages: StoredMessage[] } | undefined>;
  /** Newest first. */
  list(scope: HistoryScope, options?: { sessionId?: string; limit?: number }): Promise<Summary[]>;
  get(scope: HistoryScope, summaryId: string): Promise<Summary | undefined>;
  /** Deletes a summary and marks its messages unsummarized again. */
  delete(scope: HistoryScope, summaryId: string): Promise<boolean>;
}
