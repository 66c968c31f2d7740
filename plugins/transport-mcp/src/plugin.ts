import { coreRefs, definePlugin, type AnyRef } from '@llm-bawt/sdk';
import { databaseOf, storeAdminRef, storeRef } from '@llm-bawt/plugin-store-postgres';
import { createDeliveryService } from './bots/deliveries.js';
import { contributedEntries, CROSS_BOT_TOOLS, MCP_TOOLS } from './catalog.js';
import { transportMcpConfigSchema } from './config.js';
import { mcpMigrations } from './db/migrations.js';
import { transportMcpRef } from './refs.js';
import { createToolbox } from './server/toolbox.js';
import { historyRef, profileRef, semanticRef, sessionsRef, summariesRef } from './services.js';
import type { TransportMcpState } from './state.js';
import { createTaskServices } from './tasks/index.js';
import { mcpTransport } from './transport.js';

const OPTIONAL = {
  store: storeRef,
  admin: storeAdminRef,
  history: historyRef,
  sessions: sessionsRef,
  summaries: summariesRef,
  semantic: semanticRef,
  profile: profileRef,
};

/**
 * The MCP server: every tool plugins contribute to the tool loop, plus memory, messages,
 * summaries, sessions, profile, system, bot-to-bot, self and task-pipeline tools, over
 * streamable HTTP (`/mcp`, port 8001) and stdio (`llm-bawt mcp --stdio`). A memory plugin
 * that is not loaded just leaves its family out. Owns the `projects`, `tasks`, `task_steps`,
 * `task_dependencies`, `task_activity` and `bot_messages` tables. @public
 */
export const transportMcpPlugin = definePlugin({
  id: 'transport-mcp',
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'MCP server (streamable HTTP and stdio): memory, history, sessions, profiles, bot-to-bot messaging and the agent task pipeline',
  config: transportMcpConfigSchema,
  requires: { host: coreRefs.host, contributions: coreRefs.contributions },
  optional: OPTIONAL,
  provides: [transportMcpRef],
  contributes: { transports: [mcpTransport], migrations: mcpMigrations },
  hooks: {
    'host:ready': (ctx) => ctx.get(transportMcpRef).deliveries?.start(),
    'host:close': (ctx) => ctx.get(transportMcpRef).deliveries?.stop(),
  },
  setup(ctx) {
    const { deps, config } = ctx;
    const db = deps.store ? databaseOf(deps.store) : undefined;
    const tasks = db ? createTaskServices(db) : null;
    const deliveries = db
      ? createDeliveryService({ db, host: deps.host, logger: ctx.logger.child({ component: 'bot-deliveries' }), ...config.delivery })
      : null;
    const optional = new Map<string, unknown>(Object.entries(OPTIONAL).map(([name, ref]) => [ref.id, deps[name as keyof typeof OPTIONAL]]));
    const provided = (ref: AnyRef) => !optional.has(ref.id) || optional.get(ref.id) !== undefined;
    const disabled = new Set([...config.disabledTools, ...(config.crossBotSearch ? [] : CROSS_BOT_TOOLS)]);
    const toolbox = createToolbox({
      entries: [...contributedEntries(deps.contributions), ...MCP_TOOLS],
      provided,
      disabled,
      host: deps.host,
      logger: ctx.logger,
      defaultUser: config.defaultUser,
      requestRef: (ref) => (ref.id === coreRefs.db.id ? deps.store?.em() : undefined),
    });
    const state: TransportMcpState = { config, toolbox, tasks, deliveries, url: undefined, port: undefined };
    ctx.provide(transportMcpRef, () => state);
    ctx.logger.debug(`MCP serves ${toolbox.tools.length} tools`, { families: Object.keys(toolbox.families()) });
  },
});

export default transportMcpPlugin;
