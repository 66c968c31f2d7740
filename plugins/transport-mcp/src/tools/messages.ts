import * as v from 'valibot';
import { coreRefs, createError, type ToolContext } from '@llm-bawt/sdk';
import { historyRef, sessionsRef, summariesRef, type StoredMessageView } from '../services.js';
import { DESTROY, describe, int, isoDate, mcpTool, READ, scopeOf, text, uuid, WRITE } from './define.js';
import { maybe } from './optional.js';

const ROLES = ['user', 'assistant', 'system'] as const;
const role = v.picklist(ROLES, `must be one of ${ROLES.join(', ')}`);
const opts = { memory: true };

export const messageJson = (m: StoredMessageView) => ({
  id: m.id,
  bot_id: m.botId,
  session_id: m.sessionId,
  role: m.role,
  content: m.content,
  created_at: m.createdAt.toISOString(),
  summarized: m.summarized,
  ...(m.forgottenAt ? { forgotten_at: m.forgottenAt.toISOString() } : {}),
});

const history = (ctx: ToolContext) => ctx.get(historyRef);
const list = (messages: StoredMessageView[]) => ({ count: messages.length, messages: messages.map(messageJson) });
const sessionOpt = (sessionId: string | undefined) => (sessionId ? { sessionId } : {});

/** The newest messages of the last `minutes` minutes (at most 500). */
async function since(ctx: ToolContext, minutes: number): Promise<StoredMessageView[]> {
  const cutoff = Date.now() - minutes * 60_000;
  return (await history(ctx).recent(scopeOf(ctx), { limit: 500 })).filter((m) => m.createdAt.getTime() >= cutoff);
}

const sessionId = describe(text(100), 'A session (thread) id');

export const messageTools = [
  mcpTool(
    'messages',
    [historyRef],
    {
      name: 'messages_add',
      description:
        "Stores a message in the bot's conversation history with the user (the single write path for external agents). Without session_id it goes to the active session when sessions are loaded.",
      input: v.object({
        role,
        content: describe(text(100_000), 'The message text'),
        session_id: v.optional(sessionId),
        message_id: v.optional(describe(uuid, 'Your own id for the message (a UUID); a message already stored under it is not stored twice')),
        timestamp: v.optional(describe(isoDate, 'When it was said (default: now)')),
        reasoning: v.optional(v.pipe(v.string(), v.maxLength(100_000))),
      }),
      annotations: WRITE,
      async run(input, ctx) {
        const scope = scopeOf(ctx);
        const session = input.session_id ?? (await maybe(ctx, sessionsRef)?.getOrCreateActive(scope))?.id;
        const stored = await history(ctx).add(scope, [
          {
            role: input.role,
            content: input.content,
            ...(session ? { sessionId: session } : {}),
            ...(input.message_id ? { id: input.message_id } : {}),
            ...(input.timestamp ? { createdAt: input.timestamp } : {}),
            ...(input.reasoning !== undefined ? { reasoning: input.reasoning } : {}),
          },
        ]);
        const message = stored[0];
        if (!message) return { stored: false, message_id: input.message_id, note: 'a message with this id is already stored' };
        return { stored: true, message: messageJson(message) };
      },
    },
    opts,
  ),
  mcpTool(
    'messages',
    [historyRef],
    {
      name: 'messages_get',
      description: 'A page of the conversation, oldest first; pass the returned `before` to read further back.',
      input: v.object({ session_id: v.optional(sessionId), limit: v.optional(int(1, 500), 50), before: v.optional(text(100)) }),
      annotations: READ,
      async run(input, ctx) {
        const page = await history(ctx).get(scopeOf(ctx), { ...sessionOpt(input.session_id), limit: input.limit, ...(input.before ? { before: input.before } : {}) });
        return { ...list(page.messages), has_more: page.before !== undefined, ...(page.before ? { before: page.before } : {}) };
      },
    },
    opts,
  ),
  mcpTool(
    'messages',
    [historyRef],
    {
      name: 'messages_get_by_id',
      description: 'One message by id, optionally with the messages before and after it in its session.',
      input: v.object({ message_id: uuid, before: v.optional(int(0, 100), 0), after: v.optional(int(0, 100), 0) }),
      annotations: READ,
      async run(input, ctx) {
        const scope = scopeOf(ctx);
        const found = input.before > 0 || input.after > 0 ? await history(ctx).around(scope, input.message_id, { before: input.before, after: input.after }) : await history(ctx).getById(scope, input.message_id).then((m) => (m ? [m] : undefined));
        if (!found) throw createError('LLMB_ERR_NOT_FOUND', `no message '${input.message_id}' in this bot and user's history`, { param: 'message_id' });
        return { message_id: input.message_id, ...list(found) };
      },
    },
    opts,
  ),
  mcpTool(
    'messages',
    [historyRef],
    {
      name: 'messages_recent',
      description: 'The newest messages, oldest first.',
      input: v.object({ n: v.optional(int(1, 500), 20), role: v.optional(role), session_id: v.optional(sessionId) }),
      annotations: READ,
      async run(input, ctx) {
        return list(await history(ctx).recent(scopeOf(ctx), { limit: input.n, ...(input.role ? { role: input.role } : {}), ...sessionOpt(input.session_id) }));
      },
    },
    opts,
  ),
  mcpTool(
    'messages',
    [historyRef],
    {
      name: 'messages_search',
      description: "Full-text (then substring) search over the bot's conversation with the user.",
      input: v.object({
        query: text(1000),
        mode: v.optional(v.picklist(['auto', 'text', 'substring']), 'auto'),
        n_results: v.optional(int(1, 100), 10),
        role: v.optional(role),
        since: v.optional(isoDate),
        until: v.optional(isoDate),
        session_id: v.optional(sessionId),
      }),
      annotations: READ,
      async run(input, ctx) {
        const hits = await history(ctx).search(scopeOf(ctx), {
          q: input.query,
          mode: input.mode,
          limit: input.n_results,
          ...(input.role ? { role: input.role } : {}),
          ...(input.since ? { since: input.since } : {}),
          ...(input.until ? { until: input.until } : {}),
          ...sessionOpt(input.session_id),
        });
        return { count: hits.length, messages: hits.map((h) => ({ ...messageJson(h), score: Math.round(h.score * 1000) / 1000 })) };
      },
    },
    opts,
  ),
  mcpTool(
    'messages',
    [historyRef],
    {
      name: 'messages_search_all',
      description: "Searches one user's conversations with several bots at once (default: every bot that keeps memory); only the named user's messages.",
      input: v.object({
        query: text(1000),
        bot_ids: v.optional(v.pipe(v.array(text(100)), v.minLength(1), v.maxLength(50))),
        n_results: v.optional(int(1, 100), 10),
        role: v.optional(role),
        since: v.optional(isoDate),
        until: v.optional(isoDate),
      }),
      annotations: READ,
      async run(input, ctx) {
        const bots = ctx.get(coreRefs.bots);
        const botIds = input.bot_ids ?? bots.list().filter((bot) => bot.requires_memory).map((bot) => bot.slug);
        for (const [index, id] of botIds.entries()) {
          const bot = bots.get(id);
          if (!bot) throw createError('LLMB_ERR_UNKNOWN_BOT', `The bot '${id}' does not exist`, { param: `bot_ids.${index}` });
        }
        const perBot = await Promise.all(
          botIds
            .filter((id) => bots.get(id)?.requires_memory)
            .map((botId) =>
              history(ctx).search(
                { botId, userId: ctx.userId },
                { q: input.query, limit: input.n_results, ...(input.role ? { role: input.role } : {}), ...(input.since ? { since: input.since } : {}), ...(input.until ? { until: input.until } : {}) },
              ),
            ),
        );
        const hits = perBot.flat().sort((a, b) => b.score - a.score || b.createdAt.getTime() - a.createdAt.getTime()).slice(0, input.n_results);
        return { bots: botIds, count: hits.length, messages: hits.map((h) => ({ ...messageJson(h), score: Math.round(h.score * 1000) / 1000 })) };
      },
    },
    opts,
  ),
  mcpTool(
    'messages',
    [historyRef],
    {
      name: 'messages_preview_recent',
      description: 'The last `count` messages: what messages_ignore_recent would forget.',
      input: v.object({ count: int(1, 500) }),
      annotations: READ,
      async run(input, ctx) {
        return list(await history(ctx).recent(scopeOf(ctx), { limit: input.count }));
      },
    },
    opts,
  ),
  mcpTool(
    'messages',
    [historyRef],
    {
      name: 'messages_preview_since_minutes',
      description: 'The messages of the last `minutes` minutes (at most 500): what messages_ignore_since_minutes would forget.',
      input: v.object({ minutes: int(1, 525_600) }),
      annotations: READ,
      async run(input, ctx) {
        return list(await since(ctx, input.minutes));
      },
    },
    opts,
  ),
  mcpTool(
    'messages',
    [historyRef],
    {
      name: 'messages_ignore_recent',
      description: 'Forgets the last `count` messages: they move to forgotten messages, leave the bot\'s context, and can be restored.',
      input: v.object({ count: int(1, 10_000), session_id: v.optional(sessionId) }),
      annotations: DESTROY,
      async run(input, ctx) {
        return { forgotten: list(await history(ctx).forgetLast(scopeOf(ctx), input.count, sessionOpt(input.session_id))) };
      },
    },
    opts,
  ),
  mcpTool(
    'messages',
    [historyRef],
    {
      name: 'messages_ignore_since_minutes',
      description: 'Forgets the messages of the last `minutes` minutes (restorable).',
      input: v.object({ minutes: int(1, 525_600), session_id: v.optional(sessionId) }),
      annotations: DESTROY,
      async run(input, ctx) {
        return { forgotten: list(await history(ctx).forgetRecent(scopeOf(ctx), input.minutes, sessionOpt(input.session_id))) };
      },
    },
    opts,
  ),
  mcpTool(
    'messages',
    [historyRef],
    {
      name: 'messages_ignore_by_id',
      description: 'Forgets the messages with these ids (restorable).',
      input: v.object({ message_ids: v.pipe(v.array(uuid), v.minLength(1, 'must not be empty'), v.maxLength(1000)) }),
      annotations: DESTROY,
      async run(input, ctx) {
        return { forgotten: list(await history(ctx).forgetByIds(scopeOf(ctx), input.message_ids)) };
      },
    },
    opts,
  ),
  mcpTool(
    'messages',
    [historyRef],
    {
      name: 'messages_restore_ignored',
      description: 'Brings forgotten messages back: these ids, or the `last` most recently forgotten (default 1000, i.e. all recent ones).',
      input: v.object({ message_ids: v.optional(v.pipe(v.array(uuid), v.minLength(1), v.maxLength(1000))), last: v.optional(int(1, 10_000)) }),
      annotations: WRITE,
      async run(input, ctx) {
        if (input.message_ids && input.last !== undefined) throw createError('LLMB_ERR_INVALID_REQUEST', 'send message_ids or last, not both', { param: 'last' });
        const which = input.message_ids ? { ids: input.message_ids } : { last: input.last ?? 1000 };
        return { restored: list(await history(ctx).restore(scopeOf(ctx), which)) };
      },
    },
    opts,
  ),
  mcpTool(
    'messages',
    [historyRef],
    {
      name: 'messages_get_unsummarized',
      description: 'Messages no summary covers yet, oldest first (one session, or all), with their token count.',
      input: v.object({ session_id: v.optional(sessionId) }),
      annotations: READ,
      async run(input, ctx) {
        const scope = scopeOf(ctx);
        const messages = await history(ctx).forSummary(scope, input.session_id ? { sessionId: input.session_id } : {});
        return { ...list(messages), unsummarized_tokens: await history(ctx).unsummarizedTokens(scope) };
      },
    },
    opts,
  ),
  mcpTool(
    'messages',
    [historyRef, summariesRef],
    {
      name: 'messages_get_for_summary',
      description: 'The original messages a summary covers (expands the summary back into the conversation).',
      input: v.object({ summary_id: text(100) }),
      annotations: READ,
      async run(input, ctx) {
        const expanded = await ctx.get(summariesRef).expand(scopeOf(ctx), input.summary_id);
        if (!expanded) throw createError('LLMB_ERR_NOT_FOUND', `no summary '${input.summary_id}' for this bot and user`, { param: 'summary_id' });
        return { summary_id: expanded.summary.id, summary: expanded.summary.content, ...list(expanded.messages) };
      },
    },
    opts,
  ),
];
