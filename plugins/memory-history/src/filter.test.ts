import type { Assembly, ChatMessage, TurnContext } from '@llm-bawt/sdk';
import { describe, expect, it } from 'vitest';
import { filterHistory, foldSummaries, historyBudget, timeAgo } from './filter.js';
import type { HistoryService } from './types.js';

const ctxWith = (settings: Record<string, unknown>, state = new Map<string | symbol, unknown>()) =>
  ({ setting: <T>(key: string, fallback: T) => (key in settings ? settings[key] : fallback) as T, state }) as unknown as TurnContext;

describe('historyBudget', () => {
  it('is history_tokens when set', () => {
    expect(historyBudget(ctxWith({ history_tokens: 900 }))).toBe(900);
  });
  it('else what max_context_tokens leaves after the memory share', () => {
    expect(historyBudget(ctxWith({}))).toBe(8_400);
    expect(historyBudget(ctxWith({ max_context_tokens: 10_000, memory_max_token_percent: 20 }))).toBe(8_000);
  });
});

describe('timeAgo', () => {
  const now = new Date('2025-03-10T12:00:00Z');
  it.each([
    ['2025-03-10T11:59:50Z', 'just now'],
    ['2025-03-10T11:59:00Z', '1 minute ago'],
    ['2025-03-10T09:00:00Z', '3 hours ago'],
    ['2025-03-07T12:00:00Z', '3 days ago'],
    ['2024-12-10T12:00:00Z', '3 months ago'],
  ])('%s is %s', (date, text) => expect(timeAgo(new Date(date), now)).toBe(text));
});

const stored = (role: 'user' | 'assistant', content: string) => ({ id: content, botId: 'nova', userId: 'ada', sessionId: 's', role, content, tokens: 5, createdAt: new Date(), processed: false, summarized: false, attachments: [], reasoning: null });
const ctx = () =>
  ({
    ...ctxWith({}),
    bot: { slug: 'nova' },
    decisions: { skip_history: false },
    model: { provider: 'openai' },
    request: { userId: 'ada', sessionId: 's', includeSummaries: true },
    note: () => undefined,
  }) as unknown as TurnContext;

describe('filterHistory and foldSummaries', () => {
  const summary = { id: 's-1', sessionId: null, content: 'Summary: they met.', tokens: 5, periodStart: new Date(0), periodEnd: new Date(Date.now() - 3 * 3_600_000), method: 'heuristic' as const, messageCount: 2 };
  const service = {
    summaries: { forHistory: async () => [summary] },
    window: async () => ({ messages: [stored('assistant', 'orphan reply'), stored('user', 'old question'), stored('assistant', 'old answer')], dropped: 3 }),
  } as unknown as HistoryService;

  it('puts summaries, then stored history from its first user message, then the new messages', async () => {
    const turn = ctx();
    const history = await filterHistory([{ role: 'user', content: 'old question' }, { role: 'assistant', content: 'old answer' }, { role: 'user', content: 'new' }], turn, service);
    expect(history.map((m) => m.content)).toEqual([expect.stringContaining('summary id s-1'), 'old question', 'old answer', 'new']);
    expect(history[0]?.content).toBe('## Earlier conversation\nSummaries of older parts of your conversation with this user, oldest first.\n\n[Previous conversation 3 hours ago; summary id s-1]\nSummary: they met.');

    const system: ChatMessage = { role: 'system', content: 'You are Nova.' };
    const folded = foldSummaries({ messages: [system, ...history] } as Assembly, turn);
    expect(folded?.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(folded?.messages[0]?.content).toBe(`You are Nova.\n\n${history[0]?.content as string}`);
  });

  it('leaves the request alone when skip_history is decided', async () => {
    const turn = { ...ctx(), decisions: { skip_history: true } } as unknown as TurnContext;
    const request: ChatMessage[] = [{ role: 'user', content: 'only this' }];
    expect(await filterHistory(request, turn, service)).toBe(request);
    expect(foldSummaries({ messages: request } as Assembly, turn)).toBeUndefined();
  });
});
