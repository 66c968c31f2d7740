import type { Assembly, ChatMessage, TurnContext } from '@llm-bawt/sdk';
import { splitConversation, toChatMessage } from './conversation.js';
import { messageTokens } from './tokens.js';
import type { HistoryService, InjectedSummary, StoredMessage } from './types.js';

const SUMMARY_MESSAGE = Symbol('memory-history.summaryMessage');

const numberSetting = (ctx: TurnContext, key: string, fallback: number): number => {
  const value = Number(ctx.setting<unknown>(key, fallback));
  return Number.isFinite(value) && value >= 0 ? value : fallback;
};

/**
 * Tokens the conversation may take: the `history_tokens` setting, else what
 * `max_context_tokens` leaves after the memory share (`memory_max_token_percent`).
 */
export function historyBudget(ctx: TurnContext): number {
  const max = numberSetting(ctx, 'max_context_tokens', 12_000);
  const memoryPercent = Math.min(100, numberSetting(ctx, 'memory_max_token_percent', 30));
  return Math.floor(numberSetting(ctx, 'history_tokens', (max * (100 - memoryPercent)) / 100));
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;

/** "3 hours ago" style age of a date. */
export function timeAgo(date: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - date.getTime()) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  const days = Math.round(hours / 24);
  if (days < 60) return plural(days, 'day');
  return plural(Math.round(days / 30), 'month');
}

/** Summaries as one system message, oldest first, each with its id for the `history` tool's recall. */
export function summariesMessage(summaries: readonly InjectedSummary[], now: Date): ChatMessage {
  const parts = summaries.map((s) => `[Previous conversation ${timeAgo(s.periodEnd, now)}; summary id ${s.id}]\n${s.content.trim()}`);
  return {
    role: 'system',
    content: `## Earlier conversation\nSummaries of older parts of your conversation with this user, oldest first.\n\n${parts.join('\n\n')}`,
  };
}

/** Drops rows before the first user message, so the kept history never opens mid-exchange. */
function fromFirstUser(messages: StoredMessage[]): StoredMessage[] {
  const first = messages.findIndex((m) => m.role === 'user');
  return first <= 0 ? (first === -1 ? [] : messages) : messages.slice(first);
}

const sum = (messages: readonly ChatMessage[]) => messages.reduce((total, m) => total + messageTokens(m), 0);

/**
 * HISTORY_FILTER for bots with memory: the client's instructions, then summaries of what
 * no longer fits, then the stored session history (unsummarized, newest kept first), then
 * the request's new trailing messages, which are always kept. Everything fits in
 * {@link historyBudget}, counted with gpt-tokenizer.
 */
export async function filterHistory(history: ChatMessage[], ctx: TurnContext, service: HistoryService): Promise<ChatMessage[]> {
  if (ctx.decisions.skip_history) {
    ctx.note('history', { skipped: 'skip_history' });
    return history;
  }
  if (ctx.model?.provider === 'agent') {
    ctx.note('history', { skipped: 'agent backends keep their own session' });
    return history;
  }
  const scope = { botId: ctx.bot.slug, userId: ctx.request.userId };
  const sessionId = ctx.request.sessionId;
  const { lead, trailing } = splitConversation(history);
  const budget = historyBudget(ctx);
  const fixed = sum(lead) + sum(trailing);

  let injected: InjectedSummary[] = [];
  let summaryMessage: ChatMessage | undefined;
  const source = service.summaries;
  if (source && ctx.request.includeSummaries && ctx.setting<unknown>('include_summaries', true) !== false) {
    const cap = Math.min(numberSetting(ctx, 'summary_tokens', Math.floor(budget * 0.3)), Math.max(0, budget - fixed));
    if (cap > 0) {
      injected = await source.forHistory({ ...scope, ...(sessionId ? { sessionId } : {}), budgetTokens: cap, limit: numberSetting(ctx, 'summary_count', 5) });
    }
    if (injected.length > 0) summaryMessage = summariesMessage(injected, new Date());
  }
  const summaryTokens = summaryMessage ? messageTokens(summaryMessage) : 0;
  const window = await service.window(scope, { ...(sessionId ? { sessionId } : {}), budgetTokens: Math.max(0, budget - fixed - summaryTokens) });
  const kept = fromFirstUser(window.messages);
  const stored = kept.map(toChatMessage);

  ctx.note('history', {
    sessionId: sessionId ?? null,
    budgetTokens: budget,
    storedMessages: stored.length,
    storedTokens: kept.reduce((total, m) => total + m.tokens, 0),
    droppedMessages: window.dropped + window.messages.length - kept.length,
    newMessages: trailing.length,
  });
  if (summaryMessage) {
    ctx.note(
      'summaries',
      injected.map((s) => ({ id: s.id, sessionId: s.sessionId, method: s.method, tokens: s.tokens, messages: s.messageCount, periodEnd: s.periodEnd.toISOString() })),
    );
    ctx.state.set(SUMMARY_MESSAGE, summaryMessage);
  }
  return [...lead, ...(summaryMessage ? [summaryMessage] : []), ...stored, ...trailing];
}

/**
 * MESSAGE_ASSEMBLY: folds the summaries message into the system prompt as its last
 * section, since many chat templates refuse a second system message.
 */
export function foldSummaries(assembly: Assembly, ctx: TurnContext): Assembly | undefined {
  const message = ctx.state.get(SUMMARY_MESSAGE) as ChatMessage | undefined;
  if (!message) return undefined;
  const index = assembly.messages.indexOf(message);
  const first = assembly.messages[0];
  if (index <= 0 || first?.role !== 'system' || typeof first.content !== 'string') return undefined;
  const messages = assembly.messages.filter((_, i) => i !== index);
  messages[0] = { ...first, content: `${first.content}\n\n${message.content as string}` };
  return { ...assembly, messages };
}
