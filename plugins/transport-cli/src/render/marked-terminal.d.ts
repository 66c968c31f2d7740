// marked-terminal ships no types; this declares the part of its API the renderer uses.
declare module 'marked-terminal' {
  import type { MarkedExtension } from 'marked';

  type Format = (text: string) => string;

  export interface TerminalRendererOptions {
    code?: Format;
    blockquote?: Format;
    html?: Format;
    heading?: Format;
    firstHeading?: Format;
    hr?: Format;
    listitem?: Format;
    table?: Format;
    paragraph?: Format;
    strong?: Format;
    em?: Format;
    codespan?: Format;
    del?: Format;
    link?: Format;
    href?: Format;
    text?: Format;
    unescape?: boolean;
    emoji?: boolean;
    width?: number;
    showSectionPrefix?: boolean;
    reflowText?: boolean;
    tab?: number | string;
    /** Passed to cli-table3. */
    tableOptions?: {
      style?: { head?: string[]; border?: string[] };
      colWidths?: number[];
      wordWrap?: boolean;
      wrapOnWordBoundary?: boolean;
    };
  }

  /** Options for cli-highlight. */
  export interface HighlightOptions {
    ignoreIllegals?: boolean;
  }

  export function markedTerminal(
    options?: TerminalRendererOptions,
    highlightOptions?: HighlightOptions,
  ): MarkedExtension;
}
