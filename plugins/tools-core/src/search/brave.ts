import { checkedJson, plainText, type SearchProvider, type SearchResult } from './types.js';

type BraveHit = { title?: string; url?: string; description?: string; age?: string; page_age?: string };
const FRESHNESS = { d: 'pd', w: 'pw', m: 'pm', y: 'py' } as const;

/** Brave Search API (`X-Subscription-Token`), web and news. */
export function braveProvider(options: { apiKey: string; baseUrl: string; safesearch: string }): SearchProvider {
  return {
    id: 'brave',
    async search({ query, type, maxResults, timeRange, signal }) {
      const url = new URL(type === 'news' ? '/res/v1/news/search' : '/res/v1/web/search', options.baseUrl);
      url.searchParams.set('q', query);
      url.searchParams.set('count', String(maxResults));
      url.searchParams.set('safesearch', options.safesearch);
      if (timeRange) url.searchParams.set('freshness', FRESHNESS[timeRange]);
      const response = await fetch(url, { headers: { accept: 'application/json', 'x-subscription-token': options.apiKey }, signal });
      const data = (await checkedJson(response, 'brave')) as { web?: { results?: BraveHit[] }; results?: BraveHit[] };
      const hits = (type === 'news' ? data.results : data.web?.results) ?? [];
      return {
        results: hits.slice(0, maxResults).flatMap((hit): SearchResult[] =>
          hit.url ? [{ title: plainText(hit.title ?? hit.url), url: hit.url, snippet: plainText(hit.description ?? ''), source: 'brave', ...(hit.age || hit.page_age ? { published: (hit.age ?? hit.page_age) as string } : {}) }] : [],
        ),
      };
    },
  };
}
