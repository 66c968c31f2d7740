import * as v from 'valibot';
import { defineRoute, reply, routeScope, scopeFields, type RouteContext } from '@llm-bawt/sdk';
import { sessionsRef } from './refs.js';
import type { Session, SessionScope } from './types.js';

const nonEmpty = v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'));
const scopeQuery = v.object(scopeFields);
const title = v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(200, 'must be at most 200 characters'));

const scopeOf: (input: { bot_id?: string | undefined; user?: string | undefined }, ctx: RouteContext) => SessionScope = routeScope;

/** A session as the HTTP API shows it. */
export const sessionJson = (s: Session) => ({
  id: s.id,
  object: 'session',
  bot_id: s.botId,
  user_id: s.userId,
  status: s.status,
  title: s.title,
  started_at: s.startedAt.toISOString(),
  ended_at: s.endedAt?.toISOString() ?? null,
  metadata: s.metadata,
});

const listSessions = defineRoute({
  method: 'GET',
  path: '/v1/sessions',
  summary: "A user's sessions with a bot, newest first",
  query: v.object({
    ...scopeFields,
    status: v.optional(v.picklist(['active', 'archived', 'deleted', 'all'], "must be 'active', 'archived', 'deleted' or 'all'")),
    limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.minValue(1, 'must be >= 1'), v.maxValue(200, 'must be <= 200'))),
    cursor: v.optional(nonEmpty),
  }),
  async handle({ query }, ctx) {
    const status = query.status === 'all' ? (['active', 'archived', 'deleted'] as const) : query.status;
    const page = await ctx.get(sessionsRef).list(scopeOf(query, ctx), {
      ...(status ? { status: [status].flat() } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return { object: 'list', data: page.sessions.map(sessionJson), has_more: page.nextCursor !== undefined, ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}) };
  },
});

const getSession = defineRoute({
  method: 'GET',
  path: '/v1/sessions/:id',
  summary: 'One session (404 when unknown or not this user\'s, 410 when deleted)',
  query: scopeQuery,
  async handle({ params, query }, ctx) {
    return sessionJson(await ctx.get(sessionsRef).resolve(scopeOf(query, ctx), params.id as string, 'id'));
  },
});

const createSession = defineRoute({
  method: 'POST',
  path: '/v1/sessions',
  summary: 'Open a session; by default it becomes the active one and the previous one is archived',
  body: v.object({
    ...scopeFields,
    title: v.optional(title),
    activate: v.optional(v.boolean('must be a boolean')),
    metadata: v.optional(v.record(v.string(), v.unknown(), 'must be an object')),
  }),
  async handle({ body, signal }, ctx) {
    const made = await ctx.get(sessionsRef).create(scopeOf(body, ctx), {
      ...(body.title ? { title: body.title } : {}),
      ...(body.metadata ? { metadata: body.metadata } : {}),
      ...(body.activate !== undefined ? { activate: body.activate } : {}),
      signal,
    });
    return reply(201, { ...sessionJson(made.session), archived_session_id: made.archived?.id ?? null, summary_ids: made.summaryIds });
  },
});

const rotateSession = defineRoute({
  method: 'POST',
  path: '/v1/sessions/:id/rotate',
  summary: 'Summarize and archive the active session and open its successor (what /new does)',
  body: v.object({ ...scopeFields, title: v.optional(title), summarize: v.optional(v.boolean('must be a boolean')) }),
  async handle({ params, body, signal }, ctx) {
    const rotation = await ctx.get(sessionsRef).rotate(scopeOf(body, ctx), {
      sessionId: params.id as string,
      ...(body.title ? { title: body.title } : {}),
      ...(body.summarize !== undefined ? { summarize: body.summarize } : {}),
      signal,
    });
    return { object: 'session.rotation', archived: rotation.archived ? sessionJson(rotation.archived) : null, active: sessionJson(rotation.active), summary_ids: rotation.summaryIds };
  },
});

const closeSession = defineRoute({
  method: 'POST',
  path: '/v1/sessions/:id/close',
  summary: 'Archive a session without a successor',
  body: scopeQuery,
  async handle({ params, body }, ctx) {
    return sessionJson(await ctx.get(sessionsRef).close(scopeOf(body, ctx), params.id as string));
  },
});

const deleteSession = defineRoute({
  method: 'DELETE',
  path: '/v1/sessions/:id',
  summary: 'Soft-delete a session (turns naming it get 410)',
  query: scopeQuery,
  async handle({ params, query }, ctx) {
    return sessionJson(await ctx.get(sessionsRef).delete(scopeOf(query, ctx), params.id as string));
  },
});

/** `/v1/sessions` routes; every one scoped by `bot_id` and `user`. */
export const sessionsRoutes = [listSessions, getSession, createSession, rotateSession, closeSession, deleteSession];
