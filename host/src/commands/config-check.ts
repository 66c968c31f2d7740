import { defineCommand } from 'citty';
import { bootHost, planBoot } from '../boot.js';
import { bootRequest, guarded, loggerFor, processIo, quietLevel, type CliIo } from '../cli-io.js';
import { BootFailure } from '../problems.js';
import { renderModels } from '../render-models.js';

const HEADING = 'config check';

/**
 * `llm-bawt config check`: validates the config file, bots.yaml, models.yaml and every
 * plugin's config; boots with transports off (no listener starts) and closes again.
 */
export async function runConfigCheck(io: CliIo, flags: { config?: string | undefined }): Promise<number> {
  return guarded(io, async () => {
    const plan = await planBoot(bootRequest(io, { config: flags.config }, true));
    if (plan.problems.length > 0) throw new BootFailure(plan.problems, HEADING);
    const host = await bootHost(plan, { transports: false, logger: loggerFor(io, quietLevel(plan.settings.logLevel)) }).catch((error: unknown) => {
      throw error instanceof BootFailure ? new BootFailure(error.problems, HEADING) : error;
    });
    try {
      const { settings, labels } = plan;
      const bots = host.bots.list().map((b) => b.slug);
      const models = renderModels(host.models);
      io.out(`ok: ${labels.config ?? 'no config file (built-in defaults)'}`);
      io.out(`  bots:    ${bots.length} (${bots.join(', ')}; default ${host.bots.defaultSlug()}) from ${labels.bots ?? 'the built-in catalog'}`);
      io.out(`  models:  ${host.models.list().length} aliases, ${models.usable} usable now, from ${labels.models ?? 'the built-in catalog'}`);
      io.out(`  plugins: ${host.plugins().length} (${host.plugins().map((p) => p.id).join(', ')})`);
      io.out(`  listen:  ${settings.listen.host}:${settings.listen.port} (${settings.origins.port === 'default' ? 'default port' : `port from ${settings.origins.port}`}), MCP port ${settings.mcp.port}`);
      io.out(`  data:    ${settings.dataDir}`);
      for (const note of plan.notes) io.out(`  note: ${note}`);
      if (models.usable === 0) io.out(models.text);
    } finally {
      await host.close();
    }
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
