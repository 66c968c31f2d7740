import * as v from 'valibot';
import providerOpenai from '@llm-bawt/plugin-provider-openai';
import { coreRefs, definePlugin, defineTool, type AnyPlugin, type BotConfig, type ModelSpec } from '@llm-bawt/sdk';
import { createTestHost, type ScriptedUpstream, type TestHost } from '@llm-bawt/sdk/testing';

/** A `memory`-like tool plugin that keeps facts in a Map, keyed by bot and user. */
const key = (bot: string, user: string) => `${bot}/${user}`;

export function notesPlugin() {
  const facts = new Map<string, string[]>();
  const memory = defineTool({
    name: 'memory',
    description: 'Stores or searches long-term facts about the user.',
    input: v.object({
      action: v.picklist(['store', 'search']),
      content: v.optional(v.string()),
      query: v.optional(v.string()),
      n_results: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 5),
    }),
    run(input, ctx) {
      const list = facts.get(key(ctx.bot.slug, ctx.userId)) ?? [];
      if (input.action === 'store') {
        if (!input.content) throw new Error('store needs content');
        list.push(input.content);
        facts.set(key(ctx.bot.slug, ctx.userId), list);
        return { stored: input.content, count: list.length };
      }
      const query = (input.query ?? '').toLowerCase();
      return list.filter((fact) => fact.toLowerCase().includes(query)).slice(0, input.n_results);
    },
  });
  const clock = defineTool({
    name: 'clock',
    description: 'Tells the time.',
    input: v.object({}),
    run: () => '12:00',
  });
  const slow = defineTool({
    name: 'slow',
    description: 'Takes its time.',
    input: v.object({ ms: v.number() }),
    run: ({ ms }, ctx) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve('finally'), ms);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('aborted'));
        });
      }),
  });
  const search = defineTool({
    name: 'search',
    description: 'Searches the web.',
    input: v.object({ query: v.string(), max_results: v.optional(v.number(), 5) }),
    run: ({ query, max_results }) => [{ title: `About ${query}`, url: 'https://example.com', n: max_results }],
  });
  const whoami = defineTool({
    name: 'whoami',
    description: 'Names the model answering.',
    input: v.object({}),
    run: (_input, ctx) => `${ctx.turn?.model?.alias ?? '?'} for ${ctx.userId} (${ctx.get(coreRefs.models).list().length} models)`,
  });
  const plugin = definePlugin({
    id: 'notes-test',
    version: '0.1.0',
    sdk: '^0.1.0',
    contributes: { tools: [memory, clock, slow, search, whoami] },
  });
  return { plugin, facts };
}

export const BOTS: (Partial<BotConfig> & { slug: string })[] = [
  { slug: 'nova', requires_memory: true, uses_tools: true, uses_search: true },
  { slug: 'plain', uses_tools: false },
  { slug: 'rememberer', requires_memory: true, uses_tools: false },
  { slug: 'toolsonly', uses_tools: true },
  { slug: 'narrow', requires_memory: true, uses_tools: true, uses_search: true, settings: { tools: ['clock'] } },
];

export function models(up: ScriptedUpstream): ModelSpec[] {
  return [
    { alias: 'native', provider: 'openai-compatible', model: 'native-model', base_url: up.openaiBaseUrl },
    { alias: 'react', provider: 'openai-compatible', model: 'react-model', base_url: up.openaiBaseUrl, tool_support: 'react' },
    { alias: 'none', provider: 'openai-compatible', model: 'no-tools', base_url: up.openaiBaseUrl, tool_support: 'none' },
  ];
}

/** A test host with provider-openai, the notes tools and the test bots. */
export async function toolHost(up: ScriptedUpstream, options: { plugins?: AnyPlugin[]; settings?: Record<string, unknown>; transports?: boolean } = {}) {
  const notes = notesPlugin();
  const host: TestHost = await createTestHost({
    plugins: [providerOpenai, notes.plugin, ...(options.plugins ?? [])],
    bots: BOTS,
    models: models(up),
    defaultModel: 'native',
    settings: { upstream_max_retries: 0, ...options.settings },
    ...(options.transports ? { transports: true, listen: { port: 0 } } : {}),
  });
  return { host, notes };
}

/** The messages the upstream received in its i-th request. */
export function sent(up: ScriptedUpstream, i: number): any[] {
  return up.requests[i]?.body.messages ?? [];
}
