/**
 * Streams a model's text while watching line starts for tool-protocol markers, so protocol
 * text never reaches the client:
 * - `react`: `Thought:`/`Observation:`/`Action Input:` lines are dropped, `Final Answer:` is
 *   cut off its line, and from an `Action:`/`Tool:` line or a bare/json code fence on, the rest
 *   is captured for the parser instead of streamed;
 * - `native`: only an `Action:` line (a native model writing ReAct anyway) starts a capture.
 * A line is held only while it could still become a marker (a few characters), so prose
 * streams with next to no delay.
 */
export type GateMode = 'react' | 'native';

type LineClass = 'wait' | 'prose' | 'capture' | 'drop' | 'thought' | 'final';

const REACT_MARKERS: ReadonlyArray<readonly [string, LineClass]> = [
  ['thought:', 'thought'],
  ['action input:', 'drop'],
  ['action:', 'capture'],
  ['observation:', 'drop'],
  ['final answer:', 'final'],
  ['tool:', 'capture'],
];
const NATIVE_MARKERS: ReadonlyArray<readonly [string, LineClass]> = [['action:', 'capture']];
const FINAL_MARKER = /final[ \t_]*answer[ \t*_]*:[ \t*_]*/i;
/** Longest undecided line held before it is let through as prose. */
const MAX_HELD = 48;

function normalize(line: string): string {
  return line.slice(0, MAX_HELD).toLowerCase().replace(/[*`]/g, '').replace(/_/g, ' ').replace(/^[\s>#]+/, '').replace(/\s+:/, ':');
}

/** What a finished gate leaves for the tool loop. */
export interface GateResult {
  /** Text still to send to the client. */
  out: string;
  /** Everything the model wrote this round. */
  raw: string;
  /** Text held from the first protocol line on; undefined when none appeared. */
  captured?: string;
  /** Where `captured` starts in `raw`. */
  captureStart: number;
  /** True once a `Final Answer:` was seen (later protocol lines are then dropped, not run). */
  sawFinal: boolean;
}

/** One round of model text through the marker watch. */
export class ReactGate {
  #raw = '';
  #line = '';
  #lineState: 'undecided' | 'pass' | 'drop' | 'thought' = 'undecided';
  #final = false;
  #finalStarted = false;
  #captureStart = -1;
  /** Inside a code block the model wrote as prose: no markers there. */
  #inCode = false;
  readonly #markers: ReadonlyArray<readonly [string, LineClass]>;
  readonly #fences: boolean;

  constructor(mode: GateMode) {
    this.#markers = mode === 'react' ? REACT_MARKERS : NATIVE_MARKERS;
    this.#fences = mode === 'react';
  }

  get capturing(): boolean {
    return this.#captureStart !== -1;
  }

  /** Feeds a chunk; returns the text that may go to the client now. */
  push(chunk: string): string {
    const base = this.#raw.length;
    this.#raw += chunk;
    if (this.capturing) return '';
    let out = '';
    let from = 0;
    while (from <= chunk.length && !this.capturing) {
      const newline = chunk.indexOf('\n', from);
      const piece = chunk.slice(from, newline === -1 ? chunk.length : newline);
      out += this.#piece(piece, base + from, newline !== -1);
      if (newline === -1) break;
      from = newline + 1;
    }
    return out;
  }

  /** Ends the round: releases a held line and reports what was captured. */
  end(): GateResult {
    let out = '';
    if (!this.capturing && this.#lineState === 'undecided' && this.#line !== '') out = this.#decide(this.#raw.length - this.#line.length, true);
    if (!this.capturing && this.#lineState === 'thought') out += this.#finishThought(false);
    const result: GateResult = { out, raw: this.#raw, captureStart: this.capturing ? this.#captureStart : this.#raw.length, sawFinal: this.#final };
    if (this.capturing) result.captured = this.#raw.slice(this.#captureStart);
    return result;
  }

  /** One piece of a line (up to a newline or the chunk's end). */
  #piece(piece: string, offset: number, endsLine: boolean): string {
    let out = '';
    switch (this.#lineState) {
      case 'pass':
        out = this.#emit(piece);
        break;
      case 'drop':
        break;
      case 'thought':
        this.#line += piece;
        break;
      case 'undecided':
        this.#line += piece;
        out = this.#decide(offset + piece.length - this.#line.length, endsLine);
        break;
    }
    if (this.capturing || !endsLine) return out;
    if (this.#lineState === 'thought') out += this.#finishThought(true);
    else if (this.#lineState === 'pass') out += this.#emit('\n');
    this.#line = '';
    this.#lineState = 'undecided';
    return out;
  }

  /** Classifies the held line once it is long enough (or complete) to tell. */
  #decide(lineStart: number, complete: boolean): string {
    const kind = this.#classify(this.#line, complete);
    switch (kind) {
      case 'wait':
        return '';
      case 'prose':
        this.#lineState = 'pass';
        if (this.#line.trimStart().startsWith('```')) this.#inCode = !this.#inCode;
        return this.#emit(this.#line);
      case 'drop':
        this.#lineState = 'drop';
        return '';
      case 'thought':
        this.#lineState = 'thought';
        return '';
      case 'final': {
        this.#final = true;
        this.#lineState = 'pass';
        const marker = FINAL_MARKER.exec(this.#line);
        return this.#emit(marker ? this.#line.slice(marker.index + marker[0].length) : '');
      }
      case 'capture':
        this.#captureStart = lineStart;
        this.#line = '';
        return '';
    }
  }

  #classify(line: string, complete: boolean): LineClass {
    const trimmed = line.trimStart();
    if (trimmed === '') return complete ? 'prose' : 'wait';
    if (this.#inCode) return !complete && '```'.startsWith(trimmed) ? 'wait' : 'prose';
    if (this.#fences && !this.#final && trimmed.startsWith('```')) {
      const label = trimmed.slice(3).trim().toLowerCase();
      if (label === '' || label === 'json') return complete ? 'capture' : 'wait';
      return 'json'.startsWith(label) && !complete ? 'wait' : 'prose';
    }
    const norm = normalize(line);
    let waiting = false;
    for (const [marker, kind] of this.#markers) {
      if (norm.startsWith(marker)) {
        // After a final answer, protocol lines are leftovers to drop, never calls to run.
        if (this.#final && kind !== 'final') return kind === 'thought' ? 'drop' : kind === 'capture' ? 'drop' : kind;
        return kind;
      }
      if (!complete && marker.startsWith(norm)) waiting = true;
    }
    return waiting && line.length < MAX_HELD ? 'wait' : 'prose';
  }

  /** A Thought line is dropped unless it carries the final answer itself. */
  #finishThought(endsLine: boolean): string {
    const marker = FINAL_MARKER.exec(this.#line);
    if (!marker) return '';
    this.#final = true;
    const answer = this.#emit(this.#line.slice(marker.index + marker[0].length));
    return endsLine ? answer + this.#emit('\n') : answer;
  }

  /** Text after a final answer starts at its first non-blank character. */
  #emit(text: string): string {
    if (!this.#final || this.#finalStarted) return text;
    const trimmed = text.trimStart();
    if (trimmed !== '') this.#finalStarted = true;
    return trimmed;
  }
}
