import { defineTransport } from '@llm-bawt/sdk';
import { resolveMcpOptions, type TransportMcpConfig } from './config.js';
import { transportMcpRef } from './refs.js';
import { startMcpHttpServer } from './server/http.js';

/** The streamable HTTP listener (`/mcp`, port 8001 by default). */
export const mcpTransport = defineTransport({
  id: 'mcp',
  async start(ctx) {
    const config = ctx.config as TransportMcpConfig;
    if (!config.http) return;
    const state = ctx.host.get(transportMcpRef);
    const options = resolveMcpOptions(config, ctx.host.listen, ctx.env);
    const server = await startMcpHttpServer({ ...options, toolbox: state.toolbox, logger: ctx.logger });
    state.url = server.url;
    state.port = server.port;
    ctx.logger.info(`MCP server listening on ${server.url}`, { sessions: options.sessions, auth: options.apiKeys.length > 0, tools: state.toolbox.tools.length });
    ctx.announce(server.url, `MCP (${state.toolbox.tools.length} tools${options.apiKeys.length > 0 ? ', bearer key required' : ''})`);
    return async () => {
      await server.close();
      state.url = undefined;
      state.port = undefined;
    };
  },
});
