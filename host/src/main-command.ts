import { defineCommand } from 'citty';
import { createCliCommands, processTerminal } from '@llm-bawt/plugin-transport-cli';
import { hostVersion } from './paths.js';

// Commands that boot a host load it when they run, so `--help` and `--service` start quickly.
const client = createCliCommands({
  inProcess: async (flags, terminal) => (await import('./commands/in-process.js')).inProcessHost(flags, terminal),
  terminal: processTerminal,
  exit: (code) => process.exit(code),
});

/** The `llm-bawt` command tree (src/cli.ts runs it). */
export const main = defineCommand({
  meta: { name: 'llm-bawt', version: hostVersion(), description: 'Self-hosted, OpenAI-compatible LLM backend built from plugins' },
  subCommands: {
    host: () => import('./commands/host.js').then((m) => m.hostCommand),
    ...client,
    plugins: () => import('./commands/plugins.js').then((m) => m.pluginsCommand),
    config: () => import('./commands/config-check.js').then((m) => m.configCommand),
    db: () => import('./commands/db.js').then((m) => m.dbCommand),
    mcp: () => import('./commands/mcp.js').then((m) => m.mcpCommand),
  },
});

