import type { FinishReason, TurnEvent, Usage } from '@llm-bawt/sdk';
import type Anthropic from '@anthropic-ai/sdk';
import { protocolError, type UpstreamLabel } from './upstream-error.js';

type UsageCounts = {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
};

/**
 * Relays a Messages API stream, one event per upstream delta. Tool calls are numbered in
 * the order they start, whatever their content-block index.
 */
export async function* relayEvents(
  events: AsyncIterable<Anthropic.RawMessageStreamEvent>,
  signal: AbortSignal,
  label: UpstreamLabel,
): AsyncGenerator<TurnEvent> {
  let model: string | undefined;
  let counts: UsageCounts = {};
  let stopReason: string | null = null;
  let stopped = false;
  // Content-block index -> tool-call index, and whether that call sent any argument text.
  const toolIndex = new Map<number, number>();
  const argued: boolean[] = [];
  for await (const event of events) {
    switch (event.type) {
      case 'message_start':
        model = event.message.model;
        counts = { ...event.message.usage };
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'tool_use') {
          const index = argued.length;
          toolIndex.set(event.index, index);
          argued.push(false);
          yield { type: 'tool_call_delta', index, id: block.id, name: block.name };
        } else if (block.type === 'text' && block.text) yield { type: 'text', text: block.text };
        else if (block.type === 'thinking' && block.thinking) yield { type: 'reasoning', text: block.thinking };
        break;
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta') yield { type: 'text', text: delta.text };
        else if (delta.type === 'thinking_delta') yield { type: 'reasoning', text: delta.thinking };
        else if (delta.type === 'input_json_delta' && delta.partial_json) {
          const index = toolIndex.get(event.index);
          if (index === undefined) break;
          argued[index] = true;
          yield { type: 'tool_call_delta', index, arguments: delta.partial_json };
        }
        break;
      }
      case 'content_block_stop': {
        const index = toolIndex.get(event.index);
        // A call without arguments still needs valid JSON once reassembled.
        if (index !== undefined && !argued[index]) yield { type: 'tool_call_delta', index, arguments: '{}' };
        break;
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        counts = mergeCounts(counts, event.usage);
        break;
      case 'message_stop':
        stopped = true;
        break;
    }
  }
  // The SDK ends an aborted stream quietly; the turn must not look finished.
  signal.throwIfAborted();
  if (!stopped) throw protocolError('stream ended before message_stop', label);
  yield { type: 'usage', usage: toUsage(counts) };
  yield finishEvent(stopReason, model);
}

/** The whole answer of a non-streaming call as events. */
export function* messageEvents(message: Anthropic.Message): Generator<TurnEvent> {
  for (const block of message.content) {
    if (block.type === 'thinking' && block.thinking) yield { type: 'reasoning', text: block.thinking };
  }
  for (const block of message.content) {
    if (block.type === 'text' && block.text) yield { type: 'text', text: block.text };
  }
  let index = 0;
  for (const block of message.content) {
    if (block.type !== 'tool_use') continue;
    yield { type: 'tool_call_delta', index, id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) };
    index += 1;
  }
  yield { type: 'usage', usage: toUsage(message.usage) };
  yield finishEvent(message.stop_reason, message.model);
}

function finishEvent(reason: string | null, model: string | undefined): TurnEvent {
  const finish = toFinishReason(reason);
  return model ? { type: 'finish', reason: finish, model } : { type: 'finish', reason: finish };
}

function toFinishReason(reason: string | null): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/** `message_delta` usage is cumulative; a null field keeps what `message_start` said. */
function mergeCounts(base: UsageCounts, update: UsageCounts): UsageCounts {
  return {
    input_tokens: update.input_tokens ?? base.input_tokens,
    output_tokens: update.output_tokens ?? base.output_tokens,
    cache_read_input_tokens: update.cache_read_input_tokens ?? base.cache_read_input_tokens,
    cache_creation_input_tokens: update.cache_creation_input_tokens ?? base.cache_creation_input_tokens,
    output_tokens_details: update.output_tokens_details ?? base.output_tokens_details,
  };
}

/** Anthropic counts cache reads and writes apart from `input_tokens`; OpenAI's prompt_tokens includes them. */
export function toUsage(counts: UsageCounts): Usage {
  const cached = counts.cache_read_input_tokens ?? 0;
  const created = counts.cache_creation_input_tokens ?? 0;
  const prompt = (counts.input_tokens ?? 0) + cached + created;
  const completion = counts.output_tokens ?? 0;
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    cached_tokens: cached,
    cache_creation_tokens: created,
  };
  const thinking = counts.output_tokens_details?.thinking_tokens;
  if (typeof thinking === 'number') usage.reasoning_tokens = thinking;
  return usage;
}
