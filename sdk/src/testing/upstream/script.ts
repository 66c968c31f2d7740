import type { Fault, ScriptStep, ScriptUsage } from './types.js';

/** A tool call ready to render: arguments are always a JSON string. */
export interface ReplyToolCall {
  id: string | undefined;
  name: string;
  arguments: string;
}

/** A script step resolved against the default step and the request, ready for a wire format. */
export interface Reply {
  /** Unique per server, used to derive response and tool call ids. */
  seq: number;
  created: number;
  model: string;
  /** Stream chunks; null when the reply has no text part. */
  text: string[] | null;
  reasoning: string[] | null;
  toolCalls: ReplyToolCall[];
  usage: ScriptUsage;
  finishReason: 'stop' | 'length' | 'tool_calls';
}

const DEFAULT_STEP: ScriptStep = { text: 'ok', usage: { prompt_tokens: 5, completion_tokens: 1 } };
const FALLBACK_USAGE: ScriptUsage = { prompt_tokens: 5, completion_tokens: 1 };

/** The queue of scripted steps plus the default step. */
export class Script {
  #queue: ScriptStep[] = [];
  #default: ScriptStep = DEFAULT_STEP;
  #seq = 0;

  push(steps: ScriptStep[]): void {
    this.#queue.push(...steps);
  }

  setDefault(step: ScriptStep): void {
    this.#default = step;
  }

  get defaultModel(): string | undefined {
    return this.#default.model;
  }

  reset(): void {
    this.#queue = [];
    this.#default = DEFAULT_STEP;
  }

  /** Takes the next step and resolves it; the fault is returned apart from the reply. */
  next(requestedModel: unknown): { reply: Reply; fault: Fault | undefined; chunkDelayMs: number } {
    const step = this.#queue.shift() ?? this.#default;
    const fallback = this.#default;
    const content = hasContent(step) ? step : fallback;
    const toolCalls = (content.toolCalls ?? []).map((call) => ({
      id: call.id,
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    }));
    const reply: Reply = {
      seq: ++this.#seq,
      created: Math.floor(Date.now() / 1000),
      model: step.model ?? fallback.model ?? (typeof requestedModel === 'string' ? requestedModel : 'scripted-model'),
      text: chunksOf(content.text, toolCalls.length > 0 || content.reasoning !== undefined),
      reasoning: chunksOf(content.reasoning, true),
      toolCalls,
      usage: step.usage ?? fallback.usage ?? FALLBACK_USAGE,
      finishReason: content.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    };
    return { reply, fault: step.fault, chunkDelayMs: step.chunkDelayMs ?? fallback.chunkDelayMs ?? 0 };
  }
}

function hasContent(step: ScriptStep): boolean {
  return step.text !== undefined || step.reasoning !== undefined || (step.toolCalls?.length ?? 0) > 0;
}

function chunksOf(value: string | string[] | undefined, optional: boolean): string[] | null {
  if (value === undefined) return optional ? null : [];
  return typeof value === 'string' ? splitWords(value) : value;
}

/** Splits text on word boundaries into at most `parts` chunks; '' gives no chunks. */
export function splitWords(text: string, parts = 4): string[] {
  if (text === '') return [];
  const words = text.split(/(?<=\s)/);
  if (words.length <= parts) return words;
  const size = Math.ceil(words.length / parts);
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += size) chunks.push(words.slice(i, i + size).join(''));
  return chunks;
}

/** Splits tool arguments into at least two pieces (when there are two characters to split). */
export function splitArguments(args: string): string[] {
  if (args.length < 2) return [args];
  const pieces = args.length < 24 ? 2 : 3;
  const size = Math.ceil(args.length / pieces);
  const chunks: string[] = [];
  for (let i = 0; i < args.length; i += size) chunks.push(args.slice(i, i + size));
  return chunks;
}

/** Joins stream chunks back into the whole text. */
export function joined(chunks: string[] | null): string {
  return chunks === null ? '' : chunks.join('');
}
