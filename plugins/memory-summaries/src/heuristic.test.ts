import type { StoredMessage } from '@llm-bawt/plugin-memory-history';
import { describe, expect, it } from 'vitest';
import { firstSentence, heuristicSummary } from './heuristic.js';
import { acceptSummary, summaryPrompt } from './prompt.js';

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 9, minute));
const m = (role: StoredMessage['role'], content: string, minute: number): StoredMessage => ({
  id: `m${minute}`, botId: 'nova', userId: 'ada', sessionId: 's', role, content, tokens: 10, createdAt: at(minute), processed: false, summarized: false, attachments: [], reasoning: null,
});

describe('heuristicSummary', () => {
  it('writes the five sections from the user\'s own sentences', () => {
    const text = heuristicSummary([
      m('user', 'Hi there. How are you?', 0),
      m('assistant', 'Fine, thanks.', 1),
      m('user', 'My daughter Lena turns 7 on March 3. We want a party.', 2),
      m('assistant', 'Lovely!', 3),
      m('user', 'Can you suggest a cake?', 4),
    ]);
    expect(text).toBe(
      [
        'Summary: A conversation of 5 messages (3 from the user, 2 from the assistant) between 2025-01-01 09:00 and 2025-01-01 09:04 UTC.',
        'Key Details:',
        '- Hi there.',
        '- My daughter Lena turns 7 on March 3.',
        '- Can you suggest a cake?',
        'Intent: Hi there.',
        'Tone: not assessed (extractive summary)',
        'Open Loops: Can you suggest a cake?',
      ].join('\n'),
    );
  });

  it('keeps the six most fact-like sentences, in order', () => {
    const messages = Array.from({ length: 10 }, (_, i) => m('user', i === 8 ? 'I live in Porto since 2019.' : `ok ${i}`, i));
    const details = heuristicSummary(messages).split('\n').filter((line) => line.startsWith('- '));
    expect(details).toHaveLength(6);
    expect(details).toContain('- I live in Porto since 2019.');
  });

  it('takes the first sentence', () => {
    expect(firstSentence('One.  Two!')).toBe('One.');
    expect(firstSentence('no stop')).toBe('no stop');
  });
});

describe('the summary prompt', () => {
  it('gives the transcript with role labels after the instructions', () => {
    const [system, user] = summaryPrompt([m('user', 'hello', 0), m('system', '[Tool Results] x', 1), m('assistant', 'hi', 2)]);
    expect(system?.content).toContain('Summary:');
    expect(user?.content).toBe('Conversation from 2025-01-01T09:00:00.000Z to 2025-01-01T09:02:00.000Z:\n\nUSER: hello\n\nTOOL RESULTS: [Tool Results] x\n\nASSISTANT: hi\n\nWrite the summary now.');
  });

  it('refuses empty, error and refusal answers and drops think blocks', () => {
    expect(acceptSummary('<think>hmm</think>\nSummary: They planned a party for Lena.')).toBe('Summary: They planned a party for Lena.');
    expect(acceptSummary('Error: the prompt exceeds the context window')).toBeUndefined();
    expect(acceptSummary("I'm sorry, I can't help with that request.")).toBeUndefined();
    expect(acceptSummary('ok')).toBeUndefined();
  });
});
