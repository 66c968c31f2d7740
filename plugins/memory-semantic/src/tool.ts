import * as v from 'valibot';
import { defineTool } from '@llm-bawt/sdk';
import { semanticRef } from './refs.js';
import type { Memory, ScoredMemory } from './types.js';

const round = (n: number) => Math.round(n * 1000) / 1000;
const brief = (m: Pick<Memory, 'id' | 'content' | 'tags' | 'importance' | 'createdAt'>) => ({ id: m.id, content: m.content, tags: m.tags, importance: m.importance, created_at: m.createdAt });

/** `memory`: long-term facts about the user, for the model to search and keep (reference §6.1). @public */
export const memoryTool = defineTool({
  name: 'memory',
  description:
    'Long-term memory about the user you are talking to. "search" finds remembered facts (query); "store" keeps a new lasting fact ' +
    '(content, in the third person: "User ..."); "update" replaces a fact (memory_id, content); "delete" forgets one (memory_id).',
  input: v.object({
    action: v.picklist(['search', 'store', 'update', 'delete']),
    query: v.optional(v.pipe(v.string(), v.maxLength(1000))),
    content: v.optional(v.pipe(v.string(), v.maxLength(2000))),
    memory_id: v.optional(v.pipe(v.string(), v.minLength(8), v.maxLength(36))),
    n_results: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20)), 5),
    importance: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0.6),
    tags: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(32))), v.maxLength(10))),
  }),
  async run(input, ctx) {
    if (!ctx.bot.requires_memory) throw new Error(`bot '${ctx.bot.slug}' keeps no memory (requires_memory: false)`);
    const memories = ctx.get(semanticRef);
    const scope = { botId: ctx.bot.slug, userId: ctx.userId };
    switch (input.action) {
      case 'search': {
        if (!input.query?.trim()) throw new Error('search needs a query');
        const { results } = await memories.search(scope, input.query, { limit: input.n_results, touch: true, signal: ctx.signal });
        return { count: results.length, memories: results.map((m: ScoredMemory) => ({ ...brief(m), score: round(m.score) })) };
      }
      case 'store': {
        if (!input.content?.trim()) throw new Error('store needs content');
        const turnMeta = ctx.turn?.request.metadata ?? {};
        const sources = typeof turnMeta.user_message_id === 'string' ? [turnMeta.user_message_id] : [];
        const result = await memories.store(scope, { content: input.content, importance: input.importance, ...(input.tags ? { tags: input.tags } : {}), sourceMessageIds: sources }, { signal: ctx.signal });
        return { [result.action === 'added' ? 'stored' : 'merged_into']: brief(result.memory) };
      }
      case 'update': {
        if (!input.memory_id) throw new Error('update needs memory_id');
        if (!input.content?.trim() && !input.tags) throw new Error('update needs content (or tags)');
        const result = await memories.update(scope, input.memory_id, { ...(input.content?.trim() ? { content: input.content } : {}), ...(input.tags ? { tags: input.tags } : {}) });
        return { updated: brief(result.memory), ...(result.superseded ? { superseded: result.superseded.id } : {}) };
      }
      case 'delete': {
        if (!input.memory_id) throw new Error('delete needs memory_id');
        const retired = await memories.delete(scope, input.memory_id);
        return { deleted: retired.id };
      }
    }
  },
});
