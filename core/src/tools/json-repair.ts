import JSON5 from 'json5';

/** Where a JSON object or array starting at `start` ends, found by string-aware bracket matching. */
export interface Balanced {
  /** The text from the opening bracket to its match (or to the end of the text when unclosed). */
  text: string;
  /** Index just past the closing bracket (the text's length when unclosed). */
  end: number;
  complete: boolean;
}

/**
 * Matches the bracket at `start` (a `{` or `[`) while skipping brackets inside strings
 * (double- or single-quoted, with escapes), so `{"a": "}"}` is one object.
 */
export function matchBrackets(text: string, start: number): Balanced {
  const stack: string[] = [];
  let quote = '';
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote !== '') {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{') stack.push('}');
    else if (ch === '[') stack.push(']');
    else if (ch === '}' || ch === ']') {
      if (stack.at(-1) === ch) stack.pop();
      if (stack.length === 0) return { text: text.slice(start, i + 1), end: i + 1, complete: true };
    }
  }
  return { text: text.slice(start), end: text.length, complete: false };
}

const PYTHON_LITERALS: Record<string, string> = { True: 'true', False: 'false', None: 'null' };

function dropTrailingComma(out: string): string {
  return out.replace(/,\s*$/, '');
}

/**
 * Repairs what models get wrong in JSON: closers without an opener (dropped), missing
 * closers and an unterminated string (added), trailing commas (dropped), and Python's
 * `True`/`False`/`None` outside strings.
 */
export function repairJson(source: string): string {
  let out = '';
  const stack: string[] = [];
  let quote = '';
  let escaped = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (quote !== '') {
      out += ch;
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      out += ch;
    } else if (ch === '{' || ch === '[') {
      stack.push(ch === '{' ? '}' : ']');
      out += ch;
    } else if (ch === '}' || ch === ']') {
      if (stack.at(-1) !== ch) continue;
      stack.pop();
      out = dropTrailingComma(out) + ch;
      if (stack.length === 0) break;
    } else if (/[A-Za-z]/.test(ch)) {
      const word = /^[A-Za-z_]\w*/.exec(source.slice(i))?.[0] ?? ch;
      out += PYTHON_LITERALS[word] ?? word;
      i += word.length - 1;
    } else {
      out += ch;
    }
  }
  if (quote !== '') out += quote;
  while (stack.length > 0) out = dropTrailingComma(out) + stack.pop();
  return out;
}

/** The outcome of reading a model's JSON arguments. */
export type LooseParse = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

function asObject(value: unknown): LooseParse {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
  return { ok: false, error: 'the arguments must be a JSON object' };
}

/** Parses a JSON object leniently: JSON, then JSON5, then both again after {@link repairJson}. */
export function parseLooseObject(text: string): LooseParse {
  const attempts = [text];
  const repaired = repairJson(text);
  if (repaired !== text) attempts.push(repaired);
  let firstError = '';
  for (const attempt of attempts) {
    for (const parse of [JSON.parse, JSON5.parse] as const) {
      try {
        return asObject(parse(attempt));
      } catch (error) {
        firstError ||= (error as Error).message;
      }
    }
  }
  return { ok: false, error: `the arguments are not valid JSON (${firstError})` };
}

/** Finds the first `{` at or after `from` and reads the object there leniently. */
export function readObjectAt(text: string, from: number): { parse: LooseParse; end: number } | undefined {
  const start = text.indexOf('{', from);
  if (start === -1) return undefined;
  const match = matchBrackets(text, start);
  return { parse: parseLooseObject(match.text), end: match.end };
}
