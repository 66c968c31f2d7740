import * as v from 'valibot';
import type { ListenSettings } from '@llm-bawt/sdk';

const port = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535));
const positive = v.pipe(v.number(), v.integer(), v.minValue(0));

/** Config of the transport-mcp plugin (`plugin_config['transport-mcp']`). @public */
export const transportMcpConfigSchema = v.strictObject({
  /** Serve streamable HTTP (default true); `llm-bawt mcp --stdio` works either way. */
  http: v.optional(v.boolean(), true),
  /** Bind address; wins over the host's `mcp.host` (which defaults to the HTTP bind address). */
  host: v.optional(v.pipe(v.string(), v.minLength(1))),
  /** Port (0 picks a free one); wins over `mcp.port` / LLM_BAWT_MCP_PORT. Default 8001. */
  port: v.optional(port),
  /** Stateful sessions (`Mcp-Session-Id`; default). false: stateless, for several hosts behind a load balancer without session affinity. */
  sessions: v.optional(v.boolean(), true),
  /** A session without requests for this long is closed (the client then initializes again). */
  sessionIdleMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1_000)), 30 * 60_000),
  /** Most open sessions; one more closes the least recently used idle one. */
  maxSessions: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 1_000),
  /** Path of the MCP endpoint. */
  path: v.optional(v.pipe(v.string(), v.regex(/^\/[\w\-/.]*$/, 'must be a path such as /mcp')), '/mcp'),
  /** Bearer keys accepted; the host's api_keys / LLM_BAWT_API_KEYS win when set. */
  apiKeys: v.optional(v.array(v.pipe(v.string(), v.minLength(1)))),
  /** Browser origins allowed besides localhost and the bound address, e.g. `https://app.example`. */
  allowedOrigins: v.optional(v.array(v.pipe(v.string(), v.url())), []),
  /** Largest accepted request body; bigger ones get 413. */
  bodyLimitBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1024)), 4 * 1024 * 1024),
  /** Serve memory_search_all and messages_search_all (one user's data across bots). */
  crossBotSearch: v.optional(v.boolean(), true),
  /** Tool names not to serve. */
  disabledTools: v.optional(v.array(v.string()), []),
  /** The user a call acts for when it names none. */
  defaultUser: v.optional(v.pipe(v.string(), v.minLength(1)), 'default'),
  delivery: v.optional(
    v.strictObject({
      /** How long bots_send_message waits for a reply when the call names no timeout. */
      waitSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(600)), 55),
      /** How often queued deliveries (retries, after a restart) are picked up; 0 turns the sweep off. */
      sweepMs: v.optional(positive, 15_000),
      /** How long a claimed delivery is held before another host may take it over. */
      leaseMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1_000)), 300_000),
      /** First retry delay (doubling per attempt, at most a minute). */
      retryBaseMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(10)), 2_000),
    }),
    {},
  ),
});

/** Parsed config of the transport-mcp plugin. @public */
export type TransportMcpConfig = v.InferOutput<typeof transportMcpConfigSchema>;

export const DEFAULT_MCP_HOST = '127.0.0.1';
export const DEFAULT_MCP_PORT = 8001;

/** Where and how the MCP listener runs, after every source is merged. */
export interface McpServerOptions {
  host: string;
  port: number;
  path: string;
  apiKeys: string[];
  allowedOrigins: string[];
  bodyLimitBytes: number;
  sessions: boolean;
  sessionIdleMs: number;
  maxSessions: number;
}

function envPort(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new TypeError(`LLM_BAWT_MCP_PORT must be a port number (0-65535), got ${JSON.stringify(raw)}`);
  return value;
}

function keysOf(raw: unknown): string[] | undefined {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [];
  const keys = list.filter((k): k is string => typeof k === 'string').map((k) => k.trim()).filter((k) => k !== '');
  return keys.length > 0 ? keys : undefined;
}

/**
 * Merges the listener settings. Host and port: this plugin's config, then the host's `mcp`
 * section (`mcp.host`/`mcp.port` in llm-bawt.config.yaml, LLM_BAWT_MCP_PORT), then
 * LLM_BAWT_MCP_PORT, then 127.0.0.1:8001. API keys, as on the HTTP API: the host's, then this
 * plugin's, then LLM_BAWT_API_KEYS.
 */
export function resolveMcpOptions(config: TransportMcpConfig, listen: ListenSettings, env: Readonly<Record<string, string | undefined>>): McpServerOptions {
  return {
    host: config.host ?? (listen.mcp?.host || undefined) ?? DEFAULT_MCP_HOST,
    port: config.port ?? listen.mcp?.port ?? envPort(env.LLM_BAWT_MCP_PORT) ?? DEFAULT_MCP_PORT,
    path: config.path,
    apiKeys: keysOf(listen.apiKeys) ?? keysOf(config.apiKeys) ?? keysOf(env.LLM_BAWT_API_KEYS) ?? [],
    allowedOrigins: config.allowedOrigins,
    bodyLimitBytes: config.bodyLimitBytes,
    sessions: config.sessions,
    sessionIdleMs: config.sessionIdleMs,
    maxSessions: config.maxSessions,
  };
}
