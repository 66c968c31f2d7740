import type { EventBus, Logger } from '@llm-bawt/sdk';

/** The default, in-process event bus; a listener's throw is logged, never spread to others. */
export class LocalEventBus implements EventBus {
  readonly #listeners = new Map<string, Set<(payload: unknown) => void>>();

  constructor(readonly logger: Logger) {}

  publish(topic: string, payload: unknown): void {
    for (const listener of this.#listeners.get(topic) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        this.logger.warn(`event listener on '${topic}' threw: ${(error as Error).message}`);
      }
    }
  }

  subscribe(topic: string, listener: (payload: unknown) => void): () => void {
    const set = this.#listeners.get(topic) ?? new Set();
    set.add(listener);
    this.#listeners.set(topic, set);
    return () => set.delete(listener);
  }
}
