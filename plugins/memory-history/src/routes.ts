import * as v from 'valibot';
import { createError, defineRoute } from '@llm-bawt/sdk';
import { bodyInt, hitJson, isoDate, messageJson, nonEmpty, queryInt, scopeFields, scopeOf, uuid } from './http.js';
import { historyRef } from './refs.js';

const ROLES = ['user', 'assistant', 'system'] as const;

const list = (data: unknown[], extra: Record<string, unknown> = {}) => ({ object: 'list', data, ...extra });

const listHistory = defineRoute({
  method: 'GET',
  path: '/v1/history',
  summary: "A page of a user's messages with a bot, oldest first; `before` pages back",
  query: v.object({ ...scopeFields, session_id: v.optional(nonEmpty), limit: v.optional(queryInt(1, 500)), before: v.optional(nonEmpty) }),
  async handle({ query }, ctx) {
    const page = await ctx.get(historyRef).get(scopeOf(query, ctx), {
      ...(query.session_id ? { sessionId: query.session_id } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
      ...(query.before ? { before: query.before } : {}),
    });
    return list(page.messages.map(messageJson), { has_more: page.before !== undefined, ...(page.before ? { before: page.before } : {}) });
  },
});

const searchHistory = defineRoute({
  method: 'GET',
  path: '/v1/history/search',
  summary: 'Full-text and substring search over a user\'s messages with a bot',
  query: v.object({
    ...scopeFields,
    q: nonEmpty,
    mode: v.optional(v.picklist(['auto', 'text', 'substring'], "must be 'auto', 'text' or 'substring'")),
    limit: v.optional(queryInt(1, 100)),
    session_id: v.optional(nonEmpty),
    role: v.optional(v.picklist(ROLES, `must be one of ${ROLES.join(', ')}`)),
    since: v.optional(isoDate),
    until: v.optional(isoDate),
  }),
  async handle({ query }, ctx) {
    const hits = await ctx.get(historyRef).search(scopeOf(query, ctx), {
      q: query.q,
      ...(query.mode ? { mode: query.mode } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
      ...(query.session_id ? { sessionId: query.session_id } : {}),
      ...(query.role ? { role: query.role } : {}),
      ...(query.since ? { since: query.since } : {}),
      ...(query.until ? { until: query.until } : {}),
    });
    return list(hits.map(hitJson));
  },
});

const aroundMessage = defineRoute({
  method: 'GET',
  path: '/v1/history/around',
  summary: 'Messages around one message in its session (deep links)',
  query: v.object({ ...scopeFields, message_id: uuid, before: v.optional(queryInt(0, 100)), after: v.optional(queryInt(0, 100)) }),
  async handle({ query }, ctx) {
    const messages = await ctx.get(historyRef).around(scopeOf(query, ctx), query.message_id, {
      ...(query.before !== undefined ? { before: query.before } : {}),
      ...(query.after !== undefined ? { after: query.after } : {}),
    });
    if (!messages) throw createError('LLMB_ERR_NOT_FOUND', `No message '${query.message_id}' in this bot and user's history`, { param: 'message_id' });
    return list(messages.map(messageJson), { message_id: query.message_id });
  },
});

function exactlyOne<T extends object>(keys: readonly (keyof T & string)[]) {
  return v.check<T, string>((input) => keys.filter((key) => input[key] !== undefined).length === 1, `send exactly one of ${keys.map((k) => `'${k}'`).join(', ')}`);
}

const messageIds = v.pipe(v.array(uuid, 'must be an array of message ids'), v.minLength(1, 'must not be empty'), v.maxLength(1_000, 'must hold at most 1000 ids'));

const forgetBody = v.object({
  ...scopeFields,
  session_id: v.optional(nonEmpty),
  last: v.optional(bodyInt(1, 10_000)),
  minutes: v.optional(bodyInt(1, 525_600)),
  ids: v.optional(messageIds),
});

const restoreBody = v.object({ ...scopeFields, last: v.optional(bodyInt(1, 10_000)), ids: v.optional(messageIds) });

const forgetMessages = defineRoute({
  method: 'POST',
  path: '/v1/history/forget',
  summary: 'Forget the last N messages, the last N minutes, or messages by id (reversible)',
  body: v.pipe(forgetBody, exactlyOne<v.InferOutput<typeof forgetBody>>(['last', 'minutes', 'ids'])),
  async handle({ body }, ctx) {
    const history = ctx.get(historyRef);
    const scope = scopeOf(body, ctx);
    const session = body.session_id ? { sessionId: body.session_id } : {};
    const forgotten = body.ids
      ? await history.forgetByIds(scope, body.ids)
      : body.last !== undefined
        ? await history.forgetLast(scope, body.last, session)
        : await history.forgetRecent(scope, body.minutes as number, session);
    return list(forgotten.map(messageJson), { forgotten: forgotten.length });
  },
});

const restoreMessages = defineRoute({
  method: 'POST',
  path: '/v1/history/restore',
  summary: 'Restore forgotten messages by id, or the last N forgotten',
  body: v.pipe(restoreBody, exactlyOne<v.InferOutput<typeof restoreBody>>(['last', 'ids'])),
  async handle({ body }, ctx) {
    const restored = await ctx.get(historyRef).restore(scopeOf(body, ctx), body.ids ? { ids: body.ids } : { last: body.last as number });
    return list(restored.map(messageJson), { restored: restored.length });
  },
});

const summarizeHistory = defineRoute({
  method: 'POST',
  path: '/v1/history/summarize',
  summary: 'Summarize one session, or whatever falls out of the summarization budget',
  body: v.object({
    ...scopeFields,
    session_id: v.optional(nonEmpty),
    method: v.optional(v.picklist(['llm', 'heuristic'], "must be 'llm' or 'heuristic'")),
  }),
  async handle({ body, signal }, ctx) {
    const history = ctx.get(historyRef);
    const summaries = history.summaries;
    if (!summaries) throw createError('LLMB_ERR_NOT_FOUND', 'Summaries are not available: load the memory-summaries plugin');
    const made = await summaries.summarize(scopeOf(body, ctx), {
      ...(body.session_id ? { sessionId: body.session_id } : {}),
      ...(body.method ? { method: body.method } : {}),
      signal,
    });
    return list(
      made.map((s) => ({
        id: s.id,
        object: 'history.summary',
        session_id: s.sessionId,
        content: s.content,
        method: s.method,
        tokens: s.tokens,
        message_count: s.messageCount,
        period_start: s.periodStart.toISOString(),
        period_end: s.periodEnd.toISOString(),
      })),
    );
  },
});

/** `/v1/history` routes; every one scoped by `bot_id` and `user`. */
export const historyRoutes = [listHistory, searchHistory, aroundMessage, forgetMessages, restoreMessages, summarizeHistory];
