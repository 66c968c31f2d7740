import type { StoredMessage } from '@llm-bawt/plugin-memory-history';
import { describe, expect, it } from 'vitest';
import { chunk, overflowGroups, SYSTEM_OVERHEAD_TOKENS } from './select.js';

let clock = Date.parse('2025-01-01T00:00:00Z');
function message(sessionId: string | null, tokens: number, role: StoredMessage['role'] = 'user', gapSeconds = 60): StoredMessage {
  clock += gapSeconds * 1_000;
  return { id: `m${clock}`, botId: 'nova', userId: 'ada', sessionId, role, content: 'x', tokens, createdAt: new Date(clock), processed: false, summarized: false, attachments: [], reasoning: null };
}
const exchange = (sessionId: string | null, tokens: number, gapSeconds = 60) => [message(sessionId, tokens, 'user', gapSeconds), message(sessionId, tokens, 'assistant')];

const budget = { triggerTokens: 1_000 + SYSTEM_OVERHEAD_TOKENS, protectedRecentTurns: 1, minMessages: 2, sessionGapSeconds: 3_600 };

describe('overflowGroups (§5.5)', () => {
  it('summarizes nothing while everything fits', () => {
    expect(overflowGroups([...exchange('a', 100), ...exchange('a', 100)], budget)).toEqual([]);
  });

  it('protects the newest turns, keeps what fits after them, and groups the overflow by session, biggest first', () => {
    const old = [...exchange('a', 100), ...exchange('b', 150), ...exchange('b', 150)];
    const kept = [...exchange('c', 200), ...exchange('c', 200)];
    const newest = exchange('c', 300);
    const groups = overflowGroups([...old, ...kept, ...newest], budget);
    // 1000 - 600 protected leaves 400: of the older 'c' messages (800), only the newest two fit.
    expect(groups.map((g) => [g.sessionId, g.messages.length])).toEqual([
      ['b', 4],
      ['c', 2],
      ['a', 2],
    ]);
  });

  it('splits rows without a session on long gaps and drops groups too small to summarize', () => {
    const before = exchange(null, 400);
    const lone = [message(null, 400, 'user', 7_200)];
    const after = [...exchange(null, 400, 7_200), ...exchange(null, 400)];
    const recent = [...exchange(null, 10), ...exchange(null, 10)];
    // 1000 - 40 protected - 500 leaves 460: one 400-token message of `after` still fits.
    const groups = overflowGroups([...before, ...lone, ...after, ...recent], { ...budget, triggerTokens: 1_000, protectedRecentTurns: 2 });
    expect(groups.map((g) => g.messages.length)).toEqual([3, 2]);
    expect(groups.every((g) => g.sessionId === null)).toBe(true);
  });
});

describe('chunk', () => {
  it('cuts consecutive chunks under the token limit', () => {
    const messages = [message('a', 300), message('a', 300), message('a', 500), message('a', 100)];
    expect(chunk(messages, 700).map((c) => c.length)).toEqual([2, 2]);
    expect(chunk([message('a', 900)], 700).map((c) => c.length)).toEqual([1]);
  });
});
