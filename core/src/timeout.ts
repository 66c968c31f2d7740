import { createError, type ErrorOrigin } from '@llm-bawt/sdk';

/** True for promises from any realm (jiti- or vm-loaded code may hand back foreign ones). */
export function isThenable<T>(value: unknown): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Settles with `work`, or rejects when `ms` pass (LLMB_ERR_HOOK_TIMEOUT) or `signal` aborts
 * (LLMB_ERR_ABORTED), whichever comes first. A synchronous value passes straight through.
 */
export function settle<T>(work: T | PromiseLike<T>, ms: number, signal: AbortSignal | undefined, origin: ErrorOrigin, what: string): Promise<T> | T {
  if (!isThenable<T>(work)) return work;
  if (signal?.aborted) return Promise.reject(createError('LLMB_ERR_ABORTED', `${what}: the turn was aborted`, origin));
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(createError('LLMB_ERR_HOOK_TIMEOUT', `${what} did not settle within ${ms} ms`, origin));
    }, ms);
    const onAbort = () => {
      cleanup();
      reject(createError('LLMB_ERR_ABORTED', `${what}: the turn was aborted`, origin));
    };
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}
