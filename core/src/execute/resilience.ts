import { DelegateBackoff, handleWhen, retry, type IRetryBackoffContext } from 'cockatiel';
import { createError, isLlmbError, type LlmbError, type TurnEvent } from '@llm-bawt/sdk';

/** Limits of one upstream call; runtime settings of the same names override them. */
export interface ResilienceOptions {
  /** Retries after the first attempt (429, 5xx, resets, first-token timeouts). */
  maxRetries: number;
  /** First backoff delay in ms; doubles each attempt, with full jitter, up to maxBackoffMs. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Whole-request deadline in ms, retries included. */
  deadlineMs: number;
  /** Time allowed until the first event of an attempt. */
  firstTokenTimeoutMs: number;
  /** Time allowed between two events once streaming. */
  idleTimeoutMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  maxRetries: 2,
  baseBackoffMs: 250,
  maxBackoffMs: 8_000,
  deadlineMs: 600_000,
  firstTokenTimeoutMs: 60_000,
  idleTimeoutMs: 60_000,
};

/** 429, 5xx, connection failures and first-token timeouts are worth another try; 4xx are not. */
export function isRetryable(error: unknown): boolean {
  if (!isLlmbError(error)) return false;
  if (error.code === 'LLMB_ERR_RATE_LIMITED' || error.code === 'LLMB_ERR_UPSTREAM_TIMEOUT') return true;
  if (error.code !== 'LLMB_ERR_UPSTREAM') return false;
  const status = error.origin.upstreamStatus;
  return status === undefined || status >= 500 || status === 408 || status === 409 || status === 429;
}

/** An open upstream stream: its iterator, first result, abort handle and listener cleanup. */
export type Attempt = {
  iterator: AsyncIterator<TurnEvent>;
  first: IteratorResult<TurnEvent>;
  controller: AbortController;
  detach: () => void;
};

/** Awaits `next()` of an iterator, aborting the attempt when `ms` pass first. */
export function nextWithin(iterator: AsyncIterator<TurnEvent>, ms: number, controller: AbortController, what: string): Promise<IteratorResult<TurnEvent>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = createError('LLMB_ERR_UPSTREAM_TIMEOUT', `${what}: no data from the upstream for ${ms} ms`);
      controller.abort(error);
      reject(error);
    }, ms);
    iterator.next().then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Opens an upstream stream with retries: each attempt must yield its first event within the
 * first-token timeout; retryable failures back off with jitter and honour Retry-After, all
 * inside the deadline. Returns the live iterator and its first result.
 */
export async function openWithRetries(
  open: (signal: AbortSignal) => AsyncIterable<TurnEvent>,
  options: ResilienceOptions,
  signal: AbortSignal,
  what: string,
  onRetry?: (error: LlmbError, delayMs: number) => void,
): Promise<Attempt> {
  const deadline = Date.now() + options.deadlineMs;
  const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>>((context) => {
    const error = 'error' in context.result ? context.result.error : undefined;
    const exp = Math.min(options.maxBackoffMs, options.baseBackoffMs * 2 ** (context.attempt - 1));
    const jittered = Math.round(exp / 2 + Math.random() * (exp / 2));
    const asked = isLlmbError(error) ? (error.origin.retryAfterMs ?? 0) : 0;
    const delay = Math.min(Math.max(jittered, asked), Math.max(0, deadline - Date.now()));
    if (isLlmbError(error)) onRetry?.(error, delay);
    return delay;
  });
  // A retry whose Retry-After would overrun the deadline is not attempted.
  const worthRetry = (error: Error) =>
    isRetryable(error) && !signal.aborted && Date.now() + ((error as LlmbError).origin.retryAfterMs ?? 0) < deadline;
  const policy = retry(handleWhen(worthRetry), { maxAttempts: options.maxRetries, backoff });
  return policy.execute(async () => {
    if (Date.now() >= deadline) throw createError('LLMB_ERR_UPSTREAM_TIMEOUT', `${what}: the request deadline passed`);
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const iterator = open(controller.signal)[Symbol.asyncIterator]();
    const remaining = Math.max(1, Math.min(options.firstTokenTimeoutMs, deadline - Date.now()));
    try {
      const first = await nextWithin(iterator, remaining, controller, what);
      return { iterator, first, controller, detach: () => signal.removeEventListener('abort', onAbort) };
    } catch (error) {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) throw createError('LLMB_ERR_ABORTED', `${what}: the client went away`, {}, error);
      throw error;
    }
  }, signal);
}
