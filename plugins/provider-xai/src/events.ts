import type { FinishReason, TurnEvent, Usage } from '@llm-bawt/sdk';
import type OpenAI from 'openai';
import { protocolError, type UpstreamLabel } from './upstream-error.js';

type Response = OpenAI.Responses.Response;
type StreamEvent = OpenAI.Responses.ResponseStreamEvent;

/**
 * Relays a Responses API stream, one event per upstream delta. Function calls are numbered
 * in the order they appear, whatever their output index.
 */
export async function* relayEvents(
  events: AsyncIterable<StreamEvent>,
  signal: AbortSignal,
  label: UpstreamLabel,
): AsyncGenerator<TurnEvent> {
  let model: string | undefined;
  let final: Response | undefined;
  // Output index -> tool-call index, and whether that call sent any argument text.
  const toolIndex = new Map<number, number>();
  const argued: boolean[] = [];
  for await (const event of events) {
    switch (event.type) {
      case 'response.created':
        model = event.response.model;
        break;
      case 'response.output_text.delta':
        if (event.delta) yield { type: 'text', text: event.delta };
        break;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        if (event.delta) yield { type: 'reasoning', text: event.delta };
        break;
      case 'response.output_item.added': {
        const item = event.item;
        if (item.type !== 'function_call') break;
        const index = argued.length;
        toolIndex.set(event.output_index, index);
        argued.push(false);
        // Arguments follow as deltas, or with the finished item.
        yield { type: 'tool_call_delta', index, id: item.call_id, name: item.name };
        break;
      }
      case 'response.function_call_arguments.delta': {
        const index = toolIndex.get(event.output_index);
        if (index === undefined || !event.delta) break;
        argued[index] = true;
        yield { type: 'tool_call_delta', index, arguments: event.delta };
        break;
      }
      case 'response.output_item.done': {
        // Some servers send a call's arguments only with the finished item.
        const item = event.item;
        if (item.type !== 'function_call') break;
        let index = toolIndex.get(event.output_index);
        if (index === undefined) {
          index = argued.length;
          toolIndex.set(event.output_index, index);
          argued.push(false);
          yield { type: 'tool_call_delta', index, id: item.call_id, name: item.name };
        }
        if (!argued[index]) {
          argued[index] = true;
          yield { type: 'tool_call_delta', index, arguments: item.arguments || '{}' };
        }
        break;
      }
      case 'response.completed':
      case 'response.incomplete':
        final = event.response;
        break;
      case 'response.failed':
        throw protocolError(`response failed: ${event.response.error?.message ?? 'no reason given'}`, label);
      case 'error':
        throw protocolError(`error in stream: ${event.message}`, label);
    }
  }
  // The SDK ends an aborted stream quietly; the turn must not look finished.
  signal.throwIfAborted();
  if (final === undefined) throw protocolError('stream ended before response.completed', label);
  if (final.usage) yield { type: 'usage', usage: toUsage(final.usage) };
  yield finishEvent(final, argued.length > 0, final.model || model);
}

/** The whole answer of a non-streaming call as events. */
export function* responseEvents(response: Response): Generator<TurnEvent> {
  for (const item of response.output) {
    if (item.type !== 'reasoning') continue;
    for (const part of item.content ?? []) if (part.text) yield { type: 'reasoning', text: part.text };
    if (!item.content?.length) for (const part of item.summary) if (part.text) yield { type: 'reasoning', text: part.text };
  }
  for (const item of response.output) {
    if (item.type !== 'message') continue;
    for (const part of item.content) if (part.type === 'output_text' && part.text) yield { type: 'text', text: part.text };
  }
  let index = 0;
  for (const item of response.output) {
    if (item.type !== 'function_call') continue;
    yield { type: 'tool_call_delta', index, id: item.call_id, name: item.name, arguments: item.arguments || '{}' };
    index += 1;
  }
  if (response.usage) yield { type: 'usage', usage: toUsage(response.usage) };
  yield finishEvent(response, index > 0, response.model);
}

function finishEvent(response: Response, calledTools: boolean, model: string | undefined): TurnEvent {
  const reason = toFinishReason(response, calledTools);
  return model ? { type: 'finish', reason, model } : { type: 'finish', reason };
}

function toFinishReason(response: Response, calledTools: boolean): FinishReason {
  if (response.status === 'incomplete') {
    return response.incomplete_details?.reason === 'content_filter' ? 'content_filter' : 'length';
  }
  return calledTools ? 'tool_calls' : 'stop';
}

export function toUsage(raw: OpenAI.Responses.ResponseUsage): Usage {
  const usage: Usage = {
    prompt_tokens: raw.input_tokens ?? 0,
    completion_tokens: raw.output_tokens ?? 0,
    total_tokens: raw.total_tokens ?? (raw.input_tokens ?? 0) + (raw.output_tokens ?? 0),
  };
  const cached = raw.input_tokens_details?.cached_tokens;
  if (typeof cached === 'number') usage.cached_tokens = cached;
  const reasoning = raw.output_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') usage.reasoning_tokens = reasoning;
  return usage;
}
