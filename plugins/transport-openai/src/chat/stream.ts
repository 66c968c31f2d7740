import type { Logger, TurnEvent, TurnStream, Usage, FinishReason } from '@llm-bawt/sdk';
import type { H3Event } from 'h3';
import { apiError, toApiError } from '../errors.js';
import { clockOf } from '../http.js';
import { drained, openEventStream, type EventStream } from '../sse.js';
import { ChunkFrames, DONE, errorFrame } from './frames.js';
import type { InflightRequest } from './inflight.js';

export interface StreamOptions {
  id: string;
  created: number;
  model: string;
  includeUsage: boolean;
  keepaliveMs: number;
  logger: Logger;
}

const LATE = Symbol('late');

/** Resolves with `promise`, or with LATE after `ms` (the promise keeps running). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(resolve, ms, LATE);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Streams a turn as `chat.completion.chunk` SSE frames. Headers wait for the turn's first
 * event, so a turn that fails before any output gets its real status and an error body
 * instead of a 200; a first event slower than `keepaliveMs` commits the stream anyway
 * (`: connected`, then keepalives) so proxies do not time it out. A failure after the 200
 * becomes an in-band error frame and the stream ends without `[DONE]`.
 */
export async function streamTurn(event: H3Event, turn: TurnStream, inflight: InflightRequest, options: StreamOptions): Promise<void> {
  const res = event.node.res;
  const clock = clockOf(event);
  const iterator = turn.events[Symbol.asyncIterator]();
  let done = false;
  let sse: EventStream | undefined;

  try {
    const waitStart = performance.now();
    const pending = iterator.next();
    let first: IteratorResult<TurnEvent> | typeof LATE;
    try {
      first = await within(pending, options.keepaliveMs);
    } finally {
      clock.waited += performance.now() - waitStart;
    }
    if (!res.destroyed) sse = openEventStream(event, options.keepaliveMs, { 'x-llm-bawt-turn-id': turn.requestId });
    if (first === LATE) first = await pending;

    const frames = new ChunkFrames(options.id, options.created, options.model);
    let finish: FinishReason | undefined;
    let usage: Usage | undefined;
    let sawToolCalls = false;
    let result: IteratorResult<TurnEvent> = first;
    while (!result.done) {
      if (sse === undefined || res.destroyed) break;
      const ev = result.value;
      let frame: string | undefined;
      switch (ev.type) {
        case 'text':
          frame = frames.content(ev.text);
          break;
        case 'reasoning':
          frame = frames.reasoning(ev.text);
          break;
        case 'tool_call_delta':
          sawToolCalls = true;
          frame = frames.toolCall(ev);
          break;
        case 'tool_start':
          frame = frames.toolStart(ev);
          break;
        case 'tool_end':
          frame = frames.toolEnd(ev);
          break;
        case 'warning':
          frame = frames.warning(ev.message, ev.code);
          break;
        case 'usage':
          usage = ev.usage;
          break;
        case 'finish':
          // A tool loop may finish several rounds; only the turn's last reason reaches the client.
          finish = ev.reason;
          break;
      }
      if (frame !== undefined && !sse.write(frame)) await drained(res);
      result = await iterator.next();
    }
    done = result.done === true;
    if (!done || sse === undefined || res.destroyed) return;
    // A turn that stopped because we aborted it is cut short: no finish, no [DONE].
    if (inflight.stopReason !== undefined) throw apiError('LLMB_ERR_ABORTED', 'the turn was stopped');
    let tail = frames.finish(finish ?? (sawToolCalls ? 'tool_calls' : 'stop'));
    if (options.includeUsage && usage !== undefined) tail += frames.usage(usage);
    sse.end(tail + DONE);
  } catch (caught) {
    if (inflight.stopReason === 'client' || res.destroyed) return;
    const failure = inflight.stopReason === 'shutdown' ? apiError('LLMB_ERR_NOT_READY', 'llm-bawt is shutting down; retry the request.') : caught;
    if (sse === undefined) throw failure;
    const { error, unexpected } = toApiError(failure);
    if (unexpected) options.logger.error(`turn ${turn.requestId} failed mid-stream: ${(failure as Error).message}`, { code: error.code });
    else options.logger.warn(`turn ${turn.requestId} failed mid-stream: ${error.message}`, { code: error.code });
    sse.end(errorFrame(error));
  } finally {
    sse?.stop();
    if (!done) void iterator.return?.()?.catch(() => undefined);
  }
}
