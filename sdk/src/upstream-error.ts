import { createError, isLlmbError, type LlmbError } from './errors.js';

/** Who made the upstream call, for error messages; `secret` is scrubbed from them. @public */
export interface UpstreamLabel {
  provider: string;
  alias: string;
  secret?: string;
}

/** The error classes of an official provider SDK (openai, @anthropic-ai/sdk share the shape). @public */
export interface SdkErrorClasses {
  APIError: abstract new (...args: never[]) => { status?: number | undefined; headers?: Headers | undefined; error?: unknown; message: string };
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
  APIUserAbortError: abstract new (...args: never[]) => Error;
}

/**
 * Turns anything an upstream SDK call threw into a coded error naming provider and alias, with
 * `upstreamStatus` and `retryAfterMs` for the host's retry policy. Providers never retry.
 * @public
 */
export function toUpstreamError(error: unknown, label: UpstreamLabel, signal: AbortSignal, sdk: SdkErrorClasses): LlmbError {
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = sdk;
  if (isLlmbError(error)) return error;
  const say = (text: string) => scrub(`${label.provider} (alias ${label.alias}): ${text}`, label.secret);
  if (signal.aborted || error instanceof APIUserAbortError) {
    // The host may abort with a coded reason (e.g. its own timeout); keep it.
    if (isLlmbError(signal.reason)) return signal.reason;
    return createError('LLMB_ERR_ABORTED', say('request aborted'), {}, error);
  }
  if (error instanceof APIConnectionTimeoutError) {
    return createError('LLMB_ERR_UPSTREAM_TIMEOUT', say('timed out waiting for a response'), {}, error);
  }
  if (error instanceof APIConnectionError) {
    return createError('LLMB_ERR_UPSTREAM', say(`connection failed: ${describe(error)}`), {}, error);
  }
  if (error instanceof APIError) {
    const retry = retryAfterMs(error.headers);
    if (error.status === undefined) {
      // An error event inside an otherwise successful stream.
      return createError('LLMB_ERR_UPSTREAM', say(`error in stream: ${apiMessage(error)}`), retryOrigin(retry), error);
    }
    const origin = { upstreamStatus: error.status, ...retryOrigin(retry) };
    const text = say(`${error.status} ${apiMessage(error)}`);
    return createError(error.status === 429 ? 'LLMB_ERR_RATE_LIMITED' : 'LLMB_ERR_UPSTREAM', text, origin, error);
  }
  if (error instanceof SyntaxError) {
    return createError('LLMB_ERR_UPSTREAM', say(`unparseable data from upstream (${error.message})`), {}, error);
  }
  return createError('LLMB_ERR_UPSTREAM', say(`connection lost: ${describe(error)}`), {}, error);
}

/** A coded error for a stream that broke its own protocol (e.g. ended without a final event). @public */
export function protocolError(text: string, label: UpstreamLabel): LlmbError {
  return createError('LLMB_ERR_UPSTREAM', `${label.provider} (alias ${label.alias}): ${text}`);
}

/** Milliseconds from `retry-after-ms`, or `retry-after` as seconds or an HTTP date. @public */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function retryOrigin(retry: number | undefined): { retryAfterMs?: number } {
  return retry === undefined ? {} : { retryAfterMs: retry };
}

/** The upstream's own error text: `error.message` from the body, else the SDK's message. */
function apiMessage(error: { error?: unknown; message: string }): string {
  const body = error.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const text = body?.error?.message ?? body?.message;
  if (typeof text === 'string' && text !== '') return text;
  return error.message.replace(/^\d{3}\s+/, '');
}

/** Message plus the cause chain (fetch reports resets as `terminated` caused by a socket error). */
function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth += 1) {
    const message = current instanceof Error ? current.message : String(current);
    const code = (current as { code?: unknown }).code;
    const part = typeof code === 'string' && !message.includes(code) ? `${message} [${code}]` : message;
    if (part && !parts.includes(part)) parts.push(part);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ') || 'unknown error';
}

function scrub(text: string, secret: string | undefined): string {
  return secret && secret.length >= 8 ? text.split(secret).join('***') : text;
}
