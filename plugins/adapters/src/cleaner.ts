/** How an adapter cleans a model's text. */
export interface CleanerSpec {
  /**
   * The reply is cut at the first of these: the model ran on into a turn that is not its
   * own. A marker that starts with `\n` also counts at the very start of the reply.
   */
  cutAt: readonly string[];
  /** Holds an unclosed `[` (a BBCode tag being written) back until it closes or grows past this many characters. */
  holdBracket?: number;
  /** Rewrites released text (e.g. drops BBCode tags); it only ever sees whole tags. */
  rewrite?: (text: string) => string;
  /** Collapses three or more newlines into two, across chunk boundaries too. */
  collapseNewlines?: boolean;
}

interface CleanerState {
  held: string;
  done: boolean;
  atStart: boolean;
  /** Newlines at the end of what was released so far. */
  newlines: number;
}

/** A streaming cleaner: `cleanChunk` per chunk, `flush` at the end, `cleanReply` for a whole text. */
export interface Cleaner {
  cleanChunk(text: string, state: Map<string, unknown>): string;
  flush(state: Map<string, unknown>): string;
  cleanReply(text: string): string;
}

const KEY = 'llm-bawt:adapter-cleaner';

function stateOf(map: Map<string, unknown>): CleanerState {
  let state = map.get(KEY) as CleanerState | undefined;
  if (!state) map.set(KEY, (state = { held: '', done: false, atStart: true, newlines: 0 }));
  return state;
}

/**
 * Builds a cleaner that carries its state across chunks: text that may be the start of a
 * marker (`[HUM` of `[HUMAN]`, `<|im_` of `<|im_end|>`) is held until the next chunk shows
 * what it is, so a marker split over two chunks is still caught. Cheap per chunk: one
 * `indexOf` per marker and a scan of the last few characters.
 */
export function createCleaner(spec: CleanerSpec): Cleaner {
  const markers = spec.cutAt;
  const longest = Math.max(0, ...markers.map((m) => m.length));
  const firstChars = new Set(markers.map((m) => m[0]));
  if (spec.holdBracket !== undefined) firstChars.add('[');
  const interesting = new RegExp(`[${[...firstChars].map((c) => `\\${c}`).join('')}]`);

  /** Index of the earliest complete marker in `text`, or -1. */
  const firstMarker = (text: string, atStart: boolean): number => {
    let cut = -1;
    for (const marker of markers) {
      let i = text.indexOf(marker);
      if (atStart && marker.startsWith('\n') && text.startsWith(marker.slice(1))) i = 0;
      if (i !== -1 && (cut === -1 || i < cut)) cut = i;
    }
    return cut;
  };

  /** Length of the longest tail of `text` that could still grow into a marker. */
  const partialTail = (text: string, atStart: boolean): number => {
    const from = Math.max(0, text.length - longest + 1);
    for (let i = from; i < text.length; i++) {
      if (!firstChars.has(text[i])) continue;
      const tail = text.slice(i);
      if (markers.some((m) => m.length > tail.length && m.startsWith(tail))) return text.length - i;
    }
    // At the very start a `\n`-marker may begin without its newline ("Obs" of "\nObservation:").
    if (atStart && text.length < longest && markers.some((m) => m.startsWith('\n') && m.length - 1 > text.length && m.slice(1).startsWith(text))) return text.length;
    return 0;
  };

  const release = (text: string, state: CleanerState): string => {
    if (text === '') return '';
    let out = spec.rewrite ? spec.rewrite(text) : text;
    if (spec.collapseNewlines) {
      const leading = /^\n*/.exec(out)?.[0].length ?? 0;
      const allowed = Math.max(0, 2 - state.newlines);
      if (leading > allowed) out = out.slice(leading - allowed);
      out = out.replace(/\n{3,}/g, '\n\n');
      const trailing = /\n*$/.exec(out)?.[0].length ?? 0;
      state.newlines = trailing === out.length ? state.newlines + trailing : trailing;
    }
    if (out !== '') state.atStart = false;
    return out;
  };

  const cleanChunk = (text: string, map: Map<string, unknown>): string => {
    const state = stateOf(map);
    if (state.done) return '';
    // Fast path: nothing held and no character that could start a marker or tag.
    if (state.held === '' && !state.atStart && !interesting.test(text)) return release(text, state);
    const buffer = state.held + text;
    const cut = firstMarker(buffer, state.atStart);
    if (cut !== -1) {
      state.done = true;
      state.held = '';
      return release(buffer.slice(0, cut), state);
    }
    let hold = partialTail(buffer, state.atStart);
    if (spec.holdBracket !== undefined) {
      const open = buffer.lastIndexOf('[');
      if (open !== -1 && buffer.indexOf(']', open) === -1 && buffer.length - open <= spec.holdBracket) hold = Math.max(hold, buffer.length - open);
    }
    state.held = buffer.slice(buffer.length - hold);
    return release(buffer.slice(0, buffer.length - hold), state);
  };

  const flush = (map: Map<string, unknown>): string => {
    const state = stateOf(map);
    const held = state.held;
    state.held = '';
    return state.done ? '' : release(held, state);
  };

  return {
    cleanChunk,
    flush,
    cleanReply(text) {
      const map = new Map<string, unknown>();
      return (cleanChunk(text, map) + flush(map)).trim();
    },
  };
}

/** End-of-turn tokens local servers sometimes leak into the text; the turn is over at the first. */
export const SPECIAL_TOKENS: readonly string[] = ['<|im_end|>', '<|im_start|>', '<|eot_id|>', '<|endoftext|>', '<|end|>', '<|start_header_id|>'];
