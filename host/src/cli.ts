import { defineCommand } from 'citty';
import { createCliCommands, processTerminal } from '@llm-bawt/plugin-transport-cli';
import { runCommandLine } from './cli-run.js';
import { hostVersion } from './paths.js';

// Commands that boot a host load it when they run, so `--help` and `--service` start quickly.
const client = createCliCommands({
  inProcess: async (flags, terminal) => (await import('./commands/in-process.js')).inProcessHost(flags, terminal),
  terminal: processTerminal,
  exit: (code) => process.exit(code),
});

/** The `llm-bawt` command line. */
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

const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
const code = await runCommandLine(main, {
  argv: process.argv.slice(2),
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  color,
}).catch((error: unknown) => {
  process.stderr.write(`llm-bawt: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
});
if (code !== 0) process.exit(code);
