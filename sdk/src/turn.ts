import { brand, type Branded } from './brand.js';
import type { BotConfig, Decisions, ModelSpec } from './config-types.js';
import type { ErrorCode } from './errors.js';
import type { Logger } from './logger.js';
import type { ChatMessage, FinishReason, ToolCall, ToolSpec, TurnEvent, Usage } from './messages.js';
import type { AnyRef, RefValue } from './refs.js';
import type { Stage } from './stages.js';

/** Sampling and length parameters, passed through to the provider. @public */
export interface GenerationParams {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string[];
  presence_penalty?: number;
  frequency_penalty?: number;
  seed?: number;
  response_format?: Record<string, unknown>;
  reasoning_effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';
  tool_choice?: unknown;
  /** Ask the provider to report usage in the stream. */
  include_usage?: boolean;
}

/** A turn as transports hand it to the host. Missing ids fall back to defaults. @public */
export interface TurnInput {
  botId?: string;
  userId?: string;
  sessionId?: string;
  /** A models.yaml alias; absent means the bot's default model, then the global default. */
  model?: string;
  messages: ChatMessage[];
  stream?: boolean;
  /** Client-side tools: passed to the model, their calls returned to the client. */
  tools?: ToolSpec[];
  params?: GenerationParams;
  /** Request-level overrides of decision points. */
  decisions?: Partial<Decisions>;
  augmentMemory?: boolean;
  includeSummaries?: boolean;
  /** Request-level runtime-setting overrides (win over bot and global settings). */
  settings?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** The request as PRE_PROCESS hooks see and rewrite it. @public */
export interface TurnRequest extends Required<Pick<TurnInput, 'messages'>> {
  botId: string;
  userId: string;
  sessionId?: string;
  model?: string;
  stream: boolean;
  tools: ToolSpec[];
  params: GenerationParams;
  decisions: Partial<Decisions>;
  augmentMemory: boolean;
  includeSummaries: boolean;
  settings: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** What MEMORY_RETRIEVAL hooks are asked. @public */
export interface RetrievalQuery {
  /** The latest user message as text. */
  text: string;
  botId: string;
  userId: string;
  sessionId?: string;
  /** Tokens the host will admit from all fragments together. */
  budgetTokens: number;
}

/** A piece of context a memory layer found; the host merges them under the budget. @public */
export interface ContextFragment {
  /** Which layer found it (plugin id by default). */
  source?: string;
  /** Prompt section it goes into; default `memory`. */
  section?: string;
  text: string;
  /** Higher first when the budget cuts. */
  score?: number;
}

/** The messages, tools and parameters about to be sent; MESSAGE_ASSEMBLY rewrites it. @public */
export interface Assembly {
  model: ModelSpec;
  messages: ChatMessage[];
  tools: ToolSpec[];
  params: GenerationParams;
}

/** The reply assembled from a turn's events. @public */
export interface Reply {
  content: string;
  reasoning?: string;
  tool_calls?: ToolCall[];
}

/** One tool call the turn ran on the server. @public */
export interface ToolRunRecord {
  id: string;
  name: string;
  arguments: string;
  result: string;
  error?: string;
  durationMs: number;
}

/** How a turn ended. @public */
export type TurnStatus = 'ok' | 'error' | 'aborted';

/** A finished turn, as POST_PROCESS hooks and the turn log see it. @public */
export interface FinishedTurn {
  requestId: string;
  request: TurnRequest;
  bot: BotConfig;
  model?: ModelSpec;
  decisions: Decisions;
  /** The messages sent to the model (after MESSAGE_ASSEMBLY). */
  messages: ChatMessage[];
  reply: Reply;
  usage?: Usage;
  finishReason?: FinishReason;
  status: TurnStatus;
  error?: { code: ErrorCode; message: string };
  toolRuns: ToolRunRecord[];
  timings: Partial<Record<Stage, number>>;
  outputs: Partial<Record<Stage, unknown>>;
  startedAt: Date;
  durationMs: number;
}

/** Per-turn context every pipeline hook receives. @public */
export interface TurnContext {
  readonly requestId: string;
  readonly bot: BotConfig;
  /** The resolved model, once PRE_PROCESS is done; agent bots may have none. */
  readonly model: ModelSpec | undefined;
  /** Decision points: PRE_PROCESS hooks may set them; request and bot overrides win. */
  readonly decisions: Decisions;
  readonly request: TurnRequest;
  /** Aborted when the client disconnects or the turn is cancelled. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** Stage durations in milliseconds (monotonic clock). */
  readonly timings: Partial<Record<Stage, number>>;
  /** Debug output of each stage, written to the turn log. */
  readonly outputs: Partial<Record<Stage, unknown>>;
  /** Scratch space shared by the hooks of one turn. */
  readonly state: Map<string | symbol, unknown>;
  /** Resolves a ref from the request's container. */
  get<R extends AnyRef>(ref: R): RefValue<R>;
  /**
   * A runtime setting: the request's override, then the bot's (a runtime_settings row, then
   * bots.yaml), then the global one (a row, then the host config), then `fallback`.
   */
  setting<T>(key: string, fallback: T): T;
  /** Records a debug note under the running stage. */
  note(key: string, value: unknown): void;
}

/** What PRE_PROCESS returns to end the turn early with its own reply. @public */
export interface Bail extends Branded<'bail'> {
  readonly reply: Reply;
}

/** Ends the turn in PRE_PROCESS with a ready reply (e.g. a slash command). @public */
export function finish(reply: Reply | string): Bail {
  return brand({ reply: typeof reply === 'string' ? { content: reply } : reply }, 'bail');
}

/** A running turn as a transport sees it. @public */
export interface TurnStream {
  readonly requestId: string;
  readonly model: ModelSpec | undefined;
  readonly bot: BotConfig;
  /** Output events after `onChunk` hooks; throws an LlmbError if the turn fails mid-way. */
  readonly events: AsyncIterable<TurnEvent>;
  /** Settles when the turn ends (POST_PROCESS is started, not awaited). */
  readonly done: Promise<FinishedTurn>;
}
