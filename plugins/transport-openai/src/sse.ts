import type { ServerResponse } from 'node:http';
import type { H3Event } from 'h3';
import { CONNECTED, KEEPALIVE } from './chat/frames.js';
import { clockOf, OVERHEAD_HEADER, overheadMs } from './http.js';

/** A committed server-sent-events response. */
export interface EventStream {
  /** Writes frames; false when the socket's buffer is full (await {@link drained} before more). */
  write(frames: string): boolean;
  /** Writes the last frames and ends the response. */
  end(frames: string): void;
  /** Stops the keepalive; ending does it too. */
  stop(): void;
}

/** Resolves once the response takes writes again, or is gone. */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Sends the 200 and the SSE headers (no proxy buffering), then `: connected`; a `: keepalive`
 * comment follows every `keepaliveMs` of silence so proxies keep the connection open.
 */
export function openEventStream(event: H3Event, keepaliveMs: number, headers: Record<string, string> = {}): EventStream {
  const res = event.node.res;
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    [OVERHEAD_HEADER]: overheadMs(clockOf(event)),
  });
  res.write(CONNECTED);
  let lastWrite = performance.now();
  let keepalive: NodeJS.Timeout | undefined;
  const tick = () => {
    if (res.destroyed) return;
    const idle = performance.now() - lastWrite;
    if (idle >= keepaliveMs) {
      res.write(KEEPALIVE);
      lastWrite = performance.now();
      keepalive = setTimeout(tick, keepaliveMs);
    } else {
      keepalive = setTimeout(tick, keepaliveMs - idle);
    }
  };
  keepalive = setTimeout(tick, keepaliveMs);
  const stop = () => clearTimeout(keepalive);
  return {
    write(frames) {
      lastWrite = performance.now();
      return res.write(frames);
    },
    end(frames) {
      stop();
      res.end(frames);
    },
    stop,
  };
}
