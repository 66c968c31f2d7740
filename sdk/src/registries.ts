import type { BotConfig, ModelSpec } from './config-types.js';

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

/** The in-process event bus; bus-redis swaps in a Redis-backed one. @public */
export interface EventBus {
  publish(topic: string, payload: unknown): void;
  subscribe(topic: string, listener: (payload: unknown) => void): () => void;
}
