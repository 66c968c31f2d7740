import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Reply } from './script.js';
import type { Fault } from './types.js';
import type { WireFormat } from './wire.js';

/** A fault that cuts the body short. */
type CutFault = Exclude<Fault, { kind: 'status' | 'delay' }>;

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
const JSON_TYPE = 'application/json';

/** What one answer needs besides the response. */
export interface Answer {
  format: WireFormat;
  reply: Reply;
  request: any;
  stream: boolean;
  fault: Fault | undefined;
  chunkDelayMs: number;
  /** Called just before the server itself destroys the socket, so it is not taken for a client abort. */
  onReset(): void;
}

/** Sends a JSON body with a known length. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers one completion request, applying its fault. */
export async function answer(res: ServerResponse, a: Answer): Promise<void> {
  const { fault } = a;
  if (fault?.kind === 'status') {
    const headers: Record<string, string> = {};
    if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
    const body = fault.body ?? a.format.errorBody(fault.status, `Scripted upstream error (status ${fault.status})`);
    sendJson(res, fault.status, body, headers);
    return;
  }
  // Timers only exist for delayed answers, and they end with the connection.
  let signal: AbortSignal | undefined;
  if (fault?.kind === 'delay' || a.chunkDelayMs > 0) {
    const controller = new AbortController();
    res.once('close', () => controller.abort());
    signal = controller.signal;
  }
  if (fault?.kind === 'delay' && !(await pause(fault.ms, signal))) return;
  if (res.destroyed) return;
  const cut: CutFault | undefined = fault?.kind === 'delay' ? undefined : fault;
  if (!a.stream) {
    sendBody(res, a, cut);
    return;
  }
  const frames = a.format.frames(a.reply, a.request);
  if (a.chunkDelayMs > 0) await streamSlowly(res, a, frames, cut, signal);
  else streamAtOnce(res, a, frames, cut);
}

function sendBody(res: ServerResponse, a: Answer, cut: CutFault | undefined): void {
  const text = JSON.stringify(a.format.body(a.reply));
  if (cut === undefined) {
    sendJson(res, 200, text);
    return;
  }
  const partial = cut.afterChunks > 0 ? text.slice(0, Math.ceil(text.length / 2)) : '';
  res.writeHead(200, { 'content-type': JSON_TYPE });
  if (cut.kind === 'malformed') {
    res.end(partial);
    return;
  }
  writeThen(res, partial, cut.kind === 'reset' ? () => destroy(res, a) : undefined);
}

function streamAtOnce(res: ServerResponse, a: Answer, frames: string[], cut: CutFault | undefined): void {
  res.writeHead(200, SSE_HEADERS);
  if (cut === undefined) {
    res.end(frames.join(''));
    return;
  }
  const sent = frames.slice(0, cut.afterChunks).join('');
  if (cut.kind === 'malformed') {
    res.end(sent + a.format.malformedFrame);
    return;
  }
  writeThen(res, sent, cut.kind === 'reset' ? () => destroy(res, a) : undefined);
}

async function streamSlowly(
  res: ServerResponse,
  a: Answer,
  frames: string[],
  cut: CutFault | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  const last = cut === undefined ? frames.length : Math.min(cut.afterChunks, frames.length);
  for (let i = 0; i < last; i++) {
    if (i > 0 && !(await pause(a.chunkDelayMs, signal))) return;
    if (res.destroyed) return;
    res.write(frames[i]);
  }
  if (cut === undefined) {
    res.end();
    return;
  }
  if (cut.afterChunks > 0 && !(await pause(a.chunkDelayMs, signal))) return;
  if (res.destroyed) return;
  if (cut.kind === 'malformed') res.end(a.format.malformedFrame);
  else if (cut.kind === 'reset') destroy(res, a);
}

/** Sends the headers and `text`, then runs `then` once the bytes are handed to the socket. */
function writeThen(res: ServerResponse, text: string, then: (() => void) | undefined): void {
  res.flushHeaders();
  if (text === '') then?.();
  else res.write(text, then);
}

/** Drops the connection mid-response; the client sees the body end without its terminator. */
function destroy(res: ServerResponse, a: Answer): void {
  a.onReset();
  res.socket?.destroy();
}

/** Sleeps; false when the connection closed meanwhile. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, signal ? { signal } : undefined);
    return true;
  } catch {
    return false;
  }
}
