import type { IncomingMessage, ServerResponse } from 'node:http';
import type { H3Event } from 'h3';

/** Per-request clock for `x-llm-bawt-overhead-ms`: time awaiting the turn is subtracted. */
export interface RequestClock {
  readonly start: number;
  /** Milliseconds spent awaiting the turn's events (the upstream's share). */
  waited: number;
}

const CLOCK = Symbol.for('llm-bawt:transport-openai.clock');
type TimedRequest = IncomingMessage & { [CLOCK]?: RequestClock };

/** Stamps the request's arrival, before h3 sees it. */
export function startClock(req: IncomingMessage): void {
  (req as TimedRequest)[CLOCK] = { start: performance.now(), waited: 0 };
}

export function clockOf(event: H3Event): RequestClock {
  const req = event.node.req as TimedRequest;
  return (req[CLOCK] ??= { start: performance.now(), waited: 0 });
}

export const OVERHEAD_HEADER = 'x-llm-bawt-overhead-ms';

export function overheadMs(clock: RequestClock): string {
  return Math.max(0, performance.now() - clock.start - clock.waited).toFixed(3);
}

/** Writes a whole JSON response, with the overhead header. */
export function sendJson(event: H3Event, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const res: ServerResponse = event.node.res;
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    [OVERHEAD_HEADER]: overheadMs(clockOf(event)),
  });
  res.end(payload);
}
