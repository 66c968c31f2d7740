import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createStyle } from '../src/render/style.js';
import { renderKeyValues, renderTable } from '../src/render/table.js';

const color = createStyle({ isTTY: true, env: {} });
const noColor = createStyle({ isTTY: false, env: {} });
const plain = (s: string): string[] => stripVTControlCharacters(s).split('\n');

describe('renderTable', () => {
  it('aligns columns by visible width, escape codes in cells or not', () => {
    const out = renderTable(
      ['NAME', 'STATE', 'MODEL'],
      [
        ['alpha', color.green('ready'), 'gpt-4o'],
        ['a-much-longer-name', color.red('down'), ''],
      ],
      { style: color },
    );
    const lines = plain(out);
    expect(lines).toEqual(['NAME                STATE  MODEL', 'alpha               ready  gpt-4o', 'a-much-longer-name  down']);
    expect(out).toContain('\u001b[1mNAME\u001b[22m');
    for (const line of out.split('\n')) expect(line).not.toMatch(/\s$/);
  });

  it('prints no escape codes with colour off', () => {
    const out = renderTable(['A', 'B'], [['1', '2']], { style: noColor });
    expect(out).toBe('A  B\n1  2');
  });

  it('cuts the widest column with … to fit maxWidth', () => {
    const description = 'a description that is far too long to fit in the table';
    const out = renderTable(['ALIAS', 'DESCRIPTION', 'PRICE'], [['fast', color.yellow(description), '0.10']], {
      style: color,
      maxWidth: 40,
    });
    const lines = plain(out);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    expect(lines[1]).toMatch(/^fast {3}a description that is far…  0\.10$/);
    // The cut cell still closes its colour.
    expect(out).toContain('\u001b[39m');
    expect(lines[0]).toMatch(/^ALIAS {2}DESCRIPTION {17}PRICE$/);
  });

  it('never cuts the columns to keep, even when they are the widest', () => {
    const id = '37a76647-8f69-4ac7-b758-9246f30b7b06';
    const out = renderTable(['ID', 'TITLE'], [[id, 'Trip planning for the summer']], { style: noColor, maxWidth: 50, keep: [0] });
    const [, row] = out.split('\n');
    expect(row?.startsWith(`${id}  `)).toBe(true);
    expect(row).toMatch(/…$/);
    expect(row?.length).toBeLessThanOrEqual(50);
  });
});

describe('renderKeyValues', () => {
  it('aligns the values after dim keys', () => {
    const out = renderKeyValues(
      [
        ['slug', 'helper'],
        ['default model', 'gpt-4o'],
        ['notes', 'line one\nline two'],
      ],
      color,
    );
    expect(plain(out)).toEqual(['slug:          helper', 'default model: gpt-4o', 'notes:         line one', '               line two']);
    expect(out).toContain(color.dim('slug:'));
  });
});
