import * as v from 'valibot';
import { createError, type ToolContext } from '@llm-bawt/sdk';
import { sessionsRef, type SessionView } from '../services.js';
import { DESTROY, describe, int, mcpTool, READ, scopeOf, text, WRITE } from './define.js';

const opts = { memory: true };
const STATUSES = ['active', 'archived', 'deleted'] as const;
const sessionId = describe(text(100), 'A session (thread) id');

export const sessionJson = (s: SessionView) => ({
  id: s.id,
  bot_id: s.botId,
  user_id: s.userId,
  status: s.status,
  title: s.title,
  started_at: s.startedAt.toISOString(),
  ended_at: s.endedAt ? s.endedAt.toISOString() : null,
  metadata: s.metadata,
});

const sessions = (ctx: ToolContext) => ctx.get(sessionsRef);

async function session(ctx: ToolContext, id: string): Promise<SessionView> {
  const found = await sessions(ctx).get(scopeOf(ctx), id);
  if (!found) throw createError('LLMB_ERR_NOT_FOUND', `no session '${id}' for this bot and user`, { param: 'session_id' });
  return found;
}

export const sessionTools = [
  mcpTool(
    'sessions',
    [sessionsRef],
    {
      name: 'sessions_list',
      description: 'Sessions (threads), newest first; every status but deleted unless `status` names it. Pass `cursor` for the next page.',
      input: v.object({ status: v.optional(v.picklist(STATUSES)), limit: v.optional(int(1, 200), 20), cursor: v.optional(text(200)) }),
      annotations: READ,
      async run(input, ctx) {
        const page = await sessions(ctx).list(scopeOf(ctx), { limit: input.limit, ...(input.status ? { status: input.status } : {}), ...(input.cursor ? { cursor: input.cursor } : {}) });
        return { count: page.sessions.length, sessions: page.sessions.map(sessionJson), ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}) };
      },
    },
    opts,
  ),
  mcpTool(
    'sessions',
    [sessionsRef],
    {
      name: 'sessions_get',
      description: 'One session by id, whatever its status.',
      input: v.object({ session_id: sessionId }),
      annotations: READ,
      run: async (input, ctx) => sessionJson(await session(ctx, input.session_id)),
    },
    opts,
  ),
  mcpTool(
    'sessions',
    [sessionsRef],
    {
      name: 'sessions_get_active',
      description: 'The active session (the one turns without a session id use), or null when there is none.',
      input: v.object({}),
      annotations: READ,
      async run(_input, ctx) {
        const active = await sessions(ctx).getActive(scopeOf(ctx));
        return { active: active ? sessionJson(active) : null };
      },
    },
    opts,
  ),
  mcpTool(
    'sessions',
    [sessionsRef],
    {
      name: 'sessions_get_or_create_active',
      description: 'The active session, opened if there is none.',
      input: v.object({}),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
      run: async (_input, ctx) => sessionJson(await sessions(ctx).getOrCreateActive(scopeOf(ctx))),
    },
    opts,
  ),
  mcpTool(
    'sessions',
    [sessionsRef],
    {
      name: 'sessions_create',
      description: 'Opens a new session. With activate (the default) it becomes the active one and the previous active session is archived.',
      input: v.object({ title: v.optional(text(200)), activate: v.optional(v.boolean(), true) }),
      annotations: WRITE,
      async run(input, ctx) {
        const created = await sessions(ctx).create(scopeOf(ctx), { activate: input.activate, ...(input.title ? { title: input.title } : {}), signal: ctx.signal });
        return { session: sessionJson(created.session), ...(created.archived ? { archived: sessionJson(created.archived) } : {}), summary_ids: created.summaryIds };
      },
    },
    opts,
  ),
  mcpTool(
    'sessions',
    [sessionsRef],
    {
      name: 'sessions_rotate',
      description: 'Archives the active session (summarizing it first when summaries are loaded) and opens its successor, atomically. Nothing is deleted.',
      input: v.object({ title: v.optional(text(200)), summarize: v.optional(v.boolean(), true) }),
      annotations: WRITE,
      async run(input, ctx) {
        const rotation = await sessions(ctx).rotate(scopeOf(ctx), { summarize: input.summarize, ...(input.title ? { title: input.title } : {}), signal: ctx.signal });
        return { active: sessionJson(rotation.active), archived: rotation.archived ? sessionJson(rotation.archived) : null, summary_ids: rotation.summaryIds };
      },
    },
    opts,
  ),
  mcpTool(
    'sessions',
    [sessionsRef],
    {
      name: 'sessions_close',
      description: 'Archives a session without opening a successor (the next turn opens one). Nothing is deleted.',
      input: v.object({ session_id: sessionId }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
      run: async (input, ctx) => sessionJson(await sessions(ctx).close(scopeOf(ctx), input.session_id)),
    },
    opts,
  ),
  mcpTool(
    'sessions',
    [sessionsRef],
    {
      name: 'sessions_delete',
      description: 'Soft-deletes a session: later turns naming it are refused.',
      input: v.object({ session_id: sessionId }),
      annotations: DESTROY,
      run: async (input, ctx) => sessionJson(await sessions(ctx).delete(scopeOf(ctx), input.session_id)),
    },
    opts,
  ),
  mcpTool(
    'sessions',
    [sessionsRef],
    {
      name: 'sessions_set_title',
      description: "Sets a session's title.",
      input: v.object({ session_id: sessionId, title: text(200) }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
      async run(input, ctx) {
        await session(ctx, input.session_id);
        await sessions(ctx).setTitle(scopeOf(ctx), input.session_id, input.title, 'user');
        return sessionJson(await session(ctx, input.session_id));
      },
    },
    opts,
  ),
];
