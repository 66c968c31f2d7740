import { ERROR_CATALOGUE, isLlmbError, type ErrorCode } from '@llm-bawt/sdk';

/** OpenAI's error body. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

/** An error answered as-is: status plus OpenAI's error shape. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly param: string | null;
  readonly headers: Record<string, string>;

  constructor(status: number, code: ErrorCode, message: string, options: { param?: string | null; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.type = ERROR_CATALOGUE[code].type;
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
  }
}

/** An ApiError with the catalogue's own status. */
export function apiError(code: ErrorCode, message: string, param?: string | null): ApiError {
  return new ApiError(ERROR_CATALOGUE[code].status, code, message, { param: param ?? null });
}

export function errorBody(error: ApiError): OpenAiErrorBody {
  return { error: { message: error.message, type: error.type, code: error.code, param: error.param } };
}

const GENERIC = 'The server had an error while processing your request.';

/**
 * Maps anything thrown to what the client sees. Coded errors keep their status and message
 * (they are written for users); anything else is a 500 with a generic message, and
 * `unexpected` tells the caller to log the detail.
 */
export function toApiError(value: unknown): { error: ApiError; unexpected: boolean } {
  if (value instanceof ApiError) return { error: value, unexpected: false };
  if (isLlmbError(value)) {
    const headers: Record<string, string> = {};
    if (value.origin.retryAfterMs !== undefined && (value.status === 429 || value.status === 503)) {
      headers['retry-after'] = String(Math.max(1, Math.ceil(value.origin.retryAfterMs / 1000)));
    }
    // An internal error's message may carry anything (paths, driver errors): keep it in the log.
    const message = value.code === 'LLMB_ERR_INTERNAL' ? GENERIC : value.message;
    const unexpected = value.code === 'LLMB_ERR_INTERNAL' || value.code === 'LLMB_ERR_HOOK_FAILED';
    return { error: new ApiError(value.status, value.code, message, { param: value.origin.param ?? null, headers }), unexpected };
  }
  return { error: new ApiError(500, 'LLMB_ERR_INTERNAL', GENERIC), unexpected: true };
}
