import * as v from 'valibot';
import { coreRefs, createError } from '@llm-bawt/sdk';
import { semanticRef, type MemoryView, type ScoredMemoryView } from '../services.js';
import { DESTROY, describe, fraction, int, mcpTool, READ, scopeOf, tags, text, uuid, WRITE } from './define.js';

const round = (n: number) => Math.round(n * 1000) / 1000;
const memoryId = describe(v.pipe(text(36), v.minLength(8, 'must be at least 8 characters')), 'A memory id, or a unique prefix of at least 8 characters');

export const memoryJson = (m: MemoryView) => ({
  id: m.id,
  bot_id: m.botId,
  content: m.content,
  tags: m.tags,
  importance: m.importance,
  status: m.status,
  access_count: m.accessCount,
  has_embedding: m.hasEmbedding,
  superseded_by: m.supersededBy,
  created_at: m.createdAt,
  updated_at: m.updatedAt,
});
const scoredJson = (m: ScoredMemoryView) => ({
  id: m.id,
  bot_id: m.botId,
  content: m.content,
  tags: m.tags,
  importance: m.importance,
  access_count: m.accessCount,
  created_at: m.createdAt,
  score: round(m.score),
  similarity: round(m.similarity),
  via: m.via,
});

const semantic = (ctx: Parameters<typeof scopeOf>[0]) => ctx.get(semanticRef);
const opts = { memory: true };

export const memoryTools = [
  mcpTool(
    'memory',
    [semanticRef],
    {
      name: 'memory_store',
      description: 'Stores a lasting fact about the user in the bot\'s long-term memory (merged into a near-duplicate when one exists). Write it in the third person: "User ...".',
      input: v.object({
        content: describe(text(4000), 'The fact to remember'),
        tags: v.optional(tags),
        importance: v.optional(describe(fraction, '0-1, default 0.5; 0.9 and above are core facts'), 0.5),
        source_message_ids: v.optional(v.pipe(v.array(uuid), v.maxLength(50, 'must hold at most 50 ids'))),
      }),
      annotations: WRITE,
      async run(input, ctx) {
        const result = await semantic(ctx).store(
          scopeOf(ctx),
          { content: input.content, importance: input.importance, ...(input.tags ? { tags: input.tags } : {}), ...(input.source_message_ids ? { sourceMessageIds: input.source_message_ids } : {}) },
          { signal: ctx.signal },
        );
        return { action: result.action, memory: memoryJson(result.memory), ...(result.similarity !== undefined ? { similarity: round(result.similarity) } : {}) };
      },
    },
    opts,
  ),
  mcpTool(
    'memory',
    [semanticRef],
    {
      name: 'memory_search',
      description: "Searches the bot's memories about the user by meaning (vectors) or, without an embedder, by words; scored by relevance, importance, recency and use.",
      input: v.object({
        query: describe(text(2000), 'What to look for'),
        n_results: v.optional(int(1, 100), 10),
        min_relevance: v.optional(fraction),
        min_importance: v.optional(fraction),
        tags: v.optional(tags),
      }),
      annotations: READ,
      async run(input, ctx) {
        const { method, results } = await semantic(ctx).search(scopeOf(ctx), input.query, {
          limit: input.n_results,
          ...(input.min_relevance !== undefined ? { minRelevance: input.min_relevance } : {}),
          ...(input.min_importance !== undefined ? { minImportance: input.min_importance } : {}),
          ...(input.tags ? { tags: input.tags } : {}),
          signal: ctx.signal,
        });
        return { method, count: results.length, memories: results.map(scoredJson) };
      },
    },
    opts,
  ),
  mcpTool(
    'memory',
    [semanticRef],
    {
      name: 'memory_search_all',
      description:
        "Searches one user's memories across several bots at once (default: every bot that keeps memory). Only the named user's memories are searched; turn it off with crossBotSearch: false.",
      input: v.object({
        query: describe(text(2000), 'What to look for'),
        bot_ids: v.optional(describe(v.pipe(v.array(text(100)), v.minLength(1), v.maxLength(50)), 'Bots to search (default: all with memory)')),
        n_results: v.optional(int(1, 100), 10),
      }),
      annotations: READ,
      async run(input, ctx) {
        const bots = ctx.get(coreRefs.bots);
        const botIds = input.bot_ids ?? bots.list().filter((bot) => bot.requires_memory).map((bot) => bot.slug);
        for (const [index, id] of botIds.entries()) {
          if (!bots.get(id)) throw createError('LLMB_ERR_UNKNOWN_BOT', `The bot '${id}' does not exist`, { param: `bot_ids.${index}` });
        }
        const results = await semantic(ctx).searchAll(input.query, { botIds, userId: ctx.userId, limit: input.n_results, signal: ctx.signal });
        return { bots: botIds, count: results.length, memories: results.map(scoredJson) };
      },
    },
    opts,
  ),
  mcpTool(
    'memory',
    [semanticRef],
    {
      name: 'memory_get',
      description: 'One memory by id (or unique prefix), whatever its status, with its supersede chain.',
      input: v.object({ memory_id: memoryId }),
      annotations: READ,
      async run(input, ctx) {
        const memory = await semantic(ctx).get(scopeOf(ctx), input.memory_id);
        if (!memory) throw createError('LLMB_ERR_NOT_FOUND', `no memory '${input.memory_id}' for this bot and user`, { param: 'memory_id' });
        const chain = await semantic(ctx).chain(scopeOf(ctx), memory.id);
        return { memory: memoryJson(memory), chain: chain.map((m) => ({ id: m.id, depth: m.depth, status: m.status, content: m.content })) };
      },
    },
    opts,
  ),
  mcpTool(
    'memory',
    [semanticRef],
    {
      name: 'memory_update',
      description: 'Changes a memory: new content supersedes it with a new memory (the old one stays in the chain); tags and importance change in place.',
      input: v.object({ memory_id: memoryId, content: v.optional(text(4000)), tags: v.optional(tags), importance: v.optional(fraction) }),
      annotations: WRITE,
      async run(input, ctx) {
        if (input.content === undefined && input.tags === undefined && input.importance === undefined) {
          throw createError('LLMB_ERR_INVALID_REQUEST', 'memory_update needs content, tags or importance');
        }
        const result = await semantic(ctx).update(scopeOf(ctx), input.memory_id, {
          ...(input.content !== undefined ? { content: input.content } : {}),
          ...(input.tags ? { tags: input.tags } : {}),
          ...(input.importance !== undefined ? { importance: input.importance } : {}),
        });
        return { memory: memoryJson(result.memory), ...(result.superseded ? { superseded: result.superseded.id } : {}) };
      },
    },
    opts,
  ),
  mcpTool(
    'memory',
    [semanticRef],
    {
      name: 'memory_delete',
      description: 'Retires a memory: it is no longer recalled, but stays readable in its chain.',
      input: v.object({ memory_id: memoryId }),
      annotations: DESTROY,
      async run(input, ctx) {
        const retired = await semantic(ctx).delete(scopeOf(ctx), input.memory_id);
        return { deleted: retired.id, status: retired.status };
      },
    },
    opts,
  ),
  mcpTool(
    'memory',
    [semanticRef],
    {
      name: 'memory_supersede',
      description: 'Replaces a memory with another active memory (new_memory_id) or with new content; the old one is marked superseded by it.',
      input: v.pipe(
        v.object({ memory_id: memoryId, new_memory_id: v.optional(memoryId), content: v.optional(text(4000)), tags: v.optional(tags), importance: v.optional(fraction) }),
        v.forward(
          v.check((input) => (input.new_memory_id === undefined) !== (input.content === undefined), 'send exactly one of new_memory_id or content'),
          ['new_memory_id'],
        ),
      ),
      annotations: DESTROY,
      async run(input, ctx) {
        const replacement = input.new_memory_id
          ? { memoryId: input.new_memory_id }
          : { content: input.content as string, ...(input.tags ? { tags: input.tags } : {}), ...(input.importance !== undefined ? { importance: input.importance } : {}) };
        const result = await semantic(ctx).supersede(scopeOf(ctx), input.memory_id, replacement);
        return { superseded: memoryJson(result.superseded), replacement: memoryJson(result.replacement) };
      },
    },
    opts,
  ),
  mcpTool(
    'memory',
    [semanticRef],
    {
      name: 'memory_list_recent',
      description: 'The most recently created memories, newest first.',
      input: v.object({ n: v.optional(int(1, 500), 20), offset: v.optional(int(0, 100_000), 0), include_superseded: v.optional(v.boolean(), false) }),
      annotations: READ,
      async run(input, ctx) {
        const list = await semantic(ctx).listRecent(scopeOf(ctx), { limit: input.n, offset: input.offset, includeSuperseded: input.include_superseded });
        return { count: list.length, memories: list.map(memoryJson) };
      },
    },
    opts,
  ),
  mcpTool(
    'memory',
    [semanticRef],
    {
      name: 'memory_list_high_importance',
      description: 'Active memories at or above an importance, most important first.',
      input: v.object({ limit: v.optional(int(1, 500), 20), min_importance: v.optional(fraction, 0.7) }),
      annotations: READ,
      async run(input, ctx) {
        const list = await semantic(ctx).listHighImportance(scopeOf(ctx), { limit: input.limit, minImportance: input.min_importance });
        return { count: list.length, memories: list.map(memoryJson) };
      },
    },
    opts,
  ),
  mcpTool(
    'memory',
    [semanticRef],
    {
      name: 'memory_consolidate',
      description: 'Merges clusters of near-duplicate memories into one memory that supersedes them. dry_run (the default) only reports the plan.',
      input: v.object({ dry_run: v.optional(v.boolean(), true), limit: v.optional(int(1, 10_000)) }),
      annotations: DESTROY,
      async run(input, ctx) {
        const report = await semantic(ctx).consolidate(scopeOf(ctx), { dryRun: input.dry_run, ...(input.limit ? { limit: input.limit } : {}) });
        return {
          dry_run: report.dryRun,
          considered: report.considered,
          clusters: report.clusters.map((c) => ({ member_ids: c.memberIds, merged: c.merged.content, ...(c.mergedId ? { merged_id: c.mergedId } : {}) })),
        };
      },
    },
    opts,
  ),
  mcpTool(
    'memory',
    [semanticRef],
    {
      name: 'memory_regenerate_embeddings',
      description: 'Embeds memories that have no vector yet (or every memory with all: true), with the loaded embedder.',
      input: v.object({ all: v.optional(v.boolean(), false), batch_size: v.optional(int(1, 1000), 64) }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
      async run(input, ctx) {
        const service = semantic(ctx);
        if (!service.embedderId) throw createError('LLMB_ERR_INVALID_REQUEST', 'no embedder is loaded: add @llm-bawt/plugin-embeddings-local (or -openai) to embed memories');
        const { embedded } = await service.regenerateEmbeddings(scopeOf(ctx), { all: input.all, batchSize: input.batch_size, signal: ctx.signal });
        return { embedded, embedder: service.embedderId };
      },
    },
    opts,
  ),
];

