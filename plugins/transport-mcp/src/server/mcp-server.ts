import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { McpToolbox } from './toolbox.js';

export const SERVER_NAME = 'llm-bawt';
export const SERVER_VERSION = '0.1.0';

const INSTRUCTIONS =
  "llm-bawt's memory, history, sessions, profiles, bot-to-bot messaging and task pipeline. Every tool takes bot_id (the bot to act as; " +
  "default: the host's default bot) and user_id (whose data; default: the default user). Data never crosses users; tasks and projects " +
  'are shared by every bot working for the same user. Tools marked destructive remove or replace data.';

/** A low-level MCP server answering tools/list and tools/call from the toolbox (no other capability). */
export function createMcpServer(toolbox: McpToolbox): Server {
  const server = new Server({ name: SERVER_NAME, version: SERVER_VERSION }, { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: toolbox.list() }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const result = await toolbox.call(request.params.name, request.params.arguments, extra.signal);
    if (!result) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    return result;
  });
  return server;
}
