import { coreRefs, definePlugin } from '@llm-bawt/sdk';
import { databaseOf, historyRef } from '@llm-bawt/plugin-memory-history';
import { storeRef } from '@llm-bawt/plugin-store-postgres';
import { summariesConfig } from './config.js';
import { summariesMigrations } from './migrations.js';
import { summariesRef } from './refs.js';
import { summariesRoutes } from './routes.js';
import { createSummariesService } from './service.js';

/**
 * Memory layer 3: rolling summaries of sessions and of older messages, written by the
 * bot's background model (or extractively when none is usable), injected by memory-history
 * in front of what no longer fits, expandable back into their messages. @public
 */
export const memorySummariesPlugin = definePlugin({
  id: 'memory-summaries',
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'Memory layer 3: rolling summaries under a token budget',
  requires: { store: storeRef, history: historyRef, bots: coreRefs.bots, llm: coreRefs.llm },
  provides: [summariesRef],
  config: summariesConfig,
  contributes: { migrations: summariesMigrations, routes: summariesRoutes },
  hooks: {
    POST_PROCESS: {
      // A rolling pass may summarize several chunks, one model call each.
      timeoutMs: 600_000,
      when: (ctx) => ctx.bot.requires_memory && ctx.config.autoSummarize,
      async handler(turn, ctx) {
        if (turn.status !== 'ok') return;
        const made = await ctx.get(summariesRef).maybeSummarize({ botId: turn.bot.slug, userId: turn.request.userId }, { config: ctx.config, signal: ctx.signal });
        if (made.length > 0) ctx.logger.info(`summarized ${made.reduce((n, s) => n + s.messageCount, 0)} older message(s) into ${made.length} summary(ies)`);
      },
    },
  },
  setup(ctx) {
    const service = createSummariesService({
      db: databaseOf(ctx.deps.store),
      history: ctx.deps.history,
      bots: ctx.deps.bots,
      llm: ctx.deps.llm,
      config: ctx.config,
      logger: ctx.logger,
    });
    ctx.deps.history.attachSummaries(service);
    ctx.provide(summariesRef, () => service);
  },
});

export default memorySummariesPlugin;
