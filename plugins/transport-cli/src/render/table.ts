import type { Style } from './style.js';
import { fitColumns, truncate, visibleWidth } from './text.js';

const GAP = '  ';

const cell = (row: readonly string[], i: number): string => (row[i] ?? '').replaceAll('\n', ' ');

/**
 * A plain column table: cells padded by visible width (escape sequences do not count),
 * headers bold when colour is on, two spaces between columns, no trailing spaces. When the
 * table is wider than `maxWidth` the widest column is cut with `…` (then the next widest,
 * and so on); the columns in `keep` (ids, slugs: what a user types back) are never cut.
 * Lines are joined with `\n`, without a final newline.
 */
export function renderTable(headers: string[], rows: string[][], options: { style: Style; maxWidth?: number | undefined; keep?: readonly number[] }): string {
  const columns = Math.max(headers.length, ...rows.map((row) => row.length));
  const all = [headers, ...rows];
  const natural = Array.from({ length: columns }, (_, i) => Math.max(0, ...all.map((row) => visibleWidth(cell(row, i)))));
  const widths =
    options.maxWidth === undefined
      ? natural
      : fitColumns(natural, natural.map((width, i) => (options.keep?.includes(i) ? width : 1)), options.maxWidth - GAP.length * (columns - 1));

  const line = (row: readonly string[], format: (s: string) => string): string => {
    const cells = widths.map((width, i) => {
      const text = truncate(cell(row, i), width);
      return { text: format(text), pad: width - visibleWidth(text) };
    });
    // Trailing empty cells would only add padding, and padding is never left at the end.
    while (cells.length > 0 && visibleWidth(cells.at(-1)?.text ?? '') === 0) cells.pop();
    return cells.map((c, i) => (i === cells.length - 1 ? c.text : c.text + ' '.repeat(c.pad))).join(GAP);
  };

  const bold = (s: string): string => (s === '' ? s : options.style.bold(s));
  return [line(headers, bold), ...rows.map((row) => line(row, (s) => s))].join('\n');
}

/** `key: value` lines with the values aligned and the keys dim; lines joined with `\n`. */
export function renderKeyValues(pairs: Array<[string, string]>, style: Style): string {
  const column = Math.max(0, ...pairs.map(([key]) => visibleWidth(key))) + 2;
  return pairs
    .map(([key, value]) => {
      const label = style.dim(`${key}:`);
      if (value === '') return label;
      const [first = '', ...rest] = value.split('\n');
      const more = rest.map((l) => (l === '' ? '' : ' '.repeat(column) + l));
      return [label + ' '.repeat(column - visibleWidth(key) - 1) + first, ...more].join('\n');
    })
    .join('\n');
}
