import type { ChatMessage, FinishedTurn } from '@llm-bawt/sdk';
import { describe, expect, it } from 'vitest';
import { attachmentsOf, splitConversation, toolResultsText, turnRows } from './conversation.js';

const u = (content: string): ChatMessage => ({ role: 'user', content });
const a = (content: string): ChatMessage => ({ role: 'assistant', content });

describe('splitConversation', () => {
  it('keeps only what follows the last reply when a client resends the conversation', () => {
    const { lead, trailing } = splitConversation([{ role: 'system', content: 'Be brief.' }, u('one'), a('1'), u('two'), a('2'), u('three')]);
    expect(lead).toEqual([{ role: 'system', content: 'Be brief.' }]);
    expect(trailing).toEqual([u('three')]);
  });

  it('treats every message as new when there is no reply yet', () => {
    expect(splitConversation([u('a'), u('b')]).trailing).toEqual([u('a'), u('b')]);
  });

  it('keeps an assistant message that called client tools with its results', () => {
    const call: ChatMessage = { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{}' } }] };
    const result: ChatMessage = { role: 'tool', tool_call_id: 'c1', content: 'found' };
    expect(splitConversation([u('q'), a('ok'), u('look it up'), call, result]).trailing).toEqual([u('look it up'), call, result]);
  });
});

describe('attachmentsOf', () => {
  it('keeps references to non-text parts, never inline data', () => {
    expect(
      attachmentsOf([
        { type: 'text', text: 'see' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
        { type: 'input_audio', input_audio: { data: 'BBBB', format: 'wav' } },
      ]),
    ).toEqual([{ type: 'image_url', inline: true, media_type: 'image/png' }, { type: 'image_url', url: 'https://example.com/cat.png' }, { type: 'input_audio', format: 'wav' }]);
    expect(attachmentsOf('plain')).toEqual([]);
  });
});

const turn = (extra: Partial<FinishedTurn> = {}): FinishedTurn =>
  ({
    requestId: 'turn_1',
    request: { botId: 'nova', userId: 'ada', sessionId: 's1', messages: [u('old'), a('old reply'), u('first'), u('second')], metadata: { user_message_id: 'u-id', assistant_message_id: 'a-id' } },
    reply: { content: 'answer', reasoning: 'because' },
    toolRuns: [],
    startedAt: new Date('2025-01-01T10:00:00Z'),
    ...extra,
  }) as unknown as FinishedTurn;

describe('turnRows', () => {
  const end = new Date('2025-01-01T10:00:05Z');

  it('stores the new user messages and the reply, with the minted ids on the last user message and the reply', () => {
    expect(turnRows(turn(), end)).toEqual([
      { sessionId: 's1', role: 'user', content: 'first', attachments: [], createdAt: new Date('2025-01-01T10:00:00Z') },
      { id: 'u-id', sessionId: 's1', role: 'user', content: 'second', attachments: [], createdAt: new Date('2025-01-01T10:00:00Z') },
      { id: 'a-id', sessionId: 's1', role: 'assistant', content: 'answer', reasoning: 'because', createdAt: end },
    ]);
  });

  it('adds a tool-results system row before the reply when server tools ran', () => {
    const rows = turnRows(turn({ toolRuns: [{ id: 'c1', name: 'time', arguments: '{}', result: '12:00', durationMs: 1 }, { id: 'c2', name: 'web', arguments: '{"q":"x"}', result: '', error: 'offline', durationMs: 1 }] }), end);
    expect(rows.map((r) => r.role)).toEqual(['user', 'user', 'system', 'assistant']);
    expect(rows[2]?.content).toBe('[Tool Results @ 2025-01-01T10:00:05.000Z]\n- time {} -> 12:00\n- web {"q":"x"} -> error: offline');
  });

  it('stores no empty reply', () => {
    expect(turnRows(turn({ reply: { content: '  ' } }), end).map((r) => r.role)).toEqual(['user', 'user']);
  });
});

describe('toolResultsText', () => {
  it('clips long results', () => {
    const text = toolResultsText({ toolRuns: [{ id: 'c', name: 'fetch', arguments: '{}', result: 'x'.repeat(2_500), durationMs: 1 }] }, new Date(0));
    expect(text).toContain('… [500 more characters]');
  });
});
