import type { DependencyContainer } from 'tsyringe';
import type { AnyRef, RuntimeSettingsSource, BotConfig, Decisions, Logger, ModelSpec, RefValue, Stage, TurnContext, TurnRequest } from '@llm-bawt/sdk';
import { resolveRef } from '../container.js';

/** The mutable state of one turn; hooks see it through the TurnContext interface. */
export class TurnState implements TurnContext {
  model: ModelSpec | undefined = undefined;
  request: TurnRequest;
  readonly timings: Partial<Record<Stage, number>> = {};
  readonly outputs: Partial<Record<Stage, unknown>> = {};
  readonly state = new Map<string | symbol, unknown>();
  stage: Stage = 'PRE_PROCESS';
  /** The turn's signal; POST_PROCESS swaps in a fresh one so a client abort cannot cancel persistence. */
  signal: AbortSignal;
  readonly #hookContexts = new Map<string, TurnContext>();

  constructor(
    readonly requestId: string,
    readonly bot: BotConfig,
    request: TurnRequest,
    readonly decisions: Decisions,
    readonly controller: AbortController,
    readonly logger: Logger,
    readonly container: DependencyContainer,
    readonly globalSettings: Readonly<Record<string, unknown>>,
    readonly settingsSource: RuntimeSettingsSource | undefined,
    readonly pluginContext: (pluginId: string, turn: TurnState) => { deps: unknown; config: unknown },
  ) {
    this.request = request;
    this.signal = controller.signal;
  }

  /** Cancels the turn's work (upstream requests included). */
  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  get<R extends AnyRef>(ref: R): RefValue<R> {
    return resolveRef(this.container, ref);
  }

  setting<T>(key: string, fallback: T): T {
    const rows = this.settingsSource;
    const value =
      this.request.settings[key] ??
      rows?.get({ type: 'bot', id: this.bot.slug }, key) ??
      this.bot.settings[key] ??
      rows?.get({ type: 'global' }, key) ??
      this.globalSettings[key];
    return value === undefined ? fallback : (value as T);
  }

  note(key: string, value: unknown): void {
    const current = (this.outputs[this.stage] ?? {}) as Record<string, unknown>;
    current[key] = value;
    this.outputs[this.stage] = current;
  }

  /** The context one plugin's hooks receive: this turn plus the plugin's deps and per-bot config. */
  forPlugin(pluginId: string): TurnContext {
    let ctx = this.#hookContexts.get(pluginId);
    if (!ctx) {
      const extra = this.pluginContext(pluginId, this);
      ctx = Object.create(this, {
        deps: { value: extra.deps, enumerable: true },
        config: { value: extra.config, enumerable: true },
      }) as TurnContext;
      this.#hookContexts.set(pluginId, ctx);
    }
    return ctx;
  }
}
