import type { StoredMessage } from '@llm-bawt/plugin-memory-history';

/** Budgets of the rolling pass (§5.5). */
export interface OverflowBudget {
  triggerTokens: number;
  protectedRecentTurns: number;
  minMessages: number;
  sessionGapSeconds: number;
}

/** Messages of one session (or one stretch of session-less rows) to summarize together. */
export interface SummaryGroup {
  sessionId: string | null;
  messages: StoredMessage[];
}

/** Room the prompt's system part is assumed to take when judging what still fits. */
export const SYSTEM_OVERHEAD_TOKENS = 500;

const isExchange = (m: StoredMessage) => m.role !== 'system';
const tokensOf = (messages: readonly StoredMessage[]) => messages.reduce((sum, m) => sum + m.tokens, 0);

/** Whether a group is worth a summary: at least `minMessages` user and assistant messages. */
export const worthSummarizing = (messages: readonly StoredMessage[], minMessages: number) => messages.filter(isExchange).length >= minMessages;

/**
 * The rolling pass's selection (§5.5): protect the newest `protectedRecentTurns` turns,
 * keep walking back while the rest fits in `triggerTokens` minus the protected cost and a
 * system overhead; what does not fit overflows. The overflow is grouped by session (rows
 * without one are split on gaps over `sessionGapSeconds`), groups too small are dropped,
 * and the biggest saving comes first. `messages` are unsummarized, oldest first.
 */
export function overflowGroups(messages: readonly StoredMessage[], budget: OverflowBudget): SummaryGroup[] {
  const exchange = messages.filter(isExchange);
  const protectedCount = Math.min(exchange.length, budget.protectedRecentTurns * 2);
  const firstProtected = protectedCount === 0 ? messages.length : messages.indexOf(exchange[exchange.length - protectedCount] as StoredMessage);
  let available = budget.triggerTokens - tokensOf(messages.slice(firstProtected)) - SYSTEM_OVERHEAD_TOKENS;
  let cut = firstProtected;
  while (cut > 0 && (messages[cut - 1] as StoredMessage).tokens <= available) {
    available -= (messages[cut - 1] as StoredMessage).tokens;
    cut -= 1;
  }
  const overflow = messages.slice(0, cut);

  const groups: SummaryGroup[] = [];
  const bySession = new Map<string, SummaryGroup>();
  let loose: SummaryGroup | undefined;
  for (const message of overflow) {
    if (message.sessionId !== null) {
      let group = bySession.get(message.sessionId);
      if (!group) {
        group = { sessionId: message.sessionId, messages: [] };
        bySession.set(message.sessionId, group);
        groups.push(group);
      }
      group.messages.push(message);
      continue;
    }
    const previous = loose?.messages.at(-1);
    if (!loose || !previous || message.createdAt.getTime() - previous.createdAt.getTime() > budget.sessionGapSeconds * 1_000) {
      loose = { sessionId: null, messages: [] };
      groups.push(loose);
    }
    loose.messages.push(message);
  }
  return groups
    .filter((group) => worthSummarizing(group.messages, budget.minMessages))
    .sort((a, b) => tokensOf(b.messages) - tokensOf(a.messages));
}

/** Consecutive chunks of at most `chunkTokens` tokens (a longer single message is a chunk alone). */
export function chunk(messages: readonly StoredMessage[], chunkTokens: number): StoredMessage[][] {
  const chunks: StoredMessage[][] = [];
  let current: StoredMessage[] = [];
  let size = 0;
  for (const message of messages) {
    if (current.length > 0 && size + message.tokens > chunkTokens) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(message);
    size += message.tokens;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
