import * as v from 'valibot';
import { createError, defineRoute, reply, routeScope, scopeFields, type RouteContext } from '@llm-bawt/sdk';
import type { HistoryScope, StoredMessage } from '@llm-bawt/plugin-memory-history';
import { summariesRef } from './refs.js';
import type { Summary } from './types.js';

const nonEmpty = v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'));
const scopeQuery = v.object(scopeFields);
const scopeOf: (input: { bot_id?: string | undefined; user?: string | undefined }, ctx: RouteContext) => HistoryScope = routeScope;

export const summaryJson = (s: Summary) => ({
  id: s.id,
  object: 'history.summary',
  bot_id: s.botId,
  user_id: s.userId,
  session_id: s.sessionId,
  content: s.content,
  method: s.method,
  model: s.model,
  tokens: s.tokens,
  message_count: s.messageCount,
  message_ids: s.messageIds,
  period_start: s.periodStart.toISOString(),
  period_end: s.periodEnd.toISOString(),
  created_at: s.createdAt.toISOString(),
});

const messageJson = (m: StoredMessage) => ({ id: m.id, role: m.role, content: m.content, session_id: m.sessionId, created_at: m.createdAt.toISOString() });

const notFound = (id: string) => createError('LLMB_ERR_NOT_FOUND', `No summary '${id}' for this bot and user`, { param: 'id' });

const listSummaries = defineRoute({
  method: 'GET',
  path: '/v1/history/summaries',
  summary: "A user's summaries with a bot, newest first",
  query: v.object({
    ...scopeQuery.entries,
    session_id: v.optional(nonEmpty),
    limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.minValue(1, 'must be >= 1'), v.maxValue(500, 'must be <= 500'))),
  }),
  async handle({ query }, ctx) {
    const summaries = await ctx.get(summariesRef).list(scopeOf(query, ctx), {
      ...(query.session_id ? { sessionId: query.session_id } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
    });
    return { object: 'list', data: summaries.map(summaryJson) };
  },
});

const expandSummary = defineRoute({
  method: 'GET',
  path: '/v1/history/summaries/:id',
  summary: 'A summary expanded back into the messages it covers',
  query: scopeQuery,
  async handle({ params, query }, ctx) {
    const id = params.id as string;
    const expanded = await ctx.get(summariesRef).expand(scopeOf(query, ctx), id);
    if (!expanded) throw notFound(id);
    return { ...summaryJson(expanded.summary), messages: expanded.messages.map(messageJson) };
  },
});

const deleteSummary = defineRoute({
  method: 'DELETE',
  path: '/v1/history/summaries/:id',
  summary: 'Delete a summary; its messages count as unsummarized again',
  query: scopeQuery,
  async handle({ params, query }, ctx) {
    const id = params.id as string;
    if (!(await ctx.get(summariesRef).delete(scopeOf(query, ctx), id))) throw notFound(id);
    return reply(204);
  },
});

/** `/v1/history/summaries` routes. */
export const summariesRoutes = [listSummaries, expandSummary, deleteSummary];
