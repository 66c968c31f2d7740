import type { FinishReason, ToolCall, TurnEvent, TurnStream, Usage } from '@llm-bawt/sdk';
import type { H3Event } from 'h3';
import { apiError } from '../errors.js';
import { clockOf, sendJson } from '../http.js';
import { openaiUsage } from './frames.js';
import type { InflightRequest } from './inflight.js';

export interface CompleteOptions {
  id: string;
  created: number;
  model: string;
}

/** Runs a turn to its end and answers one `chat.completion` object. */
export async function completeTurn(event: H3Event, turn: TurnStream, inflight: InflightRequest, options: CompleteOptions): Promise<void> {
  const clock = clockOf(event);
  const iterator = turn.events[Symbol.asyncIterator]();
  let content = '';
  let reasoning: string | undefined;
  let toolCalls: ToolCall[] | undefined;
  let usage: Usage | undefined;
  let finish: FinishReason | undefined;
  let warnings: string[] | undefined;
  let done = false;
  try {
    for (;;) {
      const waitStart = performance.now();
      let result: IteratorResult<TurnEvent>;
      try {
        result = await iterator.next();
      } finally {
        clock.waited += performance.now() - waitStart;
      }
      if (result.done) break;
      const ev = result.value;
      switch (ev.type) {
        case 'text':
          content += ev.text;
          break;
        case 'reasoning':
          reasoning = (reasoning ?? '') + ev.text;
          break;
        case 'tool_call_delta': {
          const call = ((toolCalls ??= [])[ev.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
          if (ev.id) call.id = ev.id;
          if (ev.name) call.function.name += ev.name;
          if (ev.arguments) call.function.arguments += ev.arguments;
          break;
        }
        case 'usage':
          usage = ev.usage;
          break;
        case 'finish':
          finish = ev.reason;
          break;
        case 'warning':
          (warnings ??= []).push(ev.message);
          break;
        default:
          break;
      }
    }
    done = true;
    if (inflight.stopReason !== undefined) throw apiError('LLMB_ERR_ABORTED', 'the turn was stopped');
  } catch (caught) {
    if (inflight.stopReason === 'shutdown') throw apiError('LLMB_ERR_NOT_READY', 'llm-bawt is shutting down; retry the request.');
    throw caught;
  } finally {
    if (!done) void iterator.return?.()?.catch(() => undefined);
  }

  const calls = toolCalls?.filter((call) => call !== undefined);
  const hasCalls = calls !== undefined && calls.length > 0;
  const message: Record<string, unknown> = { role: 'assistant', content: content === '' && hasCalls ? null : content, refusal: null };
  if (reasoning !== undefined) message.reasoning_content = reasoning;
  if (hasCalls) message.tool_calls = calls;
  const body: Record<string, unknown> = {
    id: options.id,
    object: 'chat.completion',
    created: options.created,
    model: options.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish ?? (hasCalls ? 'tool_calls' : 'stop') }],
  };
  if (usage !== undefined) body.usage = openaiUsage(usage);
  if (warnings !== undefined) body.warnings = warnings;
  sendJson(event, 200, body, { 'x-llm-bawt-turn-id': turn.requestId });
}
