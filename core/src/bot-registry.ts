import { createError, type BotConfig, type BotRegistry } from '@llm-bawt/sdk';

/** What the host does when the set of bots changes after boot. */
export interface BotLifecycle {
  start(bot: BotConfig): Promise<void>;
  stop(bot: BotConfig): Promise<void>;
}

/**
 * The bots a host serves. Seeded from bots.yaml; a storage plugin replaces entries with
 * database rows and edits them at runtime. Once the host has started its bots, adding,
 * changing or removing one starts or stops its scope.
 */
export class LiveBotRegistry implements BotRegistry {
  readonly #bots: Map<string, BotConfig>;
  readonly #preferredDefault: string | undefined;
  #lifecycle: BotLifecycle | undefined;

  constructor(bots: BotConfig[], preferredDefault?: string) {
    this.#bots = new Map(bots.map((bot) => [bot.slug, Object.freeze({ ...bot })]));
    this.#preferredDefault = preferredDefault;
  }

  /** Called by the host once every bot has started. */
  attach(lifecycle: BotLifecycle): void {
    this.#lifecycle = lifecycle;
  }

  list(): BotConfig[] {
    return [...this.#bots.values()];
  }

  get(slug: string): BotConfig | undefined {
    return this.#bots.get(slug);
  }

  defaultSlug(): string {
    if (this.#preferredDefault && this.#bots.has(this.#preferredDefault)) return this.#preferredDefault;
    const first = this.#bots.keys().next();
    if (first.done) throw createError('LLMB_ERR_CONFIG', 'no bots are configured');
    return first.value;
  }

  async upsert(bot: BotConfig): Promise<void> {
    const previous = this.#bots.get(bot.slug);
    const next = Object.freeze({ ...bot });
    this.#bots.set(bot.slug, next);
    if (!this.#lifecycle) return;
    if (previous) await this.#lifecycle.stop(previous);
    await this.#lifecycle.start(next);
  }

  async remove(slug: string): Promise<boolean> {
    const previous = this.#bots.get(slug);
    if (!previous) return false;
    this.#bots.delete(slug);
    if (this.#lifecycle) await this.#lifecycle.stop(previous);
    return true;
  }
}
