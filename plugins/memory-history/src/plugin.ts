import { coreRefs, definePlugin } from '@llm-bawt/sdk';
import { databaseOf, storeRef } from '@llm-bawt/plugin-store-postgres';
import { filterHistory, foldSummaries } from './filter.js';
import { historyMigrations } from './migrations.js';
import { historyRef } from './refs.js';
import { historyRoutes } from './routes.js';
import { createHistoryService } from './service.js';
import { historyTool } from './tool.js';
import { mintMessageIds, persistTurn } from './turn-hooks.js';

const withMemory = (ctx: { bot: { requires_memory: boolean } }) => ctx.bot.requires_memory;

/**
 * Memory layer 1: every turn's messages per bot, user and session; the conversation sent
 * to the model rebuilt from storage within a token budget (summaries in front of what no
 * longer fits); forgetting and restoring; full-text and trigram search; `/v1/history`; the
 * `history` tool. Bots without memory are never read or written. @public
 */
export const memoryHistoryPlugin = definePlugin({
  id: 'memory-history',
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'Memory layer 1: raw messages, token-budgeted history, forgetting, search',
  requires: { store: storeRef, bots: coreRefs.bots, bus: coreRefs.bus },
  provides: [historyRef],
  contributes: { migrations: historyMigrations, routes: historyRoutes, tools: [historyTool] },
  hooks: {
    PRE_PROCESS: { order: 'pre', handler: (request) => mintMessageIds(request) },
    HISTORY_FILTER: { when: withMemory, handler: (history, ctx) => filterHistory(history, ctx, ctx.get(historyRef)) },
    MESSAGE_ASSEMBLY: { when: withMemory, handler: (assembly, ctx) => foldSummaries(assembly, ctx) },
    POST_PROCESS: { when: withMemory, handler: (turn, ctx) => persistTurn(turn, ctx, ctx.get(historyRef)) },
  },
  setup(ctx) {
    const service = createHistoryService({ db: databaseOf(ctx.deps.store), bots: ctx.deps.bots, bus: ctx.deps.bus });
    ctx.provide(historyRef, () => service);
  },
});

export default memoryHistoryPlugin;
