import { createError, defineRoute } from '@llm-bawt/sdk';
import { storeRef } from '../refs.js';
import { turnLogJson } from './json.js';
import { turnLogsQuery } from './schemas.js';

/** `/v1/turn-logs`: what the `turn_log` setting recorded, newest first. */
export const turnLogRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/turn-logs',
    summary: 'List turn logs, newest first (filters bot_id, user_id, status, since, until; limit and cursor)',
    query: turnLogsQuery,
    handle: async ({ query }, ctx) => {
      if (query.since && query.until && query.since >= query.until) {
        throw createError('LLMB_ERR_INVALID_REQUEST', 'until must be later than since', { param: 'until' });
      }
      const page = await ctx.get(storeRef).turnLogs.list({
        ...(query.bot_id ? { botId: query.bot_id } : {}),
        ...(query.user_id ? { userId: query.user_id } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.since ? { since: query.since } : {}),
        ...(query.until ? { until: query.until } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
        limit: query.limit ?? 50,
        summary: true,
      });
      return { object: 'list', data: page.items.map((log) => turnLogJson(log)), next_cursor: page.nextCursor ?? null };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/turn-logs/:id',
    summary: 'One turn log with its messages, reply and tool calls (as much as its level recorded)',
    handle: async ({ params }, ctx) => {
      const log = await ctx.get(storeRef).turnLogs.get(params.id as string);
      if (!log) throw createError('LLMB_ERR_NOT_FOUND', `The turn log '${params.id}' does not exist`, { param: 'id' });
      return turnLogJson(log, { toolCalls: log.toolCalls });
    },
  }),
];
