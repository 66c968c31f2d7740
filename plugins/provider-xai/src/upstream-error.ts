import { toUpstreamError as mapError, type LlmbError, type UpstreamLabel } from '@llm-bawt/sdk';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

export { protocolError, retryAfterMs, type UpstreamLabel } from '@llm-bawt/sdk';

const sdkErrors = { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError };

/** Maps this SDK's errors with the sdk's shared mapping (the host retries, providers never do). */
export function toUpstreamError(error: unknown, label: UpstreamLabel, signal: AbortSignal): LlmbError {
  return mapError(error, label, signal, sdkErrors);
}
