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
  /** Adds or replaces an alias at runtime (database rows override models.yaml). */
  upsert(spec: ModelSpec): void;
  /** Removes an alias at runtime; true when it existed. */
  remove(alias: string): boolean;
}

/** The configured bots (bots.yaml; the database wins once storage is on). @public */
export interface BotRegistry {
  list(): BotConfig[];
  get(slug: string): BotConfig | undefined;
  defaultSlug(): string;
  /** Adds or replaces a bot at runtime: a new bot's scope starts (`bot:start`), a changed one restarts. */
  upsert(bot: BotConfig): Promise<void>;
  /** Removes a bot at runtime (`bot:stop`); true when it existed. */
  remove(slug: string): Promise<boolean>;
}

/** Where a runtime setting is stored: for every bot, or for one. @public */
export type SettingScope = { type: 'global' } | { type: 'bot'; id: string };

/**
 * Runtime settings kept outside the config files (the `runtime_settings` table). Read on every
 * turn, so `get` is synchronous: implementations keep a cache. @public
 */
export interface RuntimeSettingsSource {
  get(scope: SettingScope, key: string): unknown;
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
