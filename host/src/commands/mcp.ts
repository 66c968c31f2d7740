import type { Readable, Writable } from 'node:stream';
import { defineCommand } from 'citty';
import { serveStdio, transportMcpPlugin } from '@llm-bawt/plugin-transport-mcp';
import { bootHost, planBoot } from '../boot.js';
import { bootRequest, guarded, loggerFor, processIo, type CliIo } from '../cli-io.js';
import { handleShutdownSignals } from '../shutdown.js';

/**
 * `llm-bawt mcp --stdio`: boots the host without its listeners and serves the MCP tools on
 * stdin/stdout until the client closes stdin. stdout carries only the protocol; logs and
 * messages go to stderr. transport-mcp is added when the plugin list lacks it.
 */
export async function runMcp(io: CliIo, flags: { config?: string | undefined; stdio?: boolean | undefined }, streams: { stdin?: Readable; stdout?: Writable } = {}): Promise<number> {
  if (!flags.stdio) {
    io.err('llm-bawt mcp: pass --stdio to serve MCP on stdin/stdout (for clients that spawn their servers).');
    io.err('Over HTTP, the MCP server runs inside `llm-bawt host` at http://127.0.0.1:8001/mcp (LLM_BAWT_MCP_PORT).');
    return 1;
  }
  return guarded(io, async () => {
    const plan = await planBoot(bootRequest(io, { config: flags.config }, false));
    if (!plan.options.plugins.some((plugin) => plugin.id === transportMcpPlugin.id)) plan.options.plugins = [...plan.options.plugins, transportMcpPlugin];
    const logger = loggerFor(io, plan.settings.logLevel);
    const host = await bootHost(plan, { transports: false, logger });
    const session = await serveStdio(host, streams);
    const unhook = handleShutdownSignals({ close: () => session.close(), print: io.err, exit: () => undefined });
    await session.closed;
    unhook();
    await host.close();
    return 0;
  });
}

export const mcpCommand = defineCommand({
  meta: { name: 'mcp', description: 'Serve the MCP tools over stdio (--stdio); over HTTP they are served by `llm-bawt host`' },
  args: {
    stdio: { type: 'boolean', description: 'Serve MCP on stdin/stdout until stdin closes' },
    config: { type: 'string', description: 'Config file (default: $LLM_BAWT_CONFIG, else ./llm-bawt.config.yaml or .ts)', valueHint: 'FILE' },
  },
  async run({ args }) {
    const io = processIo();
    // stdout is the protocol channel: nothing else may print there.
    const code = await runMcp({ ...io, out: io.err }, { config: args.config, stdio: args.stdio });
    io.exit(code);
  },
});
