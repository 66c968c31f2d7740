import type { ModelSpec } from './config-types.js';
import type { Logger } from './logger.js';
import type { createNodeFetch } from './node-fetch.js';

type LogFn = (message: string, ...rest: unknown[]) => void;

/** The logger an official provider SDK takes (openai and @anthropic-ai/sdk share the shape). @public */
export interface SdkLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** Constructor options for an official provider SDK client; the caller adds `baseURL`. @public */
export interface SdkClientOptions {
  fetch: typeof fetch;
  apiKey: string;
  maxRetries: number;
  timeout: number;
  logLevel: 'warn';
  logger: SdkLogger;
}

const DEFAULT_TIMEOUT_MS = 600_000;

/**
 * The options every provider gives its official SDK client (openai, @anthropic-ai/sdk): the
 * provider's keep-alive `fetch`, no SDK retries (the host owns retries), the alias's
 * `timeout_ms` or ten minutes, and the SDK's own warnings routed to the host logger. An explicit
 * timeout also stops the Anthropic SDK refusing a large non-streaming `max_tokens` up front.
 * @public
 */
export function sdkClientOptions(
  model: ModelSpec,
  { apiKey, fetch, logger }: { apiKey: string; fetch: ReturnType<typeof createNodeFetch>; logger: Logger },
): SdkClientOptions {
  const timeout = model.options?.['timeout_ms'];
  return {
    fetch: fetch as unknown as typeof globalThis.fetch,
    apiKey,
    maxRetries: 0,
    timeout: typeof timeout === 'number' && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS,
    logLevel: 'warn',
    logger: sdkLogger(logger),
  };
}

/** Routes an SDK's log calls (e.g. an unparseable chunk) to the host logger. */
function sdkLogger(logger: Logger): SdkLogger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error'): LogFn =>
    (message, ...rest) =>
      logger[level](message, rest.length > 0 ? { detail: rest } : undefined);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
