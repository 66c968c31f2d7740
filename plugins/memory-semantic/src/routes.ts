import * as v from 'valibot';
import { createError, defineRoute, reply } from '@llm-bawt/sdk';
import { contentField, idParam, importanceField, memoryJson, nonEmpty, queryBool, queryInt, queryNumber, scopeFields, scopeOf, scoredJson, tagsField } from './http.js';
import { semanticRef } from './refs.js';

const uuid = v.pipe(v.string('must be a string'), v.uuid('must be a UUID'));

export const listMemoriesRoute = defineRoute({
  method: 'GET',
  path: '/v1/memory',
  summary: "List a user's memories for a bot (newest or most important first)",
  query: v.object({
    ...scopeFields,
    order: v.optional(v.picklist(['recent', 'importance'], "must be 'recent' or 'importance'"), 'importance'),
    limit: v.optional(queryInt(1, 500)),
    offset: v.optional(queryInt(0, 1_000_000)),
    include_superseded: v.optional(queryBool),
  }),
  async handle({ query }, ctx) {
    const scope = scopeOf(query, ctx);
    const memories = ctx.get(semanticRef);
    const page = { limit: query.limit ?? 50, ...(query.offset ? { offset: query.offset } : {}), ...(query.include_superseded ? { includeSuperseded: true } : {}) };
    const data = query.order === 'recent' ? await memories.listRecent(scope, page) : await memories.listHighImportance(scope, { ...page, minImportance: 0 });
    return { object: 'list', data: data.map(memoryJson) };
  },
});

export const searchMemoriesRoute = defineRoute({
  method: 'GET',
  path: '/v1/memory/search',
  summary: "Search a user's memories for a bot, scored as retrieval scores them",
  query: v.object({ ...scopeFields, q: nonEmpty, limit: v.optional(queryInt(1, 50)), min_relevance: v.optional(queryNumber(0, 1)) }),
  async handle({ query, signal }, ctx) {
    const found = await ctx.get(semanticRef).search(scopeOf(query, ctx), query.q, {
      limit: query.limit ?? 10,
      ...(query.min_relevance !== undefined ? { minRelevance: query.min_relevance } : {}),
      signal,
    });
    return { object: 'list', method: found.method, data: found.results.map(scoredJson) };
  },
});

export const storeMemoryRoute = defineRoute({
  method: 'POST',
  path: '/v1/memory',
  summary: 'Store a memory (merged into a near-duplicate when one exists)',
  body: v.object({
    ...scopeFields,
    content: contentField,
    tags: v.optional(tagsField),
    importance: v.optional(importanceField),
    source_message_ids: v.optional(v.pipe(v.array(uuid), v.maxLength(50, 'at most 50 ids'))),
  }),
  async handle({ body, signal }, ctx) {
    const result = await ctx.get(semanticRef).store(
      scopeOf(body, ctx),
      { content: body.content, ...(body.tags ? { tags: body.tags } : {}), ...(body.importance !== undefined ? { importance: body.importance } : {}), ...(body.source_message_ids ? { sourceMessageIds: body.source_message_ids } : {}) },
      { signal },
    );
    return reply(result.action === 'added' ? 201 : 200, { action: result.action, ...(result.similarity !== undefined ? { similarity: result.similarity } : {}), memory: memoryJson(result.memory) });
  },
});

export const getMemoryRoute = defineRoute({
  method: 'GET',
  path: '/v1/memory/:id',
  summary: 'One memory, whatever its status',
  query: v.object(scopeFields),
  async handle({ params, query }, ctx) {
    const id = idParam(params);
    const memory = await ctx.get(semanticRef).get(scopeOf(query, ctx), id);
    if (!memory) throw createError('LLMB_ERR_NOT_FOUND', `no memory '${id}' for this bot and user`, { param: 'id' });
    return memoryJson(memory);
  },
});

export const memoryChainRoute = defineRoute({
  method: 'GET',
  path: '/v1/memory/:id/chain',
  summary: 'The supersede chain through a memory, oldest first',
  query: v.object(scopeFields),
  async handle({ params, query }, ctx) {
    const chain = await ctx.get(semanticRef).chain(scopeOf(query, ctx), idParam(params));
    return { object: 'list', data: chain.map((m) => ({ ...memoryJson(m), depth: m.depth })) };
  },
});

export const updateMemoryRoute = defineRoute({
  method: 'PATCH',
  path: '/v1/memory/:id',
  summary: 'Change a memory: new content supersedes it, tags and importance change in place',
  body: v.object({ ...scopeFields, content: v.optional(contentField), tags: v.optional(tagsField), importance: v.optional(importanceField) }),
  async handle({ params, body }, ctx) {
    const id = idParam(params);
    const scope = scopeOf(body, ctx);
    if (body.content === undefined && body.tags === undefined && body.importance === undefined) {
      throw createError('LLMB_ERR_INVALID_REQUEST', 'Invalid request body: give content, tags or importance', { param: 'content' });
    }
    const result = await ctx.get(semanticRef).update(scope, id, {
      ...(body.content !== undefined ? { content: body.content } : {}),
      ...(body.tags ? { tags: body.tags } : {}),
      ...(body.importance !== undefined ? { importance: body.importance } : {}),
    });
    return { memory: memoryJson(result.memory), ...(result.superseded ? { superseded: memoryJson(result.superseded) } : {}) };
  },
});

export const deleteMemoryRoute = defineRoute({
  method: 'DELETE',
  path: '/v1/memory/:id',
  summary: 'Retire a memory (kept in its chain, left out of retrieval)',
  query: v.object(scopeFields),
  async handle({ params, query }, ctx) {
    const id = idParam(params);
    return { memory: memoryJson(await ctx.get(semanticRef).delete(scopeOf(query, ctx), id)) };
  },
});

export const supersedeMemoryRoute = defineRoute({
  method: 'POST',
  path: '/v1/memory/:id/supersede',
  summary: 'Replace a memory by new content or by another memory',
  body: v.object({ ...scopeFields, content: v.optional(contentField), memory_id: v.optional(uuid), tags: v.optional(tagsField), importance: v.optional(importanceField) }),
  async handle({ params, body }, ctx) {
    const id = idParam(params);
    const scope = scopeOf(body, ctx);
    if ((body.content === undefined) === (body.memory_id === undefined)) {
      throw createError('LLMB_ERR_INVALID_REQUEST', 'Invalid request body: give either content or memory_id', { param: body.content === undefined ? 'content' : 'memory_id' });
    }
    const replacement = body.memory_id
      ? { memoryId: body.memory_id }
      : { content: body.content as string, ...(body.tags ? { tags: body.tags } : {}), ...(body.importance !== undefined ? { importance: body.importance } : {}) };
    const result = await ctx.get(semanticRef).supersede(scope, id, replacement);
    return reply(201, { superseded: memoryJson(result.superseded), replacement: memoryJson(result.replacement) });
  },
});

export const consolidateRoute = defineRoute({
  method: 'POST',
  path: '/v1/memory/consolidate',
  summary: 'Merge clusters of similar memories (dry_run, the default, only plans)',
  body: v.object({ ...scopeFields, dry_run: v.optional(v.boolean('must be true or false'), true), limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(20_000))) }),
  async handle({ body, progress }, ctx) {
    const report = await ctx.get(semanticRef).consolidate(scopeOf(body, ctx), { dryRun: body.dry_run, ...(body.limit ? { limit: body.limit } : {}), onProgress: progress });
    return {
      dry_run: report.dryRun,
      considered: report.considered,
      clusters: report.clusters.map((c) => ({
        member_ids: c.memberIds,
        members: c.members,
        merged: { content: c.merged.content, tags: c.merged.tags, importance: c.merged.importance, source_message_ids: c.merged.sourceMessageIds },
        ...(c.mergedId ? { merged_id: c.mergedId } : {}),
      })),
    };
  },
});

export const decayRoute = defineRoute({
  method: 'POST',
  path: '/v1/memory/decay',
  summary: 'Retire memories whose importance has decayed below the threshold (dry_run, the default, only lists them)',
  body: v.object({ ...scopeFields, dry_run: v.optional(v.boolean('must be true or false'), true), threshold: v.optional(importanceField) }),
  async handle({ body }, ctx) {
    const report = await ctx.get(semanticRef).decay(scopeOf(body, ctx), { dryRun: body.dry_run, ...(body.threshold !== undefined ? { threshold: body.threshold } : {}) });
    return { dry_run: report.dryRun, threshold: report.threshold, retired: report.retired.map((m) => ({ id: m.id, content: m.content, importance: m.importance, age_days: m.ageDays, value: m.value })) };
  },
});

export const regenerateEmbeddingsRoute = defineRoute({
  method: 'POST',
  path: '/v1/memory/regenerate-embeddings',
  summary: "Embed a user's memories that lack a vector (all of them with all: true)",
  body: v.object({ ...scopeFields, all: v.optional(v.boolean('must be true or false'), false) }),
  async handle({ body, signal, progress }, ctx) {
    const memories = ctx.get(semanticRef);
    if (!memories.embedderId) throw createError('LLMB_ERR_PROVIDER_NOT_CONFIGURED', 'no embedder is loaded: add embeddings-local or embeddings-openai to the plugins');
    return { embedder: memories.embedderId, ...(await memories.regenerateEmbeddings(scopeOf(body, ctx), { all: body.all, signal, onProgress: progress })) };
  },
});

/** Every memory route. @public */
export const memoryRoutes = [
  listMemoriesRoute,
  searchMemoriesRoute,
  storeMemoryRoute,
  consolidateRoute,
  decayRoute,
  regenerateEmbeddingsRoute,
  getMemoryRoute,
  memoryChainRoute,
  updateMemoryRoute,
  deleteMemoryRoute,
  supersedeMemoryRoute,
];
