import * as v from 'valibot';
import { createError, type ToolContext } from '@llm-bawt/sdk';
import { summariesRef, type SummaryView } from '../services.js';
import { DESTROY, describe, int, mcpTool, READ, scopeOf, text, WRITE } from './define.js';

const opts = { memory: true };
const sessionId = describe(text(100), 'A session (thread) id');
const summaryId = text(100);

const summaryJson = (s: SummaryView) => ({
  id: s.id,
  session_id: s.sessionId,
  content: s.content,
  tokens: s.tokens,
  method: s.method,
  model: s.model,
  message_count: s.messageCount,
  period_start: s.periodStart.toISOString(),
  period_end: s.periodEnd.toISOString(),
  created_at: s.createdAt.toISOString(),
});

const summaries = (ctx: ToolContext) => ctx.get(summariesRef);
const notFound = (id: string) => createError('LLMB_ERR_NOT_FOUND', `no summary '${id}' for this bot and user`, { param: 'summary_id' });

export const summaryTools = [
  mcpTool(
    'summaries',
    [summariesRef],
    {
      name: 'summaries_list',
      description: 'Summaries of earlier conversation, newest first (one session, or all).',
      input: v.object({ session_id: v.optional(sessionId), limit: v.optional(int(1, 200), 20) }),
      annotations: READ,
      async run(input, ctx) {
        const list = await summaries(ctx).list(scopeOf(ctx), { limit: input.limit, ...(input.session_id ? { sessionId: input.session_id } : {}) });
        return { count: list.length, summaries: list.map(summaryJson) };
      },
    },
    opts,
  ),
  mcpTool(
    'summaries',
    [summariesRef],
    {
      name: 'summaries_get',
      description: 'One summary by id, with the ids of the messages it covers.',
      input: v.object({ summary_id: summaryId }),
      annotations: READ,
      async run(input, ctx) {
        const found = await summaries(ctx).get(scopeOf(ctx), input.summary_id);
        if (!found) throw notFound(input.summary_id);
        return { ...summaryJson(found), message_ids: found.messageIds };
      },
    },
    opts,
  ),
  mcpTool(
    'summaries',
    [summariesRef],
    {
      name: 'summaries_create',
      description:
        "Summarizes a session's unsummarized messages (session_id), or else whatever has fallen out of the history budget. method: llm (the bot's background model) or heuristic (no model call).",
      input: v.object({ session_id: v.optional(sessionId), method: v.optional(v.picklist(['llm', 'heuristic'])) }),
      annotations: WRITE,
      async run(input, ctx) {
        const written = await summaries(ctx).summarize(scopeOf(ctx), { ...(input.session_id ? { sessionId: input.session_id } : {}), ...(input.method ? { method: input.method } : {}), signal: ctx.signal });
        return { count: written.length, summaries: written.map(summaryJson) };
      },
    },
    opts,
  ),
  mcpTool(
    'summaries',
    [summariesRef],
    {
      name: 'summaries_delete',
      description: 'Deletes a summary; the messages it covered count as unsummarized again.',
      input: v.object({ summary_id: summaryId }),
      annotations: DESTROY,
      async run(input, ctx) {
        if (!(await summaries(ctx).delete(scopeOf(ctx), input.summary_id))) throw notFound(input.summary_id);
        return { deleted: input.summary_id };
      },
    },
    opts,
  ),
];
