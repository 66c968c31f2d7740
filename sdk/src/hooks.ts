import type { BotConfig } from './config-types.js';
import type { Logger } from './logger.js';
import type { ChatMessage, TurnEvent } from './messages.js';
import type { PromptBuilder } from './prompt.js';
import type { AnyRef, RefValue } from './refs.js';
import type { HostHookName, Stage } from './stages.js';
import type { Assembly, Bail, ContextFragment, FinishedTurn, RetrievalQuery, TurnContext, TurnRequest } from './turn.js';

type MaybePromise<T> = T | Promise<T>;

/** Options every hook entry may carry. @public */
export interface HookOptions<X> {
  /** Bucket inside the stage: `pre` hooks run first, `post` hooks last. */
  order?: 'pre' | 'post';
  /** A critical hook fails the request in any stage, even isolating ones. */
  critical?: boolean;
  /** Milliseconds before the hook is abandoned with LLMB_ERR_HOOK_TIMEOUT. */
  timeoutMs?: number;
  /** Evaluated by the host; when false the hook is skipped for this turn. */
  when?: (ctx: X) => boolean;
}

/** A hook: a bare handler or a handler with options. @public */
export type HookEntry<F, X> = F | ({ handler: F } & HookOptions<X>);

/** Streams a turn's output; the EXECUTE handler's signature. @public */
export type Executor<X> = (assembly: Assembly, ctx: X) => AsyncIterable<TurnEvent>;

/** Wraps the EXECUTE handler (retry, cache, metrics); call `next` to run the inner one. @public */
export type AroundExecutor<X> = (
  assembly: Assembly,
  ctx: X,
  next: (assembly: Assembly) => AsyncIterable<TurnEvent>,
) => AsyncIterable<TurnEvent>;

/** An EXECUTE hook: a claimant (exactly one runs) or an `around` wrapper. @public */
export type ExecuteHook<X> =
  | HookEntry<Executor<X>, X>
  | ({ around: AroundExecutor<X> } & Omit<HookOptions<X>, 'timeoutMs'>);

/** Handler type of each stage; the stage fixes the kind. @public */
export interface StageHandlers<X> {
  /** Waterfall with bail: return a new request, nothing to keep it, or `finish(...)` to reply now. */
  PRE_PROCESS: (request: TurnRequest, ctx: X) => MaybePromise<TurnRequest | Bail | void>;
  /** Waterfall: add or change named prompt sections. */
  CONTEXT_BUILD: (prompt: PromptBuilder, ctx: X) => MaybePromise<PromptBuilder | void>;
  /** Parallel-collect: return context fragments; a failing layer is left out. */
  MEMORY_RETRIEVAL: (query: RetrievalQuery, ctx: X) => MaybePromise<ContextFragment[] | ContextFragment | void>;
  /** Waterfall: trim or rewrite the conversation history. */
  HISTORY_FILTER: (history: ChatMessage[], ctx: X) => MaybePromise<ChatMessage[] | void>;
  /** Waterfall: final messages, tools and parameters. */
  MESSAGE_ASSEMBLY: (assembly: Assembly, ctx: X) => MaybePromise<Assembly | void>;
  /** Detached: runs after the reply; failures are logged, never sent. */
  POST_PROCESS: (turn: FinishedTurn, ctx: X) => MaybePromise<void>;
}

/** Per-chunk hook: synchronous; return the chunk, a replacement, or `null` to drop it. @public */
export type ChunkHook<X> = (event: TurnEvent, ctx: X) => TurnEvent | null | void;

/** Context of host-level hooks. @public */
export interface HostHookContext {
  readonly logger: Logger;
  get<R extends AnyRef>(ref: R): RefValue<R>;
}

/** Host-level hooks, outside any request. @public */
export interface HostHandlers {
  'host:ready': (ctx: HostHookContext) => MaybePromise<void>;
  'host:close': (ctx: HostHookContext) => MaybePromise<void>;
  'bot:start': (bot: BotConfig, ctx: HostHookContext) => MaybePromise<void>;
  'bot:stop': (bot: BotConfig, ctx: HostHookContext) => MaybePromise<void>;
}

/** Every hook a plugin may declare, typed by the stage it belongs to. @public */
export type PipelineHooks<X = TurnContext> = {
  [S in Exclude<Stage, 'EXECUTE'>]?: HookEntry<StageHandlers<X>[S], X>;
} & {
  EXECUTE?: ExecuteHook<X>;
  onChunk?: HookEntry<ChunkHook<X>, X>;
} & { [H in HostHookName]?: HostHandlers[H] };

/** Every hook name a plugin may declare. @public */
export type PipelineHookName = keyof PipelineHooks;
