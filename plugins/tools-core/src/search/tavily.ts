import { checkedJson, type SearchProvider, type SearchResult } from './types.js';

type TavilyHit = { title?: string; url?: string; content?: string; score?: number; published_date?: string };
const TIME_RANGE = { d: 'day', w: 'week', m: 'month', y: 'year' } as const;

/** Tavily search API (bearer key), general and news topics, optionally with its own answer. */
export function tavilyProvider(options: { apiKey: string; baseUrl: string; searchDepth: string; includeAnswer: boolean }): SearchProvider {
  return {
    id: 'tavily',
    async search({ query, type, maxResults, timeRange, signal }) {
      const body: Record<string, unknown> = {
        query,
        max_results: maxResults,
        search_depth: options.searchDepth,
        topic: type === 'news' ? 'news' : 'general',
        include_answer: options.includeAnswer,
      };
      if (timeRange) body.time_range = TIME_RANGE[timeRange];
      const response = await fetch(new URL('/search', options.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
        body: JSON.stringify(body),
        signal,
      });
      const data = (await checkedJson(response, 'tavily')) as { answer?: string | null; results?: TavilyHit[] };
      const results = (data.results ?? []).slice(0, maxResults).flatMap((hit): SearchResult[] =>
        hit.url
          ? [{ title: hit.title ?? hit.url, url: hit.url, snippet: (hit.content ?? '').trim(), source: 'tavily', ...(typeof hit.score === 'number' ? { score: hit.score } : {}), ...(hit.published_date ? { published: hit.published_date } : {}) }]
          : [],
      );
      return typeof data.answer === 'string' && data.answer !== '' ? { results, answer: data.answer } : { results };
    },
  };
}
