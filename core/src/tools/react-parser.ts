import { matchBrackets, parseLooseObject, readObjectAt, type LooseParse } from './json-repair.js';

/** One tool call found in ReAct text. */
export interface ReactCall {
  kind: 'call';
  name: string;
  arguments: Record<string, unknown>;
  /** Set when the arguments could not be read; the model gets it back as the tool's error. */
  argumentsError?: string;
  /** Index just past the call's text: the assistant turn is cut there. */
  end: number;
  form: 'action' | 'tool' | 'fenced';
}

/** The model's final reply (no tool call). */
export interface ReactFinal {
  kind: 'final';
  text: string;
}

export type ReactParse = ReactCall | ReactFinal;

const ACTION = /^[ \t>*_#`]*action[ \t*_`]*:[ \t*_`]*(.*)$/gim;
const ACTION_INPUT = /^[ \t>*_#`]*action[ \t_]*input[ \t*_`]*:/im;
const TOOL_LINE = /^[ \t>*_`]*(?:#+[ \t]*)?[*_`]*tool[*_`]*[ \t]*:[ \t]*[*_`]*([A-Za-z_][\w.-]*)[*_`]*/gim;
const ARGUMENTS = /^[ \t>*_`]*(?:#+[ \t]*)?[*_`]*arguments[*_`]*[ \t]*:/im;
const FENCE = /```[ \t]*(?:json)?[ \t]*\r?\n?([\s\S]*?)(?:```|$)/gi;
const FINAL_ANSWER = /final[ \t_]*answer[ \t*_]*:[ \t*_]*/gi;
const NOT_A_TOOL = /^(none|n\/a|final[ _]?answer|no[ _]?action)$/i;

/** Tidies a tool name a model wrote: backticks, quotes, bold, trailing `()` or punctuation. */
function cleanName(raw: string): string {
  return raw
    .trim()
    .replace(/^[`'"*_[]+|[`'"*_\]]+$/g, '')
    .replace(/\(.*\)$/, '')
    .replace(/[.,;:]+$/, '')
    .trim();
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i === -1 ? text.length : i;
}

function argumentsOf(parse: LooseParse): Pick<ReactCall, 'arguments' | 'argumentsError'> {
  return parse.ok ? { arguments: parse.value } : { arguments: {}, argumentsError: parse.error };
}

/** `Action: name` (name possibly on the next line), then `Action Input: {...}`. */
function parseAction(text: string, requireInput: boolean): ReactParse | undefined {
  ACTION.lastIndex = 0;
  const match = ACTION.exec(text);
  if (!match) return undefined;
  let name = cleanName(match[1] ?? '');
  let after = match.index + match[0].length;
  if (name === '') {
    const next = /\n[ \t]*([^\n]+)/.exec(text.slice(after));
    if (next && !ACTION_INPUT.test(next[1] as string)) {
      name = cleanName(next[1] as string);
      after += next.index + next[0].length;
    }
  }
  if (name === '') return undefined;
  const rest = text.slice(after);
  const input = ACTION_INPUT.exec(rest);
  if (NOT_A_TOOL.test(name)) {
    // "Action: Final Answer / Action Input: <reply>" is a final answer in disguise.
    const reply = input ? rest.slice(input.index + input[0].length).trim() : '';
    return { kind: 'final', text: unquote(reply) };
  }
  if (!input) {
    if (requireInput) return undefined;
    return { kind: 'call', name, arguments: {}, end: after, form: 'action' };
  }
  const inputStart = after + input.index + input[0].length;
  const head = /^[\s`]*(?:json)?[\s`]*/i.exec(text.slice(inputStart))?.[0] ?? '';
  if (text[inputStart + head.length] !== '{') {
    const end = lineEnd(text, inputStart + head.length);
    const raw = text.slice(inputStart, end).trim();
    if (raw === '' || /^(none|\{\}|null)$/i.test(raw)) return { kind: 'call', name, arguments: {}, end, form: 'action' };
    return { kind: 'call', name, arguments: {}, argumentsError: 'Action Input must be a JSON object such as {"query": "..."}', end, form: 'action' };
  }
  const object = readObjectAt(text, inputStart + head.length);
  if (!object) return { kind: 'call', name, arguments: {}, end: inputStart, form: 'action' };
  return { kind: 'call', name, ...argumentsOf(object.parse), end: object.end, form: 'action' };
}

/** `# Tool: name` (or `Tool:`, optionally in backticks), then `Arguments: {...}`. */
function parseToolForm(text: string): ReactParse | undefined {
  TOOL_LINE.lastIndex = 0;
  for (let match = TOOL_LINE.exec(text); match; match = TOOL_LINE.exec(text)) {
    const after = match.index + match[0].length;
    const rest = text.slice(after);
    const args = ARGUMENTS.exec(rest);
    if (!args) continue;
    const object = readObjectAt(text, after + args.index + args[0].length);
    if (!object) continue;
    return { kind: 'call', name: cleanName(match[1] as string), ...argumentsOf(object.parse), end: object.end, form: 'tool' };
  }
  return undefined;
}

/** A code fence holding `{"name": "...", "arguments": {...}}`. */
function parseFenced(text: string): ReactParse | undefined {
  FENCE.lastIndex = 0;
  for (let match = FENCE.exec(text); match; match = FENCE.exec(text)) {
    const body = match[1] ?? '';
    const start = body.indexOf('{');
    if (start === -1) continue;
    const parsed = parseLooseObject(matchBrackets(body, start).text);
    if (!parsed.ok || typeof parsed.value.name !== 'string') continue;
    const raw = parsed.value.arguments ?? parsed.value.parameters ?? {};
    const args: LooseParse = typeof raw === 'string' ? parseLooseObject(raw) : typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ok: true, value: raw as Record<string, unknown> } : { ok: false, error: 'the arguments must be a JSON object' };
    return { kind: 'call', name: cleanName(parsed.value.name), ...argumentsOf(args), end: match.index + match[0].length, form: 'fenced' };
  }
  return undefined;
}

function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'string') return value;
    } catch {
      // Not a JSON string: keep the quotes.
    }
  }
  return text;
}

/**
 * Reads one ReAct response. Accepted, in this order: `Action:` + `Action Input:`; `# Tool:` /
 * `Tool:` + `Arguments:`; a fenced `{"name", "arguments"}` block; `Final Answer:`; plain text.
 * With `actionOnly` (a native model that wrote ReAct anyway) only the first form counts, and
 * only with an `Action Input:`.
 */
export function parseReact(text: string, options: { actionOnly?: boolean } = {}): ReactParse {
  const action = parseAction(text, options.actionOnly === true);
  if (action) return action;
  if (!options.actionOnly) {
    const call = parseToolForm(text) ?? parseFenced(text);
    if (call) return call;
  }
  return { kind: 'final', text: options.actionOnly ? text : sanitizeFinal(text) };
}

const PROTOCOL_LINE = /^[ \t>*_`]*(thought|action|action[ \t_]*input|observation)[ \t*_`]*:/i;
const TOOL_BLOCK_LINE = /^[ \t>*_`]*(?:#+[ \t]*)?[*_`]*(tool|arguments)[*_`]*[ \t]*:/i;
const TOOL_XML = /<(tool_call|function_call)>[\s\S]*?(?:<\/\1>|$)/gi;

function isToolJson(body: string): boolean {
  const start = body.indexOf('{');
  if (start === -1) return false;
  const parsed = parseLooseObject(matchBrackets(body, start).text);
  return parsed.ok && typeof parsed.value.name === 'string' && ('arguments' in parsed.value || 'parameters' in parsed.value);
}

/**
 * The reply to show the user: only what follows `Final Answer:`; no Thought/Action/
 * Observation lines, alternative tool blocks, `<tool_call>` XML or tool-JSON fences.
 */
export function sanitizeFinal(text: string): string {
  let out = text;
  let last: RegExpExecArray | null = null;
  FINAL_ANSWER.lastIndex = 0;
  for (let match = FINAL_ANSWER.exec(out); match; match = FINAL_ANSWER.exec(out)) last = match;
  if (last) out = out.slice(last.index + last[0].length);
  out = out.replace(TOOL_XML, '');
  out = out.replace(/```[ \t]*(?:json)?[ \t]*\r?\n([\s\S]*?)```/gi, (block, body: string) => (isToolJson(body) ? '' : block));
  const kept: string[] = [];
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (TOOL_BLOCK_LINE.test(line)) {
      while (i + 1 < lines.length && (lines[i + 1] as string).trim() !== '') i++;
      continue;
    }
    if (!PROTOCOL_LINE.test(line)) {
      kept.push(line);
      continue;
    }
    // A JSON object that starts on a dropped line goes with it.
    const brace = line.indexOf('{');
    if (brace !== -1) {
      const rest = lines.slice(i).join('\n');
      const match = matchBrackets(rest, brace);
      i += (rest.slice(0, match.end).match(/\n/g) ?? []).length;
    }
  }
  const cleaned = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  if (cleaned !== '' || last) return cleaned;
  // Only protocol lines: the model's thought is the best answer there is.
  return text.replace(PROTOCOL_LINE, '').replace(/\n{3,}/g, '\n\n').trim();
}
