import type * as v from 'valibot';
import { assertId, brand, type Branded } from './brand.js';
import type { BotConfig, ModelSpec } from './config-types.js';
import type { HostApi } from './host-api.js';
import type { Logger } from './logger.js';
import type { ChatMessage, ToolSpec, TurnEvent } from './messages.js';
import type { AnyRef, RefValue } from './refs.js';
import type { AnyRoute } from './routes.js';
import type { Assembly, ContextFragment, FinishedTurn, GenerationParams, RetrievalQuery, TurnContext } from './turn.js';

type MaybePromise<T> = T | Promise<T>;

/** Releases what a setup or start acquired. @public */
export type Disposer = () => MaybePromise<void>;

/** What a provider can do with one model. @public */
export interface ProviderCapabilities {
  nativeTools: boolean;
  vision: boolean;
  reasoning: boolean;
}

/** The request a provider client sends upstream. @public */
export interface ProviderRequest {
  model: ModelSpec;
  messages: ChatMessage[];
  tools: ToolSpec[];
  params: GenerationParams;
}

/** A model client for one models.yaml alias. @public */
export interface ProviderClient {
  readonly capabilities: ProviderCapabilities;
  /**
   * Runs one generation. With `stream: false` it makes one non-streaming upstream call and
   * yields the whole answer as events; with `stream: true` it relays upstream chunks as they come.
   */
  generate(request: ProviderRequest, options: { signal: AbortSignal; stream: boolean }): AsyncIterable<TurnEvent>;
}

/** Environment a provider reads its keys from; the host passes it explicitly. @public */
export interface ProviderEnv {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
}

/** A provider family (OpenAI, Anthropic, ...). @public */
export interface ProviderDefinition {
  /** kebab-case id, e.g. `openai`. */
  id: string;
  /** models.yaml `provider:` values this definition serves. */
  kinds: readonly string[];
  /** Whether an alias can be used as configured, and what to do if not. */
  check(model: ModelSpec, env: ProviderEnv): { usable: true } | { usable: false; reason: string; hint: string };
  create(model: ModelSpec, env: ProviderEnv): ProviderClient;
}

/** Defines a provider family. @public */
export function defineProvider(definition: ProviderDefinition): ProviderDefinition & Branded<'provider'> {
  assertId(definition.id, 'provider');
  if (definition.kinds.length === 0) throw new TypeError(`provider ${definition.id} serves no kinds`);
  return brand(definition, 'provider');
}

/** Context a tool runs in. @public */
export interface ToolContext {
  readonly bot: BotConfig;
  readonly userId: string;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** The running turn, when the tool is called from the tool loop (not MCP). */
  readonly turn?: TurnContext;
  /** Resolves a ref (e.g. a plugin's own runtime state, `coreRefs.models`), with or without a turn. */
  get<R extends AnyRef>(ref: R): RefValue<R>;
}

/** A tool the model (or an MCP client) may call. @public */
export interface ToolDefinition<S extends v.GenericSchema = v.GenericSchema> {
  /** snake_case name the model sees. */
  name: string;
  description: string;
  input: S;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean };
  run(input: v.InferOutput<S>, ctx: ToolContext): MaybePromise<unknown>;
}

const TOOL_NAME = /^[a-z][a-z0-9_]*$/;

/** Defines a tool once for the tool loop, ReAct and MCP. @public */
export function defineTool<S extends v.GenericSchema>(definition: ToolDefinition<S>): ToolDefinition<S> & Branded<'tool'> {
  if (!TOOL_NAME.test(definition.name)) throw new TypeError(`tool name ${JSON.stringify(definition.name)} must be snake_case`);
  return brand(definition, 'tool');
}

/** A memory layer: what it recalls before a turn and remembers after. @public */
export interface MemoryLayerDefinition {
  id: string;
  description: string;
  recall?(query: RetrievalQuery, ctx: TurnContext): MaybePromise<ContextFragment[]>;
  remember?(turn: FinishedTurn, ctx: TurnContext): MaybePromise<void>;
}

/** Defines a memory layer; the host wires recall into MEMORY_RETRIEVAL and remember into POST_PROCESS. @public */
export function defineMemoryLayer(definition: MemoryLayerDefinition): MemoryLayerDefinition & Branded<'memory-layer'> {
  assertId(definition.id, 'memory layer');
  return brand(definition, 'memory-layer');
}

/** Output cleanup for a family of models. @public */
export interface AdapterDefinition {
  id: string;
  /** Extra stop sequences sent upstream. */
  stop?: string[];
  /**
   * Cleans streamed text per chunk; keep it synchronous and cheap. `state` lives for one
   * turn, so text that may be the start of a marker can be held back until the next chunk.
   */
  cleanChunk?(text: string, state: Map<string, unknown>): string;
  /** Returns the text `cleanChunk` still holds when the stream ends (before its finish). */
  flush?(state: Map<string, unknown>): string;
  /** Cleans the final reply text. */
  cleanReply?(text: string): string;
}

/** Defines an output adapter. @public */
export function defineAdapter(definition: AdapterDefinition): AdapterDefinition & Branded<'adapter'> {
  assertId(definition.id, 'adapter');
  return brand(definition, 'adapter');
}

/** An agent backend (Claude Code, Codex, ...) that answers instead of a model. @public */
export interface AgentBackendDefinition {
  id: string;
  run(assembly: Assembly, ctx: TurnContext): AsyncIterable<TurnEvent>;
}

/** Defines an agent backend; bots name it in `agent_backend`. @public */
export function defineAgentBackend(definition: AgentBackendDefinition): AgentBackendDefinition & Branded<'agent-backend'> {
  assertId(definition.id, 'agent backend');
  return brand(definition, 'agent-backend');
}

/** What a transport receives when the host is ready. @public */
export interface TransportContext {
  readonly host: HostApi;
  /** The owning plugin's validated root config. */
  readonly config: unknown;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Tells the host where this transport can be reached (shown at startup, in `host.endpoints()`). */
  announce(url: string, label?: string): void;
}

/** A way in: OpenAI HTTP, MCP, CLI. @public */
export interface TransportDefinition {
  id: string;
  start(ctx: TransportContext): MaybePromise<Disposer | void>;
}

/** Defines a transport; started after every plugin's setup, stopped first at shutdown. @public */
export function defineTransport(definition: TransportDefinition): TransportDefinition & Branded<'transport'> {
  assertId(definition.id, 'transport');
  return brand(definition, 'transport');
}

/** Turns text into vectors. @public */
export interface EmbedderDefinition {
  id: string;
  dimensions: number;
  embed(texts: string[], options: { signal?: AbortSignal }): Promise<number[][]>;
}

/** Defines an embedder. @public */
export function defineEmbedder(definition: EmbedderDefinition): EmbedderDefinition & Branded<'embedder'> {
  assertId(definition.id, 'embedder');
  if (!Number.isInteger(definition.dimensions) || definition.dimensions <= 0) {
    throw new TypeError(`embedder ${definition.id} needs a positive integer dimension`);
  }
  return brand(definition, 'embedder');
}

/** Scheduled work (extraction, summaries, consolidation, decay). @public */
export interface JobDefinition {
  id: string;
  /** Cron expression. */
  schedule: string;
  run(ctx: { signal: AbortSignal; logger: Logger; host: HostApi }): MaybePromise<void>;
}

/** Defines a scheduled job. @public */
export function defineJob(definition: JobDefinition): JobDefinition & Branded<'job'> {
  assertId(definition.id, 'job');
  return brand(definition, 'job');
}

/** How a checked part of the system is doing. @public */
export type StatusState = 'ok' | 'degraded' | 'down';

/** What one status check found: a state, one line for people, and data for tools. @public */
export interface StatusReport {
  state: StatusState;
  /** One line, e.g. `PostgreSQL 16.4 at db:5432/llm, 12 migrations applied`. */
  summary: string;
  /** JSON-serialisable facts (versions, counts, timings); never secrets. */
  details?: Record<string, unknown>;
}

/** What a status check runs with. @public */
export interface StatusCheckContext {
  readonly host: HostApi;
  readonly logger: Logger;
  /** Resolves a root ref (e.g. the plugin's own store or client). */
  get<R extends AnyRef>(ref: R): RefValue<R>;
  /** Aborted when the check runs out of time or the caller goes away. */
  readonly signal: AbortSignal;
}

/** A health probe for one part of the system (database, Redis, an upstream), shown by `GET /v1/status`. @public */
export interface StatusCheckDefinition {
  /** kebab-case id, e.g. `database`. */
  id: string;
  /** Milliseconds the check may take before it counts as down (default 2000). */
  timeoutMs?: number;
  /** Reports the state; a check that throws or runs out of time counts as `down`. */
  check(ctx: StatusCheckContext): Promise<StatusReport>;
}

/** Defines a status check. Keep it cheap: it runs on every status request. @public */
export function defineStatusCheck(definition: StatusCheckDefinition): StatusCheckDefinition & Branded<'status-check'> {
  assertId(definition.id, 'status check');
  if (definition.timeoutMs !== undefined && !(Number.isInteger(definition.timeoutMs) && definition.timeoutMs > 0)) {
    throw new TypeError(`status check ${definition.id}: timeoutMs must be a positive integer`);
  }
  return brand(definition, 'status-check');
}

/**
 * A versioned schema change. The storage plugin applies each plugin's migrations once, in
 * id order, inside a lock, and records them; ids never change once released. @public
 */
export interface MigrationDefinition {
  /** Sortable and unique within the plugin, e.g. `0001-init`. */
  id: string;
  description?: string;
  /** SQL statements run in one transaction (PostgreSQL dialect; PGlite speaks it too). */
  up: string[];
}

/** Everything a plugin contributes, listable without running its code. @public */
export interface Contributions {
  providers?: ProviderDefinition[];
  tools?: ToolDefinition[];
  memory?: MemoryLayerDefinition[];
  adapters?: AdapterDefinition[];
  agents?: AgentBackendDefinition[];
  transports?: TransportDefinition[];
  embedders?: EmbedderDefinition[];
  jobs?: JobDefinition[];
  /** MikroORM `EntitySchema`s, collected before the ORM starts. */
  entities?: unknown[];
  /** Schema changes for the plugin's tables, applied by the storage plugin at boot. */
  migrations?: MigrationDefinition[];
  /** HTTP routes added to the host's API (served by the HTTP transport). */
  routes?: AnyRoute[];
  /** Health probes reported by `GET /v1/status` and `llm-bawt status`. */
  status?: StatusCheckDefinition[];
}

/** Every contribution of every loaded plugin, tagged with its plugin id. @public */
export type ContributionIndex = {
  readonly [K in keyof Contributions]-?: ReadonlyArray<{ pluginId: string; value: NonNullable<Contributions[K]>[number] }>;
};
