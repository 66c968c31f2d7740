// The types written for marked-terminal, which has none; a reference (not an import, the file is
// ambient) brings them into every program that compiles this file, the tests' included.
// oxlint-disable-next-line typescript/triple-slash-reference
/// <reference path="./marked-terminal.d.ts" />
import { stripVTControlCharacters } from 'node:util';
import { Marked, type MarkedExtension, type Token, type Tokens } from 'marked';
import { markedTerminal, type TerminalRendererOptions } from 'marked-terminal';
import pc from 'picocolors';
import { fitColumns, visibleWidth, wrap } from './text.js';

// marked + marked-terminal, wrapped into the few renderings the streaming renderer needs.
// Colours come from picocolors so they follow the caller's choice, not chalk's own detection;
// only syntax highlighting (cli-highlight, inside marked-terminal) still needs chalk to be on.

const c = pc.createColors(true);
const same = (s: string): string => s;

const STYLES: TerminalRendererOptions = {
  code: c.yellow,
  blockquote: (s) => c.gray(c.italic(s)),
  html: c.gray,
  heading: (s) => c.green(c.bold(s)),
  firstHeading: (s) => c.magenta(c.underline(c.bold(s))),
  hr: same,
  listitem: same,
  table: same,
  paragraph: same,
  strong: c.bold,
  em: c.italic,
  codespan: c.yellow,
  del: (s) => c.dim(c.strikethrough(s)),
  link: c.blue,
  href: (s) => c.blue(c.underline(s)),
  text: same,
};

/**
 * Languages highlight.js (through cli-highlight) knows. Others are not handed to it: it
 * would print "Could not find the language" to the console, and auto-detection guesses
 * differently from one line to the next while a block streams in.
 */
const LANGUAGES = new Set(
  (
    'js javascript mjs cjs ts typescript jsx tsx py python bash sh shell zsh console json yaml yml html xml svg ' +
    'css scss less sql go golang rust rs java c h cpp c++ hpp cs csharp rb ruby php swift kotlin kt diff patch ' +
    'dockerfile docker makefile make markdown md ini toml lua perl pl r scala haskell hs elixir erlang powershell ' +
    'ps1 nginx protobuf vim objectivec objc dart julia matlab ocaml fsharp clojure lisp scheme elm latex tex nix ' +
    'cmake groovy gradle awk apache http'
  ).split(' '),
);
/** Lines of a code block given to the highlighter with the current one, so strings and comments that span lines keep their colour. */
export const HIGHLIGHT_CONTEXT = 20;

/** Header cells become bold: cli-table3's own header colours ignore the caller's colour choice. */
const boldHeader: MarkedExtension = {
  walkTokens(token) {
    if (token.type !== 'table') return;
    for (const cell of (token as Tokens.Table).header) {
      cell.tokens = [{ type: 'strong', raw: cell.text, text: cell.text, tokens: cell.tokens }];
    }
  },
};

function createMarked(width: number, table: TerminalRendererOptions['tableOptions'] = {}): Marked {
  const extension = markedTerminal(
    {
      ...STYLES,
      width,
      emoji: false,
      showSectionPrefix: false,
      reflowText: false,
      tableOptions: { style: { head: [], border: [] }, ...table },
    },
    { ignoreIllegals: true },
  );
  return new Marked(extension, boldHeader);
}

/** marked-terminal ends each block with a blank line; the stream does its own spacing. */
const trimBlock = (s: string): string => s.replace(/\n+$/, '');
const parse = (m: Marked, src: string): string => trimBlock(m.parse(src, { async: false }));

export interface TerminalMarked {
  /** Inline markdown of one line (bold, italic, code, links); may contain `\n` for hard breaks. */
  inline(text: string): string;
  /** An ATX heading line, styled, without its `#` marks. */
  heading(line: string): string;
  /** The last line of `context` (the code block's lines so far), highlighted and indented. */
  codeLine(context: readonly string[], lang: string | undefined): string;
  /** Rows starting with `|`, as a table; `table` is false when they were no table after all (then they are a paragraph). */
  table(lines: readonly string[]): { table: boolean; lines: string[] };
}

export function createTerminalMarked(width: number): TerminalMarked {
  const marked = createMarked(width);

  const inline = (text: string): string => {
    const tokens = marked.Lexer.lexInline(text, marked.defaults);
    // Rendered as a paragraph so marked-terminal's own clean-up of inline output applies.
    const paragraph: Tokens.Paragraph = { type: 'paragraph', raw: text, text, tokens };
    return trimBlock(marked.parser([paragraph]));
  };

  const codeLine = (context: readonly string[], lang: string | undefined): string => {
    const known = lang !== undefined && LANGUAGES.has(lang.toLowerCase());
    const window = context.slice(-HIGHLIGHT_CONTEXT);
    const code: Tokens.Code = { type: 'code', raw: '', lang: known ? lang : 'plaintext', text: window.join('\n') };
    const lines = trimBlock(marked.parser([code])).split('\n');
    const line = lines.length === window.length ? (lines.at(-1) ?? '') : `    ${stripVTControlCharacters(window.at(-1) ?? '')}`;
    if (line.trim() === '') return '';
    return known ? line : c.yellow(line);
  };

  const table = (lines: readonly string[]): { table: boolean; lines: string[] } => {
    const src = lines.join('\n');
    const token = marked.lexer(src).find((t: Token): t is Tokens.Table => t.type === 'table');
    if (!token) return { table: false, lines: wrap(parse(marked, src), width) };
    return { table: true, lines: parse(fittingMarked(token) ?? marked, src).split('\n') };
  };

  /**
   * A table wider than the screen gets column widths for cli-table3 to wrap in: the widest
   * columns give way first, none narrower than its longest word, so no text is cut.
   */
  const fittingMarked = (token: Tokens.Table): Marked | undefined => {
    const rows = [token.header, ...token.rows];
    const columns = token.header.length;
    const natural: number[] = [];
    const words: number[] = [];
    for (let i = 0; i < columns; i++) {
      const texts = rows.map((row) => inline(row[i]?.text ?? ''));
      // cli-table3 pads each cell with a space either side.
      natural.push(2 + Math.max(0, ...texts.map(visibleWidth)));
      words.push(2 + Math.max(0, ...texts.flatMap((t) => t.split(/\s+/)).map(visibleWidth)));
    }
    const borders = columns + 1;
    if (natural.reduce((a, b) => a + b, 0) + borders <= width) return undefined;
    const colWidths = fitColumns(natural, words, width - borders);
    return createMarked(width, { colWidths, wordWrap: true });
  };

  return { inline, heading: (line) => parse(marked, line), codeLine, table };
}
