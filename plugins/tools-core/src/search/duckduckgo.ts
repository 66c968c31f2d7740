import { parseHTML } from 'linkedom';
import { plainText, type SearchProvider, type SearchResult } from './types.js';

/** DuckDuckGo wraps result links in a redirect (`//duckduckgo.com/l/?uddg=<url>`). */
function unwrap(href: string): string | undefined {
  try {
    const url = new URL(href, 'https://duckduckgo.com');
    const target = url.searchParams.get('uddg');
    if (target) return target;
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * DuckDuckGo's keyless HTML endpoint. It has no news vertical of its own, so a news search
 * is a web search limited to the time range (a week unless asked otherwise).
 */
export function duckduckgoProvider(options: { baseUrl: string; userAgent: string }): SearchProvider {
  return {
    id: 'duckduckgo',
    async search({ query, type, maxResults, timeRange, signal }) {
      const form = new URLSearchParams({ q: query });
      const range = timeRange ?? (type === 'news' ? 'w' : undefined);
      if (range) form.set('df', range);
      const response = await fetch(new URL('/html/', options.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': options.userAgent, accept: 'text/html' },
        body: form.toString(),
        signal,
      });
      if (!response.ok) throw new Error(`duckduckgo search failed: HTTP ${response.status}`);
      const { document } = parseHTML(await response.text());
      const results: SearchResult[] = [];
      for (const node of document.querySelectorAll('.result')) {
        if (results.length >= maxResults) break;
        if (node.classList.contains('result--ad')) continue;
        const link = node.querySelector('a.result__a');
        const url = unwrap(link?.getAttribute('href') ?? '');
        if (!link || !url) continue;
        const snippet = node.querySelector('.result__snippet')?.innerHTML ?? '';
        results.push({ title: plainText(link.innerHTML), url, snippet: plainText(snippet), source: 'duckduckgo' });
      }
      return { results };
    },
  };
}
