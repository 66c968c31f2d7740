import 'reflect-metadata';
import { container as tsyringeRoot, instancePerContainerCachingFactory, type DependencyContainer } from 'tsyringe';
import { createError, type AnyRef, type BotConfig, type Disposer, type RefValue, type ScopeInfo } from '@llm-bawt/sdk';

type Factory = (scope: ScopeInfo) => unknown;
const SCOPE_KEY = Symbol.for('llm-bawt:core.scopeInfo');

interface RequestScopeInfo extends ScopeInfo {
  disposers: Disposer[];
}

function disposerOf(value: unknown): Disposer | undefined {
  const dispose = (value as { dispose?: unknown } | null)?.dispose;
  return typeof dispose === 'function' ? () => (dispose as () => void).call(value) : undefined;
}

/** Resolves a ref from a container: an array for multi refs, undefined when optional and absent. */
export function resolveRef<R extends AnyRef>(container: DependencyContainer, ref: R, optional = false): RefValue<R> {
  if (ref.multi) return (container.isRegistered(ref.key, true) ? container.resolveAll(ref.key) : []) as RefValue<R>;
  if (!container.isRegistered(ref.key, true)) {
    if (optional) return undefined as RefValue<R>;
    throw createError('LLMB_ERR_PLUGIN_DEPENDENCY', `nothing provides ref '${ref.id}' in this scope`);
  }
  return container.resolve(ref.key) as RefValue<R>;
}

/**
 * The host's containers: one root (a child of tsyringe's global container, which we never
 * register into), one child per bot, one child per request. Registration is by explicit
 * token and factory only.
 */
export class Scopes {
  readonly root: DependencyContainer = tsyringeRoot.createChildContainer();
  readonly #botFactories: { ref: AnyRef; factory: Factory }[] = [];
  readonly #bots = new Map<string, { container: DependencyContainer; disposers: Disposer[] }>();

  provideValue(ref: AnyRef, value: unknown): void {
    this.root.register(ref.key, { useValue: value });
  }

  /** Bot factories run when each bot starts; request factories on first use in a request. */
  provideFactory(ref: AnyRef, factory: Factory): void {
    if (ref.scope === 'bot') {
      this.#botFactories.push({ ref, factory });
      return;
    }
    this.root.register(ref.key, {
      useFactory: instancePerContainerCachingFactory((c) => {
        if (!c.isRegistered(SCOPE_KEY)) {
          throw createError('LLMB_ERR_PLUGIN_SCOPE', `request-scoped ref '${ref.id}' was used outside a request`);
        }
        const info = c.resolve<RequestScopeInfo>(SCOPE_KEY);
        const value = factory(info);
        const dispose = disposerOf(value);
        if (dispose) info.disposers.push(dispose);
        return value;
      }),
    });
  }

  async startBot(bot: BotConfig): Promise<DependencyContainer> {
    const container = this.root.createChildContainer();
    const disposers: Disposer[] = [];
    for (const { ref, factory } of this.#botFactories) {
      const value = await factory({ scope: 'bot', bot });
      container.register(ref.key, { useValue: value });
      const dispose = disposerOf(value);
      if (dispose) disposers.push(dispose);
    }
    this.#bots.set(bot.slug, { container, disposers });
    return container;
  }

  async stopBot(slug: string): Promise<void> {
    const entry = this.#bots.get(slug);
    if (!entry) return;
    this.#bots.delete(slug);
    for (const dispose of entry.disposers.reverse()) await dispose();
  }

  botContainer(slug: string): DependencyContainer {
    const entry = this.#bots.get(slug);
    if (!entry) throw createError('LLMB_ERR_UNKNOWN_BOT', `bot '${slug}' is not running`);
    return entry.container;
  }

  /** A fresh request container under the bot's; `dispose` releases what it created. */
  openRequest(bot: BotConfig, requestId: string): { container: DependencyContainer; dispose: () => Promise<void> } {
    const container = this.botContainer(bot.slug).createChildContainer();
    const info: RequestScopeInfo = { scope: 'request', bot, requestId, disposers: [] };
    container.register(SCOPE_KEY, { useValue: info });
    return {
      container,
      dispose: async () => {
        for (const dispose of info.disposers.reverse()) await dispose();
        info.disposers.length = 0;
      },
    };
  }
}
