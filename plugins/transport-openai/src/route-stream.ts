import type { Logger, RouteProgress } from '@llm-bawt/sdk';
import type { H3Event } from 'h3';
import { DONE, errorFrame } from './chat/frames.js';
import { toApiError } from './errors.js';
import { openEventStream, type EventStream } from './sse.js';

/** Least time between two progress frames; the updates in between collapse into the latest. */
export const PROGRESS_INTERVAL_MS = 100;

/** What a route answers: its status and JSON body (none for 204). */
export interface RouteAnswer {
  status: number;
  body: unknown;
}

/** True when the client asked for server-sent events. */
export function wantsEventStream(accept: string | undefined): boolean {
  return accept !== undefined && accept.toLowerCase().includes('text/event-stream');
}

// JSON.stringify leaves out the fields that are undefined.
const progressFrame = (update: RouteProgress) =>
  `data: ${JSON.stringify({ object: 'progress', done: update.done, total: update.total, message: update.message })}\n\n`;

const resultFrame = (answer: RouteAnswer) => `data: ${JSON.stringify({ object: 'result', status: answer.status, body: answer.body ?? null })}\n\n`;

export interface RouteStreamOptions {
  keepaliveMs: number;
  logger: Logger;
}

/**
 * Answers a plugin route as server-sent events: `progress` frames as the handler reports,
 * then one `result` frame with the status and body it would have answered as JSON, then
 * `[DONE]`. Like chat streams, headers wait for the first progress update (or `keepaliveMs`
 * of silence), so a handler that fails before reporting anything still gets its real status
 * and a JSON error; a failure after the 200 is one in-band error frame, without `[DONE]`.
 * Progress frames go out at most every {@link PROGRESS_INTERVAL_MS}; the latest update
 * before the result is always sent.
 */
export async function streamRoute(event: H3Event, run: (progress: (update: RouteProgress) => void) => Promise<RouteAnswer>, options: RouteStreamOptions): Promise<void> {
  const res = event.node.res;
  let sse: EventStream | undefined;
  let finished = false;
  let pending: RouteProgress | undefined;
  let lastSent = Number.NEGATIVE_INFINITY;
  let flushTimer: NodeJS.Timeout | undefined;

  const commit = (): EventStream | undefined => {
    if (sse === undefined && !res.destroyed) sse = openEventStream(event, options.keepaliveMs);
    return sse;
  };
  const flush = () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (pending === undefined || sse === undefined || res.destroyed) return;
    sse.write(progressFrame(pending));
    pending = undefined;
    lastSent = performance.now();
  };
  const progress = (update: RouteProgress) => {
    if (finished || res.destroyed) return;
    // A copy: the handler may reuse its object for the next update.
    pending = { done: update.done, total: update.total, message: update.message };
    if (commit() === undefined) return;
    const wait = lastSent + PROGRESS_INTERVAL_MS - performance.now();
    if (wait <= 0) flush();
    else flushTimer ??= setTimeout(flush, wait);
  };
  const silent = setTimeout(commit, options.keepaliveMs);

  try {
    const answer = await run(progress);
    finished = true;
    const stream = commit();
    if (stream === undefined) return;
    flush();
    stream.end(resultFrame(answer) + DONE);
  } catch (caught) {
    finished = true;
    if (sse === undefined) throw caught;
    if (res.destroyed) return;
    const { error, unexpected } = toApiError(caught);
    if (unexpected) {
      const detail = caught as Error | undefined;
      options.logger.error(`${event.method} ${event.path} failed mid-stream: ${detail?.message ?? String(caught)}`, { code: error.code, stack: detail?.stack });
    }
    flush();
    sse.end(errorFrame(error));
  } finally {
    finished = true;
    clearTimeout(silent);
    clearTimeout(flushTimer);
    sse?.stop();
  }
}
