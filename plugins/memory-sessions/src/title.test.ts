import type { ChatMessage } from '@llm-bawt/sdk';
import { describe, expect, it } from 'vitest';
import { autoTitle } from './title.js';
import { newCommand } from './turn-hooks.js';

describe('autoTitle', () => {
  it('keeps a short first message as it is, whitespace collapsed', () => {
    expect(autoTitle('  Plan   a trip\nto Lisbon ')).toBe('Plan a trip to Lisbon');
  });

  it('cuts a long one on a word boundary, with an ellipsis, to at most 60 characters', () => {
    const title = autoTitle('Help me plan a two-week trip to Lisbon and Porto in May with my sister and her two kids') as string;
    expect(title).toBe('Help me plan a two-week trip to Lisbon and Porto in May…');
    expect(title.length).toBeLessThanOrEqual(60);
    // A word that ends right at the cut is kept.
    expect(autoTitle(`${'abcd '.repeat(12)}end`)).toBe(`${'abcd '.repeat(11)}abcd…`);
  });

  it('cuts a long word that has no boundary', () => {
    expect(autoTitle('x'.repeat(80))).toBe(`${'x'.repeat(59)}…`);
  });

  it('gives no title for slash commands or empty text', () => {
    expect(autoTitle('/new')).toBeUndefined();
    expect(autoTitle('   ')).toBeUndefined();
  });
});

const request = (...messages: ChatMessage[]) => ({ messages });

describe('newCommand', () => {
  it('recognises /new as the last user message, with an optional title', () => {
    expect(newCommand(request({ role: 'user', content: '/new' }))).toEqual({});
    expect(newCommand(request({ role: 'user', content: ' /NEW  Trip   planning ' }))).toEqual({ title: 'Trip planning' });
    expect(newCommand(request({ role: 'user', content: [{ type: 'text', text: '/new' }] }))).toEqual({});
  });

  it('ignores /new elsewhere', () => {
    expect(newCommand(request({ role: 'user', content: '/newer' }))).toBeUndefined();
    expect(newCommand(request({ role: 'user', content: 'please /new' }))).toBeUndefined();
    expect(newCommand(request({ role: 'user', content: '/new' }, { role: 'assistant', content: 'ok' }))).toBeUndefined();
  });
});
