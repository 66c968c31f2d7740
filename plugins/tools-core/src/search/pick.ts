import type { ToolsCoreConfig } from '../config.js';
import { braveProvider } from './brave.js';
import { duckduckgoProvider } from './duckduckgo.js';
import { tavilyProvider } from './tavily.js';
import type { SearchProvider } from './types.js';

export type ProviderPick = { provider: SearchProvider } | { provider: undefined; reason: string };

/**
 * The search backend: the one named by config (`search.provider`) or `SEARCH_PROVIDER`,
 * else the first usable of Tavily, Brave (each needs a key) and DuckDuckGo.
 */
export function pickSearchProvider(config: ToolsCoreConfig, env: Readonly<Record<string, string | undefined>>): ProviderPick {
  const search = config.search;
  const braveKey = search.brave.apiKey || env.BRAVE_API_KEY || undefined;
  const tavilyKey = search.tavily.apiKey || env.TAVILY_API_KEY || undefined;
  const build = {
    tavily: () => (tavilyKey ? tavilyProvider({ ...search.tavily, apiKey: tavilyKey }) : undefined),
    brave: () => (braveKey ? braveProvider({ ...search.brave, apiKey: braveKey }) : undefined),
    duckduckgo: () => (search.duckduckgo.enabled ? duckduckgoProvider({ baseUrl: search.duckduckgo.baseUrl, userAgent: config.fetch.userAgent }) : undefined),
  };
  const fromEnv = env.SEARCH_PROVIDER?.trim().toLowerCase();
  const wanted = search.provider !== 'auto' ? search.provider : fromEnv && fromEnv in build ? (fromEnv as keyof typeof build) : undefined;
  if (wanted) {
    const provider = build[wanted]();
    if (provider) return { provider };
    const hint = wanted === 'brave' ? 'set BRAVE_API_KEY' : wanted === 'tavily' ? 'set TAVILY_API_KEY' : 'enable search.duckduckgo';
    return { provider: undefined, reason: `search provider '${wanted}' is not usable: ${hint}` };
  }
  const provider = build.tavily() ?? build.brave() ?? build.duckduckgo();
  return provider ? { provider } : { provider: undefined, reason: 'no search provider is usable: set TAVILY_API_KEY or BRAVE_API_KEY, or enable DuckDuckGo' };
}
