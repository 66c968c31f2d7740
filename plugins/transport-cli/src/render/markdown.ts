import {
  type BlockKind,
  closesFence,
  codeText,
  type Fence,
  isBlank,
  isTableRow,
  openingFence,
  renderLine,
  SPACED,
} from './markdown-lines.js';
import { createTerminalMarked, HIGHLIGHT_CONTEXT, type TerminalMarked } from './terminal-marked.js';

/** Streams a model's markdown reply to the terminal. */
export interface MarkdownStream {
  /** Takes the next delta of the reply; returns terminal text to write now (maybe ''). */
  push(text: string): string;
  /** Returns what is left. The stream can then take a new reply, as if fresh. */
  end(): string;
}

/**
 * With `color` off the text passes through untouched, so piped output is the model's own
 * text. With it on, markdown is rendered line by line: each complete line is written as soon
 * as its newline arrives; a table is held until its last row; a fenced code block is written
 * line by line as it comes, each line highlighted with the lines before it as context, so a
 * long block never leaves the screen still. Every rendered line ends with `\n`, and runs of
 * blank lines become one.
 */
export function createMarkdownStream(options: { color: boolean; width: number }): MarkdownStream {
  if (!options.color) return { push: (text) => text, end: () => '' };
  const renderer = createLineRenderer(createTerminalMarked(options.width), options.width);
  let partial = '';
  return {
    push(text) {
      if (!text.includes('\n')) {
        partial += text;
        return '';
      }
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      let out = '';
      for (const line of lines) out += renderer.line(line);
      return out;
    },
    end() {
      const last = partial;
      partial = '';
      return (last === '' ? '' : renderer.line(last)) + renderer.end();
    },
  };
}

interface LineRenderer {
  line(line: string): string;
  end(): string;
}

function createLineRenderer(marked: TerminalMarked, width: number): LineRenderer {
  /** The kind of the last block written; undefined before the first. */
  let last: BlockKind | undefined;
  /** The source had a blank line since the last block. */
  let blank = false;
  let fence: { spec: Fence; lines: string[] } | undefined;
  let table: string[] = [];

  /** Starts a block of `kind`: a blank line first when the source had one or the kinds call for it. */
  const start = (kind: BlockKind): string => {
    const gap = last !== undefined && (blank || SPACED.has(kind) || SPACED.has(last));
    last = kind;
    blank = false;
    return gap ? '\n' : '';
  };

  const flushTable = (): string => {
    if (table.length === 0) return '';
    const rendered = marked.table(table);
    table = [];
    return start(rendered.table ? 'table' : 'text') + rendered.lines.map((l) => `${l}\n`).join('');
  };

  const codeLine = (line: string, open: { spec: Fence; lines: string[] }): string => {
    if (closesFence(line, open.spec)) {
      fence = undefined;
      return '';
    }
    open.lines.push(codeText(line, open.spec));
    // The highlighter only ever looks back this far; older lines are dropped.
    if (open.lines.length > HIGHLIGHT_CONTEXT) open.lines.shift();
    return `${marked.codeLine(open.lines, open.spec.lang)}\n`;
  };

  const line = (raw: string): string => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (fence) return codeLine(text, fence);
    if (table.length > 0 && isTableRow(text)) {
      table.push(text);
      return '';
    }
    const before = flushTable();
    if (isBlank(text)) {
      if (last !== undefined) blank = true;
      return before;
    }
    const spec = openingFence(text);
    if (spec) {
      fence = { spec, lines: [] };
      return before + start('code');
    }
    if (isTableRow(text)) {
      table.push(text);
      return before;
    }
    const block = renderLine(text, { marked, width, afterList: last === 'list' });
    return before + start(block.kind) + block.lines.map((l) => `${l}\n`).join('');
  };

  return {
    line,
    end() {
      const out = flushTable();
      last = undefined;
      blank = false;
      fence = undefined;
      return out;
    },
  };
}
