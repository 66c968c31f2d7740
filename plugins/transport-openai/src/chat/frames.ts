import type { FinishReason, TurnEvent, Usage } from '@llm-bawt/sdk';
import type { ApiError } from '../errors.js';

type ToolCallDelta = Extract<TurnEvent, { type: 'tool_call_delta' }>;
type ToolStart = Extract<TurnEvent, { type: 'tool_start' }>;
type ToolEnd = Extract<TurnEvent, { type: 'tool_end' }>;

const ROLE = '"role":"assistant",';
const OPEN_END = '},"finish_reason":null}]}\n\n';
const TOOL_RESULT_PREVIEW = 2000;

/** OpenAI's usage object from ours. */
export function openaiUsage(usage: Usage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens,
  };
  if (usage.cached_tokens !== undefined) out.prompt_tokens_details = { cached_tokens: usage.cached_tokens };
  if (usage.reasoning_tokens !== undefined) out.completion_tokens_details = { reasoning_tokens: usage.reasoning_tokens };
  return out;
}

/** One tool-call delta in OpenAI's shape; `type` rides along with the call's id or name. */
export function toolCallDelta(event: ToolCallDelta): Record<string, unknown> {
  const fn: Record<string, string> = {};
  if (event.name !== undefined) fn.name = event.name;
  if (event.arguments !== undefined) fn.arguments = event.arguments;
  const out: Record<string, unknown> = { index: event.index };
  if (event.id !== undefined) out.id = event.id;
  if (event.id !== undefined || event.name !== undefined) out.type = 'function';
  out.function = fn;
  return out;
}

/**
 * Builds the SSE frames of one response. The constant head of a chunk (id, created, model)
 * is serialised once; each event then costs one JSON.stringify of its own payload.
 */
export class ChunkFrames {
  readonly #head: string;
  readonly #meta: string;
  readonly #usageHead: string;
  #roleSent = false;

  constructor(id: string, created: number, model: string) {
    const idJson = JSON.stringify(id);
    const modelJson = JSON.stringify(model);
    this.#head = `data: {"id":${idJson},"object":"chat.completion.chunk","created":${created},"model":${modelJson},"choices":[{"index":0,"delta":{`;
    this.#meta = `"id":${idJson},"created":${created},"model":${modelJson}`;
    this.#usageHead = `data: {"id":${idJson},"object":"chat.completion.chunk","created":${created},"model":${modelJson},"choices":[],"usage":`;
  }

  #delta(field: string): string {
    if (this.#roleSent) return this.#head + field;
    this.#roleSent = true;
    return this.#head + ROLE + field;
  }

  content(text: string): string {
    return this.#delta('"content":') + JSON.stringify(text) + OPEN_END;
  }

  reasoning(text: string): string {
    return this.#delta('"reasoning_content":') + JSON.stringify(text) + OPEN_END;
  }

  toolCall(event: ToolCallDelta): string {
    return this.#delta('"tool_calls":[') + JSON.stringify(toolCallDelta(event)) + ']' + OPEN_END;
  }

  finish(reason: FinishReason): string {
    const head = this.#roleSent ? this.#head : this.#head + ROLE.slice(0, -1);
    this.#roleSent = true;
    return `${head}},"finish_reason":${JSON.stringify(reason)}}]}\n\n`;
  }

  usage(usage: Usage): string {
    return `${this.#usageHead}${JSON.stringify(openaiUsage(usage))}}\n\n`;
  }

  /** Extension frames carry `choices: []`, so code reading `chunk.choices[0]?.delta` skips them. */
  #extension(object: string, fields: Record<string, unknown>): string {
    const rest = JSON.stringify(fields).slice(1);
    return `data: {"object":${JSON.stringify(object)},${this.#meta},"choices":[]${rest === '}' ? '}' : `,${rest}`}\n\n`;
  }

  warning(message: string, code: string | undefined): string {
    return this.#extension('service.warning', code === undefined ? { warnings: [message] } : { warnings: [message], code });
  }

  toolStart(event: ToolStart): string {
    return this.#extension('service.tool_event', { event: 'tool_start', tool_call_id: event.id, name: event.name, arguments: event.arguments });
  }

  toolEnd(event: ToolEnd): string {
    const result = event.result.length > TOOL_RESULT_PREVIEW ? `${event.result.slice(0, TOOL_RESULT_PREVIEW)}…` : event.result;
    return this.#extension('service.tool_event', {
      event: 'tool_end',
      tool_call_id: event.id,
      name: event.name,
      result,
      is_error: event.error !== undefined,
      ...(event.error !== undefined ? { error: event.error } : {}),
      duration_ms: Math.round(event.durationMs),
    });
  }
}

export const CONNECTED = ': connected\n\n';
export const KEEPALIVE = ': keepalive\n\n';
export const DONE = 'data: [DONE]\n\n';

/** The in-band error frame after a 200 was sent; OpenAI clients raise it as an APIError. */
export function errorFrame(error: ApiError): string {
  return `data: ${JSON.stringify({ error: { message: error.message, type: error.type, code: error.code, param: error.param } })}\n\n`;
}
