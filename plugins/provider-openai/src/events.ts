import type { FinishReason, TurnEvent, Usage } from '@llm-bawt/sdk';
import type OpenAI from 'openai';

type Chunk = OpenAI.Chat.ChatCompletionChunk;
type Completion = OpenAI.Chat.ChatCompletion;

/** Reasoning text as compatible servers send it (vLLM/DeepSeek `reasoning_content`, Ollama/llama.cpp `reasoning`). */
type WithReasoning = { reasoning_content?: unknown; reasoning?: unknown };

/** Relays a chat-completions stream, one event per upstream delta, then usage and finish. */
export async function* relayChunks(chunks: AsyncIterable<Chunk>, signal: AbortSignal): AsyncGenerator<TurnEvent> {
  let finish: FinishReason | undefined;
  let model: string | undefined;
  let usage: Usage | undefined;
  for await (const chunk of chunks) {
    if (chunk.model) model = chunk.model;
    if (chunk.usage) usage = toUsage(chunk.usage);
    const choice = chunk.choices?.[0];
    if (choice === undefined) continue;
    const delta = choice.delta;
    if (delta) {
      const reasoning = reasoningOf(delta as WithReasoning);
      if (reasoning) yield { type: 'reasoning', text: reasoning };
      if (delta.content) yield { type: 'text', text: delta.content };
      if (delta.tool_calls) {
        for (const call of delta.tool_calls) {
          const event: TurnEvent & { type: 'tool_call_delta' } = { type: 'tool_call_delta', index: call.index ?? 0 };
          if (call.id) event.id = call.id;
          if (call.function?.name) event.name = call.function.name;
          if (call.function?.arguments) event.arguments = call.function.arguments;
          yield event;
        }
      }
    }
    if (choice.finish_reason) finish = toFinishReason(choice.finish_reason);
  }
  // The SDK ends an aborted stream quietly; the turn must not look finished.
  signal.throwIfAborted();
  if (usage) yield { type: 'usage', usage };
  yield model === undefined ? { type: 'finish', reason: finish ?? 'stop' } : { type: 'finish', reason: finish ?? 'stop', model };
}

/** The whole answer of a non-streaming call as events. */
export function* completionEvents(completion: Completion): Generator<TurnEvent> {
  const choice = completion.choices?.[0];
  const message = choice?.message;
  const reasoning = message ? reasoningOf(message as WithReasoning) : undefined;
  if (reasoning) yield { type: 'reasoning', text: reasoning };
  if (message?.content) yield { type: 'text', text: message.content };
  let index = 0;
  for (const call of message?.tool_calls ?? []) {
    if (call.type !== 'function') continue;
    yield { type: 'tool_call_delta', index, id: call.id, name: call.function.name, arguments: call.function.arguments };
    index += 1;
  }
  if (completion.usage) yield { type: 'usage', usage: toUsage(completion.usage) };
  const reason = choice?.finish_reason ? toFinishReason(choice.finish_reason) : 'stop';
  yield completion.model ? { type: 'finish', reason, model: completion.model } : { type: 'finish', reason };
}

function reasoningOf(source: WithReasoning): string | undefined {
  const text = source.reasoning_content ?? source.reasoning;
  return typeof text === 'string' && text !== '' ? text : undefined;
}

function toFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/** Cache-write counts some compatible gateways add beside OpenAI's own fields. */
type PromptDetails = { cached_tokens?: number; cache_creation_tokens?: number; cache_write_tokens?: number };

export function toUsage(raw: OpenAI.CompletionUsage): Usage {
  const usage: Usage = {
    prompt_tokens: raw.prompt_tokens ?? 0,
    completion_tokens: raw.completion_tokens ?? 0,
    total_tokens: raw.total_tokens ?? (raw.prompt_tokens ?? 0) + (raw.completion_tokens ?? 0),
  };
  const prompt = raw.prompt_tokens_details as PromptDetails | undefined;
  if (typeof prompt?.cached_tokens === 'number') usage.cached_tokens = prompt.cached_tokens;
  const written = prompt?.cache_creation_tokens ?? prompt?.cache_write_tokens;
  if (typeof written === 'number') usage.cache_creation_tokens = written;
  const reasoning = raw.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') usage.reasoning_tokens = reasoning;
  return usage;
}
