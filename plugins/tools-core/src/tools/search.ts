import * as v from 'valibot';
import { defineTool } from '@llm-bawt/sdk';
import { toolsCoreRef } from '../runtime.js';
import type { SearchAnswer } from '../search/types.js';

function format(query: string, type: string, provider: string, answer: SearchAnswer): string {
  if (answer.results.length === 0 && !answer.answer) return `No ${type} results for "${query}" (${provider}).`;
  const lines = [`${type === 'news' ? 'News' : 'Web'} results for "${query}" (${provider}):`];
  if (answer.answer) lines.push(`Answer: ${answer.answer}`);
  answer.results.forEach((hit, i) => {
    lines.push(`${i + 1}. ${hit.title}${hit.published ? ` (${hit.published})` : ''}`, `   ${hit.url}`);
    if (hit.snippet) lines.push(`   ${hit.snippet}`);
  });
  return lines.join('\n');
}

/** Web and news search through DuckDuckGo, Brave or Tavily. @public */
export const searchTool = defineTool({
  name: 'search',
  description: 'Searches the web (type "web") or recent news (type "news") and returns titles, URLs and snippets. Use web_fetch to read a result.',
  input: v.object({
    query: v.pipe(v.string(), v.trim(), v.minLength(1, 'query must not be empty')),
    type: v.optional(v.picklist(['web', 'news']), 'web'),
    max_results: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20))),
    time_range: v.optional(v.pipe(v.picklist(['d', 'w', 'm', 'y']), v.description('past day, week, month or year'))),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true },
  async run(input, ctx) {
    const runtime = ctx.get(toolsCoreRef);
    if (!runtime.search.provider) throw new Error(runtime.search.reason);
    const provider = runtime.search.provider;
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(runtime.searchDefaults.timeoutMs)]);
    const answer = await provider.search({
      query: input.query,
      type: input.type,
      maxResults: input.max_results ?? runtime.searchDefaults.maxResults,
      ...(input.time_range ? { timeRange: input.time_range } : {}),
      signal,
    });
    return format(input.query, input.type, provider.id, answer);
  },
});
