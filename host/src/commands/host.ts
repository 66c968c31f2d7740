import { defineCommand } from 'citty';
import type { Host } from '@llm-bawt/core';
import { bootHost, planBoot } from '../boot.js';
import { bootRequest, guarded, loggerFor, processIo, type CliIo } from '../cli-io.js';
import { hostVersion } from '../paths.js';
import { renderModels } from '../render-models.js';
import { handleShutdownSignals } from '../shutdown.js';
import type { CliFlags, HostSettings } from '../settings.js';

function url(address: string, port: number, path = ''): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}${path}`;
}

/** Where the host can be reached, from the transports that started. */
export function describeListeners(host: Host, settings: HostSettings): string[] {
  const transports = host.contributions.transports;
  if (transports.length === 0) {
    return ['no transport plugin is loaded, so nothing listens for requests: add @llm-bawt/plugin-transport-openai to plugins'];
  }
  const lines = transports.map(({ pluginId, value }) => `transport ${value.id} (plugin ${pluginId}) started`);
  // Transports announce the address they really bound (port 0 included).
  for (const endpoint of host.endpoints()) lines.push(`${endpoint.label ?? endpoint.transport}: ${endpoint.url}`);
  if (host.endpoints().length === 0) {
    const { host: address, port } = settings.listen;
    lines.push(`HTTP: ${url(address, port, '/v1')}`);
  }
  lines.push(settings.apiKeys.length > 0 ? `API keys: ${settings.apiKeys.length} configured (bearer auth on)` : 'API keys: none (loopback only)');
  return lines;
}

/** `llm-bawt host`: boots with transports, prints where it listens and which models work, runs until a signal. */
export async function runHost(io: CliIo, flags: CliFlags): Promise<number> {
  return guarded(io, async () => {
    const plan = await planBoot(bootRequest(io, flags, true));
    const logger = loggerFor(io, plan.settings.logLevel);
    const host = await bootHost(plan, { transports: true, logger });
    const bots = host.bots.list().map((bot) => (bot.slug === host.bots.defaultSlug() ? `${bot.slug} (default)` : bot.slug));
    io.out(`llm-bawt ${hostVersion()} with ${host.plugins().length} plugins; config: ${plan.labels.config ?? 'none (built-in defaults)'}`);
    for (const note of plan.notes) io.out(`note: ${note}`);
    io.out(`bots: ${bots.join(', ')}${plan.labels.bots ? ` (from ${plan.labels.bots})` : ''}`);
    for (const line of describeListeners(host, plan.settings)) io.out(line);
    io.out(renderModels(host.models).text);
    handleShutdownSignals({ close: () => host.close(), print: io.out, exit: io.exit });
    io.out(`llm-bawt is ready (pid ${process.pid}); press Ctrl+C to stop`);
    return 0;
  });
}

export const hostCommand = defineCommand({
  meta: { name: 'host', description: 'Start the llm-bawt host (OpenAI-compatible HTTP and every configured plugin)' },
  args: {
    config: { type: 'string', description: 'Config file (default: $LLM_BAWT_CONFIG, else ./llm-bawt.config.yaml or .ts)', valueHint: 'FILE' },
    port: { type: 'string', description: 'HTTP port (default: $LLM_BAWT_PORT, else listen.port, else 8642)', valueHint: 'N' },
    host: { type: 'string', description: 'Bind address (default: $LLM_BAWT_HOST, else listen.host, else 127.0.0.1)', valueHint: 'ADDRESS' },
  },
  async run({ args }) {
    const io = processIo();
    const code = await runHost(io, { config: args.config, port: args.port, host: args.host });
    if (code !== 0) io.exit(code);
  },
});
