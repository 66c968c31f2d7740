import { defineCommand } from 'citty';
import { bootHost, planBoot } from '../boot.js';
import { bootRequest, guarded, loggerFor, processIo, quietLevel, type CliIo } from '../cli-io.js';
import { hostVersion } from '../paths.js';
import { renderBootTree } from '../render-boot-tree.js';

/** `llm-bawt plugins`: boots without transports, prints the boot tree, closes. */
export async function runPlugins(io: CliIo, flags: { config?: string | undefined; json?: boolean | undefined }): Promise<number> {
  return guarded(io, async () => {
    const plan = await planBoot(bootRequest(io, { config: flags.config }, false));
    const host = await bootHost(plan, { transports: false, logger: loggerFor(io, quietLevel(plan.settings.logLevel)) });
    try {
      const tree = host.plugins();
      if (flags.json) io.out(JSON.stringify(tree, null, 2));
      else io.out(renderBootTree(tree, `llm-bawt ${hostVersion()} (config: ${plan.labels.config ?? 'built-in defaults'})`));
    } finally {
      await host.close();
    }
    return 0;
  });
}

export const pluginsCommand = defineCommand({
  meta: { name: 'plugins', description: 'Boot without listeners and print the plugin boot tree (setup order, hooks, timings)' },
  args: {
    config: { type: 'string', description: 'Config file', valueHint: 'FILE' },
    json: { type: 'boolean', description: 'Print the boot tree as JSON' },
  },
  async run({ args }) {
    const io = processIo();
    const code = await runPlugins(io, { config: args.config, json: args.json });
    if (code !== 0) io.exit(code);
  },
});
