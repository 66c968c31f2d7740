import { BRAND } from './brand.js';
import type { Stage } from './stages.js';

/**
 * The coded error catalogue. Every error llm-bawt raises on purpose carries one of these
 * codes; HTTP transports map `status` and `type` into OpenAI's error shape.
 * Documented in docs/errors.md. @public
 */
export const ERROR_CATALOGUE = {
  LLMB_ERR_INVALID_REQUEST: { status: 400, type: 'invalid_request_error', summary: 'The request is malformed or fails validation.' },
  LLMB_ERR_UNAUTHORIZED: { status: 401, type: 'authentication_error', summary: 'A valid API key is required.' },
  LLMB_ERR_FORBIDDEN: { status: 403, type: 'permission_error', summary: 'The caller may not do this.' },
  LLMB_ERR_NOT_FOUND: { status: 404, type: 'invalid_request_error', summary: 'The named resource does not exist.' },
  LLMB_ERR_UNKNOWN_MODEL: { status: 404, type: 'invalid_request_error', summary: 'No model alias of that name is configured.' },
  LLMB_ERR_UNKNOWN_BOT: { status: 404, type: 'invalid_request_error', summary: 'No bot of that slug exists.' },
  LLMB_ERR_METHOD_NOT_ALLOWED: { status: 405, type: 'invalid_request_error', summary: 'The route does not accept this HTTP method.' },
  LLMB_ERR_GONE: { status: 410, type: 'invalid_request_error', summary: 'The resource existed but was deleted.' },
  LLMB_ERR_CONFLICT: { status: 409, type: 'invalid_request_error', summary: 'The resource already exists or changed meanwhile.' },
  LLMB_ERR_PAYLOAD_TOO_LARGE: { status: 413, type: 'invalid_request_error', summary: 'The request body is over the size limit.' },
  LLMB_ERR_ABORTED: { status: 499, type: 'request_aborted', summary: 'The client went away and the turn was cancelled.' },
  LLMB_ERR_PROVIDER_NOT_CONFIGURED: { status: 503, type: 'server_error', summary: 'The model has no usable provider (missing key or endpoint).' },
  LLMB_ERR_UPSTREAM: { status: 502, type: 'upstream_error', summary: 'The upstream model server returned an error.' },
  LLMB_ERR_UPSTREAM_TIMEOUT: { status: 504, type: 'upstream_error', summary: 'The upstream model server did not answer in time.' },
  LLMB_ERR_RATE_LIMITED: { status: 429, type: 'rate_limit_error', summary: 'The upstream rate limit was hit and retries ran out.' },
  LLMB_ERR_HOOK_FAILED: { status: 500, type: 'server_error', summary: 'A plugin hook threw; the message names plugin, hook and stage.' },
  LLMB_ERR_HOOK_TIMEOUT: { status: 504, type: 'server_error', summary: 'A plugin hook did not settle within its timeout.' },
  LLMB_ERR_EXECUTE_CONFLICT: { status: 500, type: 'server_error', summary: 'More than one EXECUTE handler claimed the same turn.' },
  LLMB_ERR_NOT_READY: { status: 503, type: 'server_error', summary: 'The host is starting or draining.' },
  LLMB_ERR_DATABASE: { status: 503, type: 'server_error', summary: 'The database is unavailable or failed; the change was not saved.' },
  LLMB_ERR_INTERNAL: { status: 500, type: 'server_error', summary: 'An unexpected internal error.' },
  LLMB_ERR_PLUGIN_LOAD: { status: 500, type: 'boot_error', summary: 'A plugin could not be found or is not a branded llm-bawt plugin.' },
  LLMB_ERR_PLUGIN_SDK_RANGE: { status: 500, type: 'boot_error', summary: "A plugin's sdk range does not include this host's sdk." },
  LLMB_ERR_PLUGIN_DUPLICATE: { status: 500, type: 'boot_error', summary: 'Two plugins share one id.' },
  LLMB_ERR_PLUGIN_CONFIG: { status: 500, type: 'boot_error', summary: "A plugin's config fails its schema." },
  LLMB_ERR_PLUGIN_DEPENDENCY: { status: 500, type: 'boot_error', summary: 'A required ref has no provider.' },
  LLMB_ERR_PLUGIN_CYCLE: { status: 500, type: 'boot_error', summary: 'Plugins depend on each other in a cycle.' },
  LLMB_ERR_PLUGIN_SCOPE: { status: 500, type: 'boot_error', summary: 'A ref depends on a ref of a narrower scope.' },
  LLMB_ERR_PLUGIN_SETUP: { status: 500, type: 'boot_error', summary: "A plugin's setup threw or timed out." },
  LLMB_ERR_CONFIG: { status: 500, type: 'boot_error', summary: 'A configuration file (host config, bots.yaml, models.yaml) is invalid.' },
  LLMB_ERR_BOOT: { status: 500, type: 'boot_error', summary: 'The host refused to boot; the message lists every problem.' },
} as const satisfies Record<string, { status: number; type: string; summary: string }>;

/** One `LLMB_ERR_*` code. @public */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Where an error happened inside the pipeline or boot. @public */
export interface ErrorOrigin {
  pluginId?: string;
  hook?: string;
  stage?: Stage;
  /** The request field at fault, for OpenAI's `param`. */
  param?: string;
  /** Several problems reported as one error (boot, config check). */
  problems?: string[];
  /** HTTP status the upstream model server answered with. */
  upstreamStatus?: number;
  /** How long the upstream asked us to wait before retrying (from `Retry-After`). */
  retryAfterMs?: number;
}

/** A coded llm-bawt error. Test with {@link isLlmbError}, not `instanceof`. @public */
export class LlmbError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly origin: ErrorOrigin;

  constructor(code: ErrorCode, message: string, origin: ErrorOrigin = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LlmbError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.type = ERROR_CATALOGUE[code].type;
    this.origin = origin;
    Object.defineProperty(this, BRAND, { value: 'error', enumerable: false });
  }
}

/** Makes a coded error. @public */
export function createError(code: ErrorCode, message: string, origin?: ErrorOrigin, cause?: unknown): LlmbError {
  return new LlmbError(code, message, origin, cause === undefined ? undefined : { cause });
}

/** True for an {@link LlmbError} from any copy of the sdk. @public */
export function isLlmbError(value: unknown): value is LlmbError {
  return value instanceof Error && (value as unknown as Record<symbol, unknown>)[BRAND] === 'error';
}

/** Wraps anything thrown into an LlmbError, keeping a coded error as it is. @public */
export function toLlmbError(value: unknown, fallback: ErrorCode = 'LLMB_ERR_INTERNAL', origin?: ErrorOrigin): LlmbError {
  if (isLlmbError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return createError(fallback, message, origin, value);
}
