import type { BotRegistry, ContributionIndex, EventBus, LlmCaller, TurnContext } from '@llm-bawt/sdk';
import type { ProfileService } from '@llm-bawt/plugin-memory-profile';
import type { Store } from '@llm-bawt/plugin-store-postgres';
import { sqlOf } from './db.js';
import type { ExtractorDeps } from './extraction/extract.js';
import { semanticRef } from './refs.js';
import { findByPrefix } from './repository.js';

/** The plugin's resolved dependencies (its `requires` and `optional`). */
export interface SemanticDeps {
  readonly store: Store;
  readonly contributions: ContributionIndex;
  readonly bots: BotRegistry;
  readonly llm: LlmCaller | undefined;
  readonly profile: ProfileService | undefined;
  readonly bus: EventBus | undefined;
}

/** What the layer's hooks reach through their context. */
export function refsOf(ctx: TurnContext): { bus: EventBus | undefined; extractor(): ExtractorDeps } {
  const deps = (ctx as TurnContext & { deps: SemanticDeps }).deps;
  return {
    bus: deps.bus,
    extractor: () => ({
      service: ctx.get(semanticRef),
      findByPrefix: (scope, prefix) => findByPrefix(sqlOf(deps.store), scope, prefix),
      llm: deps.llm,
      profiles: deps.profile,
      logger: ctx.logger,
    }),
  };
}
