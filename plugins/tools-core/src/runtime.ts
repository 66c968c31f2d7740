import { createRef } from '@llm-bawt/sdk';
import type { ToolsCoreConfig } from './config.js';
import type { Resolver } from './fetch/address-policy.js';
import { createWebFetcher, type WebFetcher } from './fetch/web-fetcher.js';
import { pickSearchProvider, type ProviderPick } from './search/pick.js';

/** What the tools of tools-core share: the host's config and environment, read once at setup. */
export interface ToolsCoreRuntime {
  readonly search: ProviderPick;
  readonly searchDefaults: { maxResults: number; timeoutMs: number };
  readonly fetcher: WebFetcher;
}

/** tools-core's runtime; tools read it with `ctx.get(toolsCoreRef)`. @public */
export const toolsCoreRef = createRef<ToolsCoreRuntime>({ id: 'tools-core.runtime' });

export function createToolsCoreRuntime(config: ToolsCoreConfig, env: Readonly<Record<string, string | undefined>>, resolve?: Resolver): ToolsCoreRuntime {
  return {
    search: pickSearchProvider(config, env),
    searchDefaults: { maxResults: config.search.maxResults, timeoutMs: config.search.timeoutMs },
    fetcher: createWebFetcher(config.fetch, resolve),
  };
}
