import * as v from 'valibot';
import { defineTool } from '@llm-bawt/sdk';
import { toolsCoreRef } from '../runtime.js';

/** Reads a web page as markdown; private and internal addresses are refused. @public */
export const webFetchTool = defineTool({
  name: 'web_fetch',
  description: 'Fetches a public web page (http or https) and returns its text as markdown. Copy the URL exactly.',
  input: v.object({
    url: v.pipe(v.string(), v.trim(), v.minLength(1, 'url must not be empty')),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true },
  async run({ url }, ctx) {
    const page = await ctx.get(toolsCoreRef).fetcher.fetch(url, ctx.signal);
    const head = [page.title ? `# ${page.title}` : '', `Source: ${page.url}`].filter((line) => line !== '').join('\n');
    return `${head}\n\n${page.content}${page.truncated ? '\n\n[The page was cut here: it is longer than the fetch limit.]' : ''}`;
  },
});
