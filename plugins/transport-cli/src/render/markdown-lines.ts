import pc from 'picocolors';
import type { TerminalMarked } from './terminal-marked.js';
import { wrap } from './text.js';

// One markdown source line at a time: what it is, and how it looks on screen. Code fences
// and tables span lines, so the stream (markdown.ts) keeps their state; these helpers only
// recognise them.

const c = pc.createColors(true);

export type BlockKind = 'text' | 'list' | 'quote' | 'heading' | 'hr' | 'code' | 'table';

/** Kinds set apart from whatever is next to them by a blank line, even when the source has none. */
export const SPACED: ReadonlySet<BlockKind> = new Set<BlockKind>(['heading', 'hr', 'code', 'table']);

const HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const HR = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$/;
const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const INDENTED = /^([ \t]+)(\S.*)$/;
const FENCE = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
const CLOSING_FENCE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;
const TABLE_ROW = /^ {0,3}\|/;
/** Lists are set in by this much; their continuation lines too. */
const LIST_INDENT = '  ';

export interface Fence {
  readonly marker: string;
  readonly indent: number;
  readonly lang: string | undefined;
}

export const isBlank = (line: string): boolean => line.trim() === '';
export const isTableRow = (line: string): boolean => TABLE_ROW.test(line);

/** The fence this line opens, if it opens one. Fences may be indented (inside list items). */
export function openingFence(line: string): Fence | undefined {
  const match = FENCE.exec(line);
  if (!match) return undefined;
  const [, indent = '', marker = '', info = ''] = match;
  if (marker.startsWith('`') && info.includes('`')) return undefined;
  return { marker, indent: indent.length, lang: info.trim().split(/\s+/)[0] || undefined };
}

export function closesFence(line: string, fence: Fence): boolean {
  const marker = CLOSING_FENCE.exec(line)?.[1];
  return marker !== undefined && marker[0] === fence.marker[0] && marker.length >= fence.marker.length;
}

/** A code line without the indentation its fence had. */
export function codeText(line: string, fence: Fence): string {
  let cut = 0;
  while (cut < fence.indent && (line[cut] === ' ' || line[cut] === '\t')) cut++;
  return line.slice(cut);
}

export interface LineContext {
  readonly marked: TerminalMarked;
  readonly width: number;
  /** The previous block was a list item, so an indented line continues it. */
  readonly afterList: boolean;
}

/** Renders a line that is not blank, not in a code block and not a table row. */
export function renderLine(line: string, context: LineContext): { kind: BlockKind; lines: string[] } {
  const { marked, width } = context;
  if (HEADING.test(line)) return { kind: 'heading', lines: wrap(marked.heading(line.trim()), width) };
  if (HR.test(line)) return { kind: 'hr', lines: [c.dim('─'.repeat(width))] };

  const quote = QUOTE.exec(line);
  if (quote) {
    const inner = renderLine(quote[1] ?? '', { marked, width: width - 2, afterList: false });
    return { kind: 'quote', lines: inner.lines.map((l) => (l === '' ? c.dim('│') : `${c.dim('│')} ${c.italic(l)}`)) };
  }

  const item = LIST_ITEM.exec(line);
  if (item) {
    const [, space = '', marker = '', content = ''] = item;
    const bullet = /\d/.test(marker) ? marker : '•';
    const lead = LIST_INDENT + expandTabs(space);
    const first = `${lead}${bullet} `;
    return { kind: 'list', lines: hang(marked.inline(content), first, ' '.repeat(first.length), width) };
  }

  const indented = INDENTED.exec(line);
  if (indented) {
    const [, space = '', content = ''] = indented;
    const lead = (context.afterList ? LIST_INDENT : '') + expandTabs(space);
    return { kind: context.afterList ? 'list' : 'text', lines: hang(marked.inline(content), lead, lead, width) };
  }

  return { kind: 'text', lines: hang(marked.inline(line), '', '', width) };
}

/** Wraps `text` into what is left of `width` after the indent: `first` before line one, `rest` before the others. */
function hang(text: string, first: string, rest: string, width: number): string[] {
  const room = Math.max(20, width - first.length);
  return wrap(text, room).map((l, i) => `${i === 0 ? first : rest}${l}`.replace(/[ \t]+$/, ''));
}

const expandTabs = (space: string): string => space.replaceAll('\t', '    ');
