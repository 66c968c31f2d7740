import { STAGE_KIND, type Contributions, type PluginInfo, type Stage } from '@llm-bawt/sdk';

/** How each contribution kind reads in the tree; exhaustive, so a new kind must be named here. */
const KIND_LABELS: Record<keyof Contributions, string> = {
  providers: 'providers',
  tools: 'tools',
  memory: 'memory',
  adapters: 'adapters',
  agents: 'agents',
  transports: 'transports',
  embedders: 'embedders',
  jobs: 'jobs',
  entities: 'entities',
  migrations: 'migrations',
  routes: 'routes',
  status: 'status checks',
};

/** A kind's label; a kind from a newer sdk shows as it is named. */
function kindLabel(kind: string): string {
  return (KIND_LABELS as Record<string, string>)[kind] ?? kind;
}

const CHUNK_AND_HOST_HOOKS: Record<string, string> = {
  onChunk: 'per chunk',
  'host:ready': 'host',
  'host:close': 'host',
  'bot:start': 'host',
  'bot:stop': 'host',
};

/** A hook name with its kind, e.g. `PRE_PROCESS (waterfall-bail)`. */
function describeHook(name: string): string {
  const kind = (STAGE_KIND as Record<string, string>)[name as Stage] ?? CHUNK_AND_HOST_HOOKS[name];
  return kind ? `${name} (${kind})` : name;
}

function list(values: readonly string[]): string {
  return values.length > 0 ? values.join(', ') : '-';
}

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`;
}

/**
 * The boot tree as a person reads it: plugins in setup order, each with version, source,
 * dependencies, hooks (with their kinds), contributions and setup time.
 */
export function renderBootTree(plugins: readonly PluginInfo[], header: string): string {
  const lines = [`${header}: ${plugins.length} plugin${plugins.length === 1 ? '' : 's'}, in setup order`, ''];
  plugins.forEach((plugin, i) => {
    lines.push(`${i + 1}. ${plugin.id} ${plugin.version}  (setup ${formatMs(plugin.setupMs)})`);
    lines.push(`     source:      ${plugin.source}`);
    lines.push(`     requires:    ${list(plugin.requires)}`);
    lines.push(`     provides:    ${list(plugin.provides)}`);
    lines.push(`     hooks:       ${list(plugin.hooks.map(describeHook))}`);
    const contributions = Object.entries(plugin.contributes).filter(([, names]) => names.length > 0);
    lines.push(`     contributes: ${list(contributions.map(([kind, names]) => `${kindLabel(kind)}: ${names.join(', ')}`))}`);
    lines.push('');
  });
  const total = plugins.reduce((sum, p) => sum + p.setupMs, 0);
  lines.push(`total setup time: ${formatMs(total)}`);
  return lines.join('\n');
}
