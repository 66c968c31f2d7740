import type { AnyRef, RefValue } from './refs.js';
import type { BotRegistry, ModelRegistry } from './registries.js';
import type { TurnInput, TurnStream } from './turn.js';

/** Lifecycle state of a host. @public */
export type HostState = 'starting' | 'ready' | 'draining' | 'closed';

/** One loaded plugin, as the boot tree shows it. @public */
export interface PluginInfo {
  id: string;
  version: string;
  source: string;
  requires: string[];
  provides: string[];
  setupMs: number;
  hooks: string[];
  contributes: Record<string, string[]>;
}

/** Listener settings the host resolved (flags, environment, config file) for transports. @public */
export interface ListenSettings {
  host?: string;
  port?: number;
  /** Bearer keys accepted by HTTP and MCP listeners. */
  apiKeys?: readonly string[];
  mcp?: { host?: string; port?: number };
}

/** Where a transport can be reached, as it announced once listening. @public */
export interface Endpoint {
  transport: string;
  url: string;
  label?: string;
}

/** What transports and tests can do with a running host. @public */
export interface HostApi {
  readonly state: HostState;
  /** The llm-bawt host's version (the `llm-bawt` package), when the embedder says. */
  readonly version?: string;
  readonly models: ModelRegistry;
  readonly bots: BotRegistry;
  /** The user id of requests that name none (chat turns and routes alike). */
  readonly defaultUser: string;
  /** Runs a turn. Rejects (with an LlmbError) if the turn fails before output starts. */
  runTurn(input: TurnInput, options?: { signal?: AbortSignal }): Promise<TurnStream>;
  plugins(): PluginInfo[];
  /** Listener settings for transports. */
  readonly listen: ListenSettings;
  /** Addresses transports announced once listening. */
  endpoints(): Endpoint[];
  get<R extends AnyRef>(ref: R): RefValue<R>;
  /** Stops transports, drains turns, runs disposers last-in first-out. */
  close(): Promise<void>;
}
