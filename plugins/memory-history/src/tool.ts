import * as v from 'valibot';
import { defineTool } from '@llm-bawt/sdk';
import { historyRef } from './refs.js';
import type { StoredMessage } from './types.js';

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const when = v.pipe(
  v.string(),
  v.check((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO 8601 date or timestamp'),
  v.transform((text) => new Date(text)),
);

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
const stamp = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function lines(messages: readonly StoredMessage[], max: number): string {
  return messages.map((m) => `[${stamp(m.createdAt)}] ${m.role}: ${clip(m.content, max)} (id ${m.id})`).join('\n');
}

/**
 * The `history` tool: search the stored conversation, list recent messages, recall (expand)
 * a summary back into its messages, or forget recent messages. Scoped to the calling bot and
 * user; `recent` reads the turn's session when there is one.
 */
export const historyTool = defineTool({
  name: 'history',
  description:
    'Your stored conversation history with this user. action "search" finds past messages by words or exact text (query; optional role_filter, since, until); ' +
    '"recent" lists the latest messages (n_results); "recall" expands a summary (summary_id, shown in the earlier-conversation summaries) back into its original messages; ' +
    '"forget" removes the last `count` messages or those of the last `minutes` minutes, when the user asks you to forget something.',
  input: v.object({
    action: v.picklist(['search', 'recent', 'recall', 'forget']),
    query: v.optional(v.string()),
    summary_id: v.optional(v.string()),
    n_results: v.optional(int(1, 50), 10),
    role_filter: v.optional(v.picklist(['user', 'assistant'])),
    since: v.optional(when),
    until: v.optional(when),
    count: v.optional(int(1, 100)),
    minutes: v.optional(int(1, 10_080)),
  }),
  async run(input, ctx) {
    if (!ctx.bot.requires_memory) throw new Error(`${ctx.bot.name} keeps no conversation history`);
    const history = ctx.get(historyRef);
    const scope = { botId: ctx.bot.slug, userId: ctx.userId };
    switch (input.action) {
      case 'search': {
        if (!input.query?.trim()) throw new Error('search needs a query');
        const hits = await history.search(scope, {
          q: input.query,
          limit: input.n_results,
          ...(input.role_filter ? { role: input.role_filter } : {}),
          ...(input.since ? { since: input.since } : {}),
          ...(input.until ? { until: input.until } : {}),
        });
        return hits.length === 0 ? `No messages match "${input.query}".` : `${hits.length} message(s):\n${lines(hits, 500)}`;
      }
      case 'recent': {
        const sessionId = ctx.turn?.request.sessionId;
        const recent = await history.recent(scope, { limit: input.n_results, ...(sessionId ? { sessionId } : {}), ...(input.role_filter ? { role: input.role_filter } : {}) });
        return recent.length === 0 ? 'No stored messages yet.' : lines(recent, 500);
      }
      case 'recall': {
        if (!input.summary_id) throw new Error('recall needs a summary_id');
        if (!history.summaries) throw new Error('summaries are not available on this host');
        const expanded = await history.summaries.expand(scope, input.summary_id);
        if (!expanded) throw new Error(`there is no summary '${input.summary_id}'`);
        return `Summary ${expanded.summary.id} covers ${expanded.messages.length} message(s):\n${lines(expanded.messages, 2_000)}`;
      }
      case 'forget': {
        if ((input.count === undefined) === (input.minutes === undefined)) throw new Error('forget needs exactly one of count or minutes');
        const forgotten = input.count !== undefined ? await history.forgetLast(scope, input.count) : await history.forgetRecent(scope, input.minutes as number);
        return `Forgot ${forgotten.length} message(s); they can be restored.`;
      }
    }
  },
});
