import { coreRefs, definePlugin } from '@llm-bawt/sdk';
import { databaseOf, storeRef } from '@llm-bawt/plugin-store-postgres';
import { sessionsMigrations } from './migrations.js';
import { sessionsRef, sessionSummarizerRef } from './refs.js';
import { sessionsRoutes } from './routes.js';
import { createSessionsService } from './service.js';
import { resolveSession, titleSession } from './turn-hooks.js';

/**
 * Memory layer 5: sessions (threads). Exactly one active session per bot and user; every
 * turn of a bot with memory runs in one (explicit `session_id`, or the active one); `/new`
 * summarizes, archives and replaces it without a model call; sessions are auto-titled;
 * `/v1/sessions`. @public
 */
export const memorySessionsPlugin = definePlugin({
  id: 'memory-sessions',
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'Memory layer 5: sessions, one active per bot and user, /new rotation',
  requires: { store: storeRef, bots: coreRefs.bots },
  optional: { summarizer: sessionSummarizerRef },
  provides: [sessionsRef],
  contributes: { migrations: sessionsMigrations, routes: sessionsRoutes },
  hooks: {
    // `/new` waits for the outgoing session's summary (a background model call).
    PRE_PROCESS: { order: 'pre', timeoutMs: 120_000, handler: (request, ctx) => resolveSession(request, ctx, ctx.get(sessionsRef)) },
    POST_PROCESS: { when: (ctx) => ctx.bot.requires_memory, handler: (turn, ctx) => titleSession(turn, ctx, ctx.get(sessionsRef)) },
  },
  setup(ctx) {
    const service = createSessionsService({ db: databaseOf(ctx.deps.store), bots: ctx.deps.bots, summarizer: ctx.deps.summarizer, logger: ctx.logger });
    ctx.provide(sessionsRef, () => service);
  },
});

export default memorySessionsPlugin;
