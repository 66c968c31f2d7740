import { coreRefs, type AnyPlugin, type AnyRef } from '@llm-bawt/sdk';

/** Refs the host provides itself, so no plugin has to. */
export const BUILT_IN_REF_IDS: ReadonlySet<string> = new Set(Object.values(coreRefs).map((ref) => ref.id).filter((id) => id !== coreRefs.db.id && id !== coreRefs.settings.id));

/** A problem found while ordering plugins. */
export interface OrderingProblem {
  code: 'LLMB_ERR_PLUGIN_DEPENDENCY' | 'LLMB_ERR_PLUGIN_CYCLE' | 'LLMB_ERR_PLUGIN_DUPLICATE' | 'LLMB_ERR_PLUGIN_SCOPE';
  pluginId: string;
  message: string;
}

const SCOPE_RANK = { root: 0, bot: 1, request: 2 } as const;

function refsOf(plugin: AnyPlugin, which: 'requires' | 'optional'): [string, AnyRef][] {
  return Object.entries((plugin[which] ?? {}) as Record<string, AnyRef>);
}

/**
 * Sorts plugins so every plugin comes after the plugins that provide what it requires;
 * ties break by id, so the order never depends on the config's listing order.
 * Refs in `builtIn` are provided by the host itself.
 */
export function sortPlugins(plugins: AnyPlugin[], builtIn: ReadonlySet<string>): { order: AnyPlugin[]; problems: OrderingProblem[] } {
  const problems: OrderingProblem[] = [];
  const byId = new Map<string, AnyPlugin>();
  for (const plugin of plugins) {
    if (byId.has(plugin.id)) {
      problems.push({ code: 'LLMB_ERR_PLUGIN_DUPLICATE', pluginId: plugin.id, message: `plugin id '${plugin.id}' is listed more than once` });
      continue;
    }
    byId.set(plugin.id, plugin);
  }

  const providers = new Map<string, string[]>();
  for (const plugin of byId.values()) {
    for (const ref of plugin.provides ?? []) {
      const list = providers.get(ref.id) ?? [];
      list.push(plugin.id);
      providers.set(ref.id, list);
      if (list.length > 1 && !ref.multi) {
        problems.push({
          code: 'LLMB_ERR_PLUGIN_DUPLICATE',
          pluginId: plugin.id,
          message: `ref '${ref.id}' is provided by both '${list[0]}' and '${plugin.id}'; it is not a multi ref`,
        });
      }
      for (const [name, dep] of refsOf(plugin, 'requires')) {
        if (SCOPE_RANK[dep.scope] > SCOPE_RANK[ref.scope]) {
          problems.push({
            code: 'LLMB_ERR_PLUGIN_SCOPE',
            pluginId: plugin.id,
            message: `provides ${ref.scope}-scoped '${ref.id}' but requires ${dep.scope}-scoped '${dep.id}' (as '${name}')`,
          });
        }
      }
    }
  }

  const edges = new Map<string, Set<string>>();
  for (const plugin of byId.values()) {
    const deps = new Set<string>();
    for (const [which, entries] of [['requires', refsOf(plugin, 'requires')], ['optional', refsOf(plugin, 'optional')]] as const) {
      for (const [name, ref] of entries) {
        const owners = (providers.get(ref.id) ?? []).filter((id) => id !== plugin.id);
        if (owners.length === 0 && !builtIn.has(ref.id) && which === 'requires' && !(plugin.provides ?? []).some((r) => r.id === ref.id)) {
          problems.push({
            code: 'LLMB_ERR_PLUGIN_DEPENDENCY',
            pluginId: plugin.id,
            message: `requires '${ref.id}' (as '${name}') but no plugin provides it`,
          });
        }
        for (const owner of owners) deps.add(owner);
      }
    }
    edges.set(plugin.id, deps);
  }

  // Kahn's algorithm with a sorted ready list keeps ties in id order.
  const remaining = new Map([...edges].map(([id, deps]) => [id, new Set(deps)]));
  const order: AnyPlugin[] = [];
  for (;;) {
    const ready = [...remaining].filter(([, deps]) => deps.size === 0).map(([id]) => id).sort();
    if (ready.length === 0) break;
    const next = ready[0] as string;
    remaining.delete(next);
    order.push(byId.get(next) as AnyPlugin);
    for (const deps of remaining.values()) deps.delete(next);
  }
  if (remaining.size > 0) {
    const cycle = findCycle(remaining);
    problems.push({
      code: 'LLMB_ERR_PLUGIN_CYCLE',
      pluginId: cycle[0] ?? [...remaining.keys()][0] ?? '?',
      message: `plugins depend on each other in a cycle: ${cycle.join(' -> ')}`,
    });
  }
  return { order, problems };
}

function findCycle(graph: Map<string, Set<string>>): string[] {
  const visiting: string[] = [];
  const done = new Set<string>();
  const visit = (id: string): string[] | undefined => {
    const at = visiting.indexOf(id);
    if (at >= 0) return [...visiting.slice(at), id];
    if (done.has(id)) return undefined;
    visiting.push(id);
    for (const dep of [...(graph.get(id) ?? [])].sort()) {
      if (!graph.has(dep)) continue;
      const found = visit(dep);
      if (found) return found;
    }
    visiting.pop();
    done.add(id);
    return undefined;
  };
  for (const id of [...graph.keys()].sort()) {
    const found = visit(id);
    if (found) return found;
  }
  return [...graph.keys()];
}
