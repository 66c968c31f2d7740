import type { BotConfig, ModelSpec } from './config-types.js';
import type { ChatMessage, Usage } from './messages.js';
import type { GenerationParams } from './turn.js';

/** Whether a model can be used now, and if not, how to fix it. @public */
export type ModelAvailability = { usable: true } | { usable: false; reason: string; hint: string };

/** The configured model aliases (models.yaml, later overridden by database rows). @public */
export interface ModelRegistry {
  list(): ModelSpec[];
  get(alias: string): ModelSpec | undefined;
  availability(alias: string): ModelAvailability;
  /** The alias used when a request and its bot name none, if any. */
  defaultAlias(): string | undefined;
}

/** The configured bots (bots.yaml; the database wins once storage is on). @public */
export interface BotRegistry {
  list(): BotConfig[];
  get(slug: string): BotConfig | undefined;
  defaultSlug(): string;
}

/** One completion for background work (extraction, summaries), off the reply path. @public */
export interface BackgroundCompletion {
  text: string;
  /** The alias that answered. */
  model: string;
  usage?: Usage;
}

/**
 * Calls a model outside a turn, under the host's resilience policy. The model is the one
 * named, else the bot's `background_model` setting, else its default model, else the global
 * default. @public
 */
export interface LlmCaller {
  complete(input: {
    bot?: BotConfig;
    model?: string;
    messages: ChatMessage[];
    params?: GenerationParams;
    signal?: AbortSignal;
  }): Promise<BackgroundCompletion>;
  /** The alias background work for this bot would use, if one is usable. */
  modelFor(bot?: BotConfig): string | undefined;
}

/** The in-process event bus; bus-redis swaps in a Redis-backed one. @public */
export interface EventBus {
  publish(topic: string, payload: unknown): void;
  subscribe(topic: string, listener: (payload: unknown) => void): () => void;
}
