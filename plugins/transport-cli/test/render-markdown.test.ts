import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createMarkdownStream, type MarkdownStream } from '../src/render/markdown.js';

const DOC = [
  '# Release notes',
  'The **fast** path is now *default*; see `llm-bawt chat --help` and [the docs](https://example.com/docs).',
  '',
  '## Steps',
  '1. Install the package',
  '2. Run it with `npm start`',
  '   - a nested bullet with **emphasis**',
  '',
  '> Quoted, with _style_.',
  '',
  '```python',
  'def greet(name):',
  '    """Say hello."""',
  '',
  '    return f"hello {name}"',
  '```',
  '',
  '| Name | Value |',
  '|------|-------|',
  '| alpha | **1** |',
  '| beta | `two` |',
  '',
  'Closing words without a final newline',
].join('\n');

/** A small seeded generator, so a failing chunking can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function chunks(text: string, seed: number, max = 7): string[] {
  const next = random(seed);
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const size = 1 + Math.floor(next() * max);
    out.push(text.slice(i, i + size));
    i += size;
  }
  return out;
}

function streamAll(stream: MarkdownStream, parts: readonly string[]): string {
  let out = '';
  for (const part of parts) out += stream.push(part);
  return out + stream.end();
}

const plain = (s: string): string => stripVTControlCharacters(s);
const render = (parts: readonly string[], width = 80): string => streamAll(createMarkdownStream({ color: true, width }), parts);

describe('createMarkdownStream without colour', () => {
  it('passes the text through byte for byte, however it is chunked', () => {
    const text = `${DOC}\n\u001b[31mraw escapes stay\u001b[0m\r\n  trailing  \n\n`;
    for (const seed of [1, 2, 3]) {
      const stream = createMarkdownStream({ color: false, width: 40 });
      const parts = chunks(text, seed);
      const written = parts.map((part) => stream.push(part));
      expect(written).toEqual(parts);
      expect(stream.end()).toBe('');
    }
  });
});

describe('createMarkdownStream with colour', () => {

  it('renders the same however the reply is chunked', () => {
    const whole = render([DOC]);
    for (const seed of [1, 2, 3, 4, 5, 6]) expect(render(chunks(DOC, seed))).toBe(whole);
    expect(render([...DOC])).toBe(whole);
  });

  it('leaves no markdown markers and keeps all the text', () => {
    const out = plain(render([DOC]));
    const flat = out.replaceAll(/\s+/g, ' ');
    expect(out).not.toContain('**');
    expect(out).not.toContain('```');
    expect(out).not.toContain('`');
    expect(out).not.toMatch(/^\s*#/m);
    expect(out).not.toMatch(/\|---/);
    for (const text of [
      'Release notes',
      'The fast path is now default; see llm-bawt chat --help and the docs',
      'Steps',
      'Install the package',
      'Run it with npm start',
      'a nested bullet with emphasis',
      'Quoted, with style.',
      'def greet(name):',
      '"""Say hello."""',
      'return f"hello {name}"',
      'alpha',
      'two',
      'Closing words without a final newline',
    ]) {
      expect(flat).toContain(text);
    }
    // Code keeps its own indentation under the block's.
    expect(out).toMatch(/^( +)def greet\(name\):\n\1 {4}"""Say hello\."""\n\n\1 {4}return/m);
  });

  it('styles what markdown marks', () => {
    const out = render(['a **bold** word\n']);
    expect(out).toContain('\u001b[1mbold\u001b[22m');
  });

  it('writes a line as soon as its newline arrives, and the last partial line only at the end', () => {
    const stream = createMarkdownStream({ color: true, width: 80 });
    expect(stream.push('# Tit')).toBe('');
    const heading = stream.push('le\nSome ');
    expect(plain(heading)).toBe('Title\n');
    expect(plain(stream.push('text\n- an item\n- another'))).toBe('\nSome text\n  • an item\n');
    expect(plain(stream.end())).toBe('  • another\n');
  });

  it('writes each code line as it arrives, and holds a table until it ends', () => {
    const stream = createMarkdownStream({ color: true, width: 80 });
    expect(plain(stream.push('```js\n'))).toBe('');
    expect(plain(stream.push('let a = 1;\n'))).toContain('let a = 1;');
    expect(plain(stream.push('```\n'))).toBe('');
    expect(stream.push('| a | b |\n|---|---|\n')).toBe('');
    expect(stream.push('| 1 | 2 |\n')).toBe('');
    const table = plain(stream.push('after\n'));
    expect(table).toMatch(/^\n.*a.*b.*\n.*\n.*1.*2.*\n[^\n]*\n\nafter\n$/s);
    expect(stream.end()).toBe('');
  });

  it('keeps one blank line between paragraphs and sets headings, code and tables apart', () => {
    expect(plain(render(['\n\nfirst\nstill first\n\n\n\nsecond\n\n\n']))).toBe('first\nstill first\n\nsecond\n');
    expect(plain(render(['## Head\ntext\n```\ncode\n```\nmore']))).toBe('Head\n\ntext\n\n    code\n\nmore\n');
  });

  it('wraps prose to the width, list items with a hanging indent', () => {
    const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor';
    const out = plain(render([`${words} ${words}\n- ${words}\n`], 30));
    const lines = out.trimEnd().split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(30);
    expect(lines.join(' ').replaceAll(/\s+/g, ' ').replace('•', '').replaceAll(/\s+/g, ' ')).toBe(`${words} ${words} ${words}`);
    const item = lines.findIndex((l) => l.startsWith('  • '));
    expect(lines[item + 1]).toMatch(/^ {4}\S/);
  });

  it('fits a wide table into the width without losing a word', () => {
    const table = '| Option | Description |\n|---|---|\n| `--plain` | Print the raw answer with no markdown rendering and no colours |\n';
    const out = plain(render([table], 40));
    for (const line of out.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(40);
    for (const word of 'Print the raw answer with no markdown rendering and no colours'.split(' ')) expect(out).toContain(word);
  });

  it('can take a new reply after end', () => {
    const stream = createMarkdownStream({ color: true, width: 80 });
    expect(plain(stream.push('one'))).toBe('');
    expect(plain(stream.end())).toBe('one\n');
    expect(plain(stream.push('two\n'))).toBe('two\n');
    expect(stream.end()).toBe('');
  });
});
