import type { AdapterDefinition } from '@llm-bawt/sdk';
import { describe, expect, it } from 'vitest';
import { defaultAdapter, dolphinAdapter, pygmalionAdapter } from './adapters.js';
import { detectAdapter } from './detect.js';

/** Streams chunks through an adapter as the host does: cleanChunk per chunk, flush at the end. */
function stream(adapter: AdapterDefinition, chunks: string[]): { pieces: string[]; text: string } {
  const state = new Map<string, unknown>();
  const pieces = chunks.map((chunk) => adapter.cleanChunk?.(chunk, state) ?? chunk);
  pieces.push(adapter.flush?.(state) ?? '');
  return { pieces, text: pieces.join('') };
}

/** Every way of cutting `text` into two chunks. */
function everySplit(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

describe('default adapter', () => {
  it('passes ordinary text through chunk by chunk, untouched', () => {
    const { pieces, text } = stream(defaultAdapter, ['Hello', ', world', '. <b>html</b> and a < b']);
    expect(pieces.slice(0, 2)).toEqual(['Hello', ', world']);
    expect(text).toBe('Hello, world. <b>html</b> and a < b');
  });

  it('cuts at a leaked end-of-turn token, wherever a chunk splits it', () => {
    for (const chunks of everySplit('Done.<|im_end|>\n<|im_start|>user\nmore')) {
      expect(stream(defaultAdapter, chunks).text).toBe('Done.');
    }
    expect(stream(defaultAdapter, ['Bye', '<|eot', '_id|>', 'junk']).text).toBe('Bye');
  });

  it('releases a held partial token when it turns out to be text', () => {
    const { pieces, text } = stream(defaultAdapter, ['a <|', 'not a token|>']);
    expect(pieces[0]).toBe('a ');
    expect(text).toBe('a <|not a token|>');
    expect(stream(defaultAdapter, ['ends with <|im']).text).toBe('ends with <|im');
  });

  it('cleans a whole reply the same way', () => {
    expect(defaultAdapter.cleanReply?.('Answer. <|endoftext|> garbage')).toBe('Answer.');
  });
});

describe('pygmalion adapter', () => {
  it('removes BBCode tags, also when a tag is split across chunks', () => {
    for (const chunks of everySplit('She [b]smiles[/b] and [color=red]waves[/color].')) {
      expect(stream(pygmalionAdapter, chunks).text).toBe('She smiles and waves.');
    }
  });

  it('keeps brackets that are not BBCode', () => {
    expect(stream(pygmalionAdapter, ['See [1] and [', 'note].']).text).toBe('See [1] and [note].');
  });

  it('cuts at an invented user turn or role marker split across chunks', () => {
    for (const text of ['I nod.\n[HUMAN] What now?', 'I nod.\n### Instruction: say more', 'I nod.\nUser: and then?', 'I nod.\n<|im_start|>user\nhi']) {
      for (const chunks of everySplit(text)) expect(stream(pygmalionAdapter, chunks).text.trim()).toBe('I nod.');
    }
  });

  it('collapses runs of blank lines, across chunks too', () => {
    expect(stream(pygmalionAdapter, ['one\n\n', '\n\n', 'two\n\n\n\nthree']).text).toBe('one\n\ntwo\n\nthree');
  });

  it('sends its stop sequences upstream and cleans whole replies', () => {
    expect(pygmalionAdapter.stop).toEqual(expect.arrayContaining(['[HUMAN]', '[INST]', '### Instruction:', '<|im_start|>user']));
    expect(pygmalionAdapter.cleanReply?.('[i]Hi[/i]!\n\n\n\nYou: hey')).toBe('Hi!');
  });
});

describe('dolphin adapter', () => {
  it('cuts a hallucinated Observation and everything after it', () => {
    for (const chunks of everySplit('The answer is 4.\nObservation: {"result": 5}\nFinal Answer: 5')) {
      expect(stream(dolphinAdapter, chunks).text).toBe('The answer is 4.');
    }
  });

  it('cuts an Observation at the very start of the reply', () => {
    expect(stream(dolphinAdapter, ['Obs', 'ervation: made up']).text).toBe('');
  });

  it('leaves the word inside a sentence alone', () => {
    expect(stream(dolphinAdapter, ['My observation: ', 'it works.']).text).toBe('My observation: it works.');
  });
});

const spec = (alias: string, model: string, options?: Record<string, unknown>) => ({ alias, provider: 'openai-compatible', model, ...(options ? { options } : {}) });

describe('detectAdapter', () => {
  it('detects pygmalion from the alias or the repository id', () => {
    expect(detectAdapter(spec('pyg', 'PygmalionAI/pygmalion-2-7b'))).toBe('pygmalion');
    expect(detectAdapter(spec('mythomax', 'x'))).toBe('pygmalion');
    expect(detectAdapter(spec('rp', 'x', { repo_id: 'TheBloke/MythoMax-L2-13B-GGUF' }))).toBe('pygmalion');
  });

  it('falls back to default and never guesses dolphin', () => {
    expect(detectAdapter(spec('gpt', 'gpt-4o'))).toBe('default');
    expect(detectAdapter(spec('dolphin', 'dolphin-2.9-llama3'))).toBe('default');
  });

  it('lets models.yaml options.adapter decide', () => {
    expect(detectAdapter(spec('dolphin', 'dolphin-2.9', { adapter: 'dolphin' }))).toBe('dolphin');
    expect(detectAdapter(spec('mythomax', 'x', { adapter: 'default' }))).toBe('default');
  });
});
