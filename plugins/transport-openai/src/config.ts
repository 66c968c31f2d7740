import * as v from 'valibot';
import type { ListenSettings } from '@llm-bawt/sdk';

const port = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535));

/** Config of the transport-openai plugin (`plugin_config['transport-openai']`). @public */
export const transportOpenaiConfigSchema = v.strictObject({
  /** Bind address; wins over LLM_BAWT_HOST, loses to the host's `listen.host` (`--host`). */
  host: v.optional(v.pipe(v.string(), v.minLength(1))),
  /** Port (0 picks a free one); wins over LLM_BAWT_PORT, loses to the host's `listen.port` (`--port`). */
  port: v.optional(port),
  /** Largest accepted request body; bigger ones get 413. */
  bodyLimitBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1024)), 4 * 1024 * 1024),
  /** An SSE comment is sent after this long without output, so proxies keep the stream open. */
  keepaliveMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(10)), 15_000),
  /** Bearer keys accepted on /v1/*; wins over LLM_BAWT_API_KEYS. */
  apiKeys: v.optional(v.array(v.pipe(v.string(), v.minLength(1)))),
});

/** Parsed config of the transport-openai plugin. @public */
export type TransportOpenaiConfig = v.InferOutput<typeof transportOpenaiConfigSchema>;

/** Where and how the server listens, after every source is merged. */
export interface ServerOptions {
  host: string;
  port: number;
  apiKeys: string[];
  bodyLimitBytes: number;
  keepaliveMs: number;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8642;

function envPort(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new TypeError(`LLM_BAWT_PORT must be a port number (0-65535), got ${JSON.stringify(raw)}`);
  }
  return value;
}

function splitKeys(raw: unknown): string[] | undefined {
  if (Array.isArray(raw)) {
    const keys = raw.filter((k): k is string => typeof k === 'string' && k.trim() !== '').map((k) => k.trim());
    return keys.length > 0 ? keys : undefined;
  }
  if (typeof raw !== 'string') return undefined;
  const keys = raw.split(',').map((k) => k.trim()).filter((k) => k !== '');
  return keys.length > 0 ? keys : undefined;
}

/**
 * Merges the listener settings. Precedence: the host's `listen` section (CLI flags and
 * llm-bawt.config.yaml), then this plugin's config, then LLM_BAWT_HOST / LLM_BAWT_PORT /
 * LLM_BAWT_API_KEYS, then 127.0.0.1:8642. API keys come from the first source that has any.
 */
export function resolveServerOptions(
  config: TransportOpenaiConfig,
  listen: ListenSettings,
  env: Readonly<Record<string, string | undefined>>,
): ServerOptions {
  const listenHost = typeof listen.host === 'string' && listen.host !== '' ? listen.host : undefined;
  const listenPort = typeof listen.port === 'number' ? listen.port : undefined;
  const envHost = env.LLM_BAWT_HOST?.trim() || undefined;
  return {
    host: listenHost ?? config.host ?? envHost ?? DEFAULT_HOST,
    port: listenPort ?? config.port ?? envPort(env.LLM_BAWT_PORT) ?? DEFAULT_PORT,
    apiKeys: splitKeys(listen.apiKeys) ?? splitKeys(config.apiKeys) ?? splitKeys(env.LLM_BAWT_API_KEYS) ?? [],
    bodyLimitBytes: config.bodyLimitBytes,
    keepaliveMs: config.keepaliveMs,
  };
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}
