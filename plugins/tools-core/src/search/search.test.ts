import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as v from 'valibot';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toolsCoreConfig } from '../config.js';
import { pickSearchProvider } from './pick.js';
import type { SearchProvider } from './types.js';

/** Recorded-looking provider payloads, trimmed to the fields the providers read. */
const DDG_HTML = `<!DOCTYPE html><html><body><div id="links" class="results">
<div class="result results_links results_links_deep result--ad"><div class="links_main links_deep result__body">
<h2 class="result__title"><a rel="nofollow" class="result__a" href="https://duckduckgo.com/y.js?ad_domain=ads.example">Buy llamas now</a></h2>
<a class="result__snippet" href="https://duckduckgo.com/y.js?ad">Sponsored</a></div></div>
<div class="result results_links results_links_deep web-result"><div class="links_main links_deep result__body">
<h2 class="result__title"><a rel="nofollow" class="result__a" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fen.wikipedia.org%2Fwiki%2FLlama&amp;rut=abc">Llama - <b>Wikipedia</b></a></h2>
<div class="result__extras"><div class="result__extras__url"><a class="result__url" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fen.wikipedia.org%2Fwiki%2FLlama">en.wikipedia.org/wiki/Llama</a></div></div>
<a class="result__snippet" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fen.wikipedia.org%2Fwiki%2FLlama">The <b>llama</b> (Lama glama) is a domesticated South American camelid &amp; pack animal.</a>
<div class="clear"></div></div></div>
<div class="result results_links results_links_deep web-result"><div class="links_main links_deep result__body">
<h2 class="result__title"><a rel="nofollow" class="result__a" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fwww.nationalgeographic.com%2Fanimals%2Fllama&amp;rut=def">Llama facts</a></h2>
<a class="result__snippet" href="//duckduckgo.com/l/?uddg=x">Llamas are social animals.</a></div></div>
</div></body></html>`;

const BRAVE_WEB = {
  query: { original: 'llamas', more_results_available: true },
  type: 'search',
  web: {
    type: 'search',
    results: [
      { title: 'Llama - Wikipedia', url: 'https://en.wikipedia.org/wiki/Llama', description: 'The <strong>llama</strong> is a domesticated camelid.', age: 'March 3, 2024', language: 'en', family_friendly: true },
      { title: 'Llama facts', url: 'https://www.nationalgeographic.com/animals/llama', description: 'Social animals.', language: 'en' },
    ],
    family_friendly: true,
  },
};
const BRAVE_NEWS = {
  type: 'news',
  results: [{ type: 'news_result', title: 'Llama wins race', url: 'https://news.example/llama', description: 'A llama <strong>won</strong>.', age: '2 hours ago' }],
};
const TAVILY = {
  query: 'llamas',
  answer: 'Llamas are domesticated South American camelids.',
  images: [],
  results: [
    { title: 'Llama - Wikipedia', url: 'https://en.wikipedia.org/wiki/Llama', content: 'The llama is a domesticated South American camelid.', score: 0.98, raw_content: null },
    { title: 'Llama facts', url: 'https://www.nationalgeographic.com/animals/llama', content: 'Llamas are social.', score: 0.81, raw_content: null },
  ],
  response_time: 1.2,
};

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
let seen: Seen[] = [];
let status = 200;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body });
      if (status !== 200) return void res.writeHead(status, { 'content-type': 'application/json' }).end('{"error":"quota exceeded"}');
      if (url.pathname === '/html/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(DDG_HTML);
      if (url.pathname === '/res/v1/web/search') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(BRAVE_WEB));
      if (url.pathname === '/res/v1/news/search') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(BRAVE_NEWS));
      if (url.pathname === '/search') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(TAVILY));
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  status = 200;
});

function pick(config: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  const search = config as { brave?: object; tavily?: object; duckduckgo?: object };
  const parsed = v.parse(toolsCoreConfig, {
    search: { ...config, duckduckgo: { baseUrl: base, ...search.duckduckgo }, brave: { baseUrl: base, ...search.brave }, tavily: { baseUrl: base, ...search.tavily } },
  });
  return pickSearchProvider(parsed, env);
}

function provider(config: Record<string, unknown> = {}, env: Record<string, string> = {}): SearchProvider {
  const picked = pick(config, env);
  if (!picked.provider) throw new Error(picked.reason);
  return picked.provider;
}

const signal = () => AbortSignal.timeout(5_000);

describe('provider pick', () => {
  it('prefers Tavily, then Brave, then DuckDuckGo', () => {
    expect(provider({}, { TAVILY_API_KEY: 't', BRAVE_API_KEY: 'b' }).id).toBe('tavily');
    expect(provider({}, { BRAVE_API_KEY: 'b' }).id).toBe('brave');
    expect(provider({}, {}).id).toBe('duckduckgo');
  });

  it('takes SEARCH_PROVIDER, and config over the environment', () => {
    expect(provider({}, { SEARCH_PROVIDER: 'duckduckgo', BRAVE_API_KEY: 'b' }).id).toBe('duckduckgo');
    expect(provider({ provider: 'brave', brave: { apiKey: 'cfg' } }, { SEARCH_PROVIDER: 'tavily', TAVILY_API_KEY: 't' }).id).toBe('brave');
  });

  it('explains a named provider without its key, and no provider at all', () => {
    expect(pick({ provider: 'brave' })).toEqual({ provider: undefined, reason: "search provider 'brave' is not usable: set BRAVE_API_KEY" });
    expect(pick({ duckduckgo: { enabled: false } })).toMatchObject({ provider: undefined, reason: expect.stringContaining('no search provider') });
  });
});

describe('DuckDuckGo (HTML endpoint, no key)', () => {
  it('posts the query and reads results, skipping ads and unwrapping redirect links', async () => {
    const answer = await provider().search({ query: 'llamas', type: 'web', maxResults: 5, signal: signal() });
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/html/' });
    expect(new URLSearchParams(seen[0]?.body).get('q')).toBe('llamas');
    expect(answer.results).toEqual([
      { title: 'Llama - Wikipedia', url: 'https://en.wikipedia.org/wiki/Llama', snippet: 'The llama (Lama glama) is a domesticated South American camelid & pack animal.', source: 'duckduckgo' },
      { title: 'Llama facts', url: 'https://www.nationalgeographic.com/animals/llama', snippet: 'Llamas are social animals.', source: 'duckduckgo' },
    ]);
  });

  it('limits news to a recent time range and honours maxResults', async () => {
    const answer = await provider().search({ query: 'llamas', type: 'news', maxResults: 1, signal: signal() });
    expect(new URLSearchParams(seen[0]?.body).get('df')).toBe('w');
    expect(answer.results).toHaveLength(1);
  });
});

describe('Brave (key in X-Subscription-Token)', () => {
  it('searches the web with count, safesearch and freshness', async () => {
    const answer = await provider({}, { BRAVE_API_KEY: 'brave-key' }).search({ query: 'llamas', type: 'web', maxResults: 2, timeRange: 'm', signal: signal() });
    expect(seen[0]?.path).toBe('/res/v1/web/search');
    expect(seen[0]?.headers['x-subscription-token']).toBe('brave-key');
    expect(Object.fromEntries(seen[0]?.query ?? [])).toEqual({ q: 'llamas', count: '2', safesearch: 'moderate', freshness: 'pm' });
    expect(answer.results[0]).toEqual({ title: 'Llama - Wikipedia', url: 'https://en.wikipedia.org/wiki/Llama', snippet: 'The llama is a domesticated camelid.', source: 'brave', published: 'March 3, 2024' });
  });

  it('searches news on the news endpoint', async () => {
    const answer = await provider({}, { BRAVE_API_KEY: 'k' }).search({ query: 'llamas', type: 'news', maxResults: 5, signal: signal() });
    expect(seen[0]?.path).toBe('/res/v1/news/search');
    expect(answer.results).toEqual([{ title: 'Llama wins race', url: 'https://news.example/llama', snippet: 'A llama won.', source: 'brave', published: '2 hours ago' }]);
  });

  it('reports an HTTP error with the provider and status', async () => {
    status = 429;
    await expect(provider({}, { BRAVE_API_KEY: 'k' }).search({ query: 'x', type: 'web', maxResults: 5, signal: signal() })).rejects.toThrow(/brave search failed: HTTP 429/);
  });
});

describe('Tavily (bearer key)', () => {
  it('posts topic, depth, time range and answer flag, and returns its answer', async () => {
    const answer = await provider({ tavily: { includeAnswer: true, searchDepth: 'advanced' } }, { TAVILY_API_KEY: 'tv-key' }).search({ query: 'llamas', type: 'news', maxResults: 3, timeRange: 'd', signal: signal() });
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/search' });
    expect(seen[0]?.headers.authorization).toBe('Bearer tv-key');
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({ query: 'llamas', max_results: 3, search_depth: 'advanced', topic: 'news', include_answer: true, time_range: 'day' });
    expect(answer.answer).toBe('Llamas are domesticated South American camelids.');
    expect(answer.results[1]).toEqual({ title: 'Llama facts', url: 'https://www.nationalgeographic.com/animals/llama', snippet: 'Llamas are social.', source: 'tavily', score: 0.81 });
  });
});
