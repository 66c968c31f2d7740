import { defineCommand } from 'citty';
import { ConfiguredModelRegistry, sortPlugins, BUILT_IN_REF_IDS } from '@llm-bawt/core';
import { silentLogger } from '@llm-bawt/sdk';
import { planBoot } from '../boot.js';
import { bootRequest, guarded, processIo, type CliIo } from '../cli-io.js';
import { BootFailure } from '../problems.js';
import { renderModels } from '../render-models.js';

const HEADING = 'config check';

/**
 * `llm-bawt config check`: validates the config file, bots.yaml, models.yaml and every
 * plugin's config without starting anything: no plugin setup runs, so no database is
 * created and no listener starts.
 */
export async function runConfigCheck(io: CliIo, flags: { config?: string | undefined }): Promise<number> {
  return guarded(io, async () => {
    const plan = await planBoot(bootRequest(io, { config: flags.config }, true));
    if (plan.problems.length > 0) throw new BootFailure(plan.problems, HEADING);
    const { settings, labels, options } = plan;
    const plugins = sortPlugins([...options.plugins], BUILT_IN_REF_IDS).order;
    const providers = plugins.flatMap((plugin) => plugin.contributes?.providers ?? []);
    const registry = new ConfiguredModelRegistry([...options.models], options.defaultModel, providers, options.env ?? {}, silentLogger);
    const bots = options.bots.map((b) => b.slug);
    const defaultBot = options.defaultBot && bots.includes(options.defaultBot) ? options.defaultBot : bots[0];
    const models = renderModels(registry);
    io.out(`ok: ${labels.config ?? 'no config file (built-in defaults)'}`);
    io.out(`  bots:    ${bots.length} (${bots.join(', ')}; default ${defaultBot}) from ${labels.bots ?? 'the built-in catalog'}`);
    io.out(`  models:  ${registry.list().length} aliases, ${models.usable} usable now, from ${labels.models ?? 'the built-in catalog'}`);
    io.out(`  plugins: ${plugins.length} (${plugins.map((p) => p.id).join(', ')})`);
    io.out(`  listen:  ${settings.listen.host}:${settings.listen.port} (${settings.origins.port === 'default' ? 'default port' : `port from ${settings.origins.port}`}), MCP port ${settings.mcp.port}`);
    io.out(`  data:    ${settings.dataDir}`);
    for (const note of plan.notes) io.out(`  note: ${note}`);
    if (models.usable === 0) io.out(models.text);
    return 0;
  });
}

export const configCommand = defineCommand({
  meta: { name: 'config', description: 'Configuration tools' },
  subCommands: {
    check: defineCommand({
      meta: { name: 'check', description: 'Validate the config file, bots.yaml, models.yaml and every plugin config; print every problem' },
      args: { config: { type: 'string', description: 'Config file', valueHint: 'FILE' } },
      async run({ args }) {
        const io = processIo();
        const code = await runConfigCheck(io, { config: args.config });
        if (code !== 0) io.exit(code);
      },
    }),
  },
});
