import { stripVTControlCharacters } from 'node:util';

// ANSI-aware measuring, cutting and wrapping shared by the renderers. Widths count code
// points; East Asian wide characters are not accounted for.

// CSI sequences (colours) and OSC sequences ended by BEL or ST (hyperlinks).
// oxlint-disable-next-line no-control-regex -- matching escape sequences is the point
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/** Columns a string takes on screen: escape sequences do not count. */
export function visibleWidth(text: string): number {
  let n = 0;
  for (const _ of stripVTControlCharacters(text)) n++;
  return n;
}

/**
 * Cuts `text` to `width` columns, ending with `…` when something was cut. Every escape
 * sequence is kept, including those after the cut, so colours and links still close.
 */
export function truncate(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  const keep = Math.max(0, width - 1);
  let out = '';
  let shown = 0;
  let last = 0;
  const take = (plain: string): void => {
    for (const ch of plain) {
      if (shown < keep) out += ch;
      shown++;
    }
  };
  for (const match of text.matchAll(ESCAPES)) {
    take(text.slice(last, match.index));
    out += match[0];
    last = match.index + match[0].length;
  }
  take(text.slice(last));
  // The ellipsis goes after every kept escape sequence, so it is never coloured.
  return width > 0 ? `${out}…` : out;
}

/**
 * Greedy word wrap to `width` columns. Existing newlines are kept; a word longer than a
 * line is left whole on its own line rather than split. Returns the lines.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const hard of text.split('\n')) {
    const parts = hard.split(/( +)/);
    let line = '';
    let lineWidth = 0;
    for (let i = 0; i < parts.length; i += 2) {
      const word = parts[i] ?? '';
      const gap = i === 0 ? '' : (parts[i - 1] ?? '');
      const wordWidth = visibleWidth(word);
      if (lineWidth > 0 && lineWidth + gap.length + wordWidth > width) {
        lines.push(line);
        line = word;
        lineWidth = wordWidth;
      } else {
        line += gap + word;
        lineWidth += gap.length + wordWidth;
      }
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Shrinks column widths until their sum fits `total`, always taking from the widest column
 * that is still above its minimum. Returns the new widths (maybe still too wide).
 */
export function fitColumns(widths: readonly number[], minimums: readonly number[], total: number): number[] {
  const out = [...widths];
  let sum = out.reduce((a, b) => a + b, 0);
  while (sum > total) {
    let widest = -1;
    for (let i = 0; i < out.length; i++) {
      const w = out[i] ?? 0;
      if (w > (minimums[i] ?? 1) && (widest === -1 || w > (out[widest] ?? 0))) widest = i;
    }
    if (widest === -1) break;
    out[widest] = (out[widest] ?? 0) - 1;
    sum--;
  }
  return out;
}
