import { defineCommand, runMain } from 'citty';
import { configCommand } from './commands/config-check.js';
import { dbCommand } from './commands/db.js';
import { hostCommand } from './commands/host.js';
import { mcpCommand } from './commands/mcp.js';
import { pluginsCommand } from './commands/plugins.js';
import { hostVersion } from './paths.js';

/** The `llm-bawt` command line. */
export const main = defineCommand({
  meta: { name: 'llm-bawt', version: hostVersion(), description: 'Self-hosted, OpenAI-compatible LLM backend built from plugins' },
  subCommands: { host: hostCommand, plugins: pluginsCommand, config: configCommand, db: dbCommand, mcp: mcpCommand },
});

await runMain(main);
