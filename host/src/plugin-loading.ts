import { loadPlugins } from '@llm-bawt/core';
import type { AnyPlugin } from '@llm-bawt/sdk';
import { lineOf } from './config-file.js';
import { isPackageReachable, isPathSpecifier } from './paths.js';
import type { Problem } from './problems.js';
import type { PluginRequest } from './settings.js';

export interface LoadedPluginSet {
  plugins: AnyPlugin[];
  /** Specifier each plugin id was loaded from, for the boot tree. */
  sources: Map<string, string>;
  /** Root config by plugin id: `plugin_config[id]` with the list entry's `config` over it. */
  pluginConfig: Record<string, Record<string, unknown>>;
  /** Where each plugin's config was given in the config file, for problem messages. */
  configPaths: Map<string, string>;
  problems: Problem[];
}

export interface LoadContext {
  /** The config file's directory (or the working directory without one). */
  baseDir: string;
  /** This package's directory: the default plugins are its dependencies. */
  hostDir: string;
  configFile: string | undefined;
  configLabel: string | undefined;
  pluginConfig: Record<string, Record<string, unknown>>;
}

/**
 * Where a specifier is resolved from: paths from the config's directory; package names from
 * there too, falling back to the host's own dependencies (so `@llm-bawt/plugin-*` listed in a
 * config outside any project still resolves).
 */
function resolveBase(request: PluginRequest, context: LoadContext): string {
  if (request.from === 'default') return context.hostDir;
  if (isPathSpecifier(request.specifier)) return context.baseDir;
  if (isPackageReachable(request.specifier, context.baseDir)) return context.baseDir;
  return isPackageReachable(request.specifier, context.hostDir) ? context.hostDir : context.baseDir;
}

/** Loads every requested plugin through core's jiti loader, collecting every failure. */
export async function loadRequestedPlugins(requests: readonly PluginRequest[], context: LoadContext): Promise<LoadedPluginSet> {
  const result: LoadedPluginSet = { plugins: [], sources: new Map(), pluginConfig: {}, configPaths: new Map(), problems: [] };
  for (const request of requests) {
    const { loaded, problems } = await loadPlugins([request.specifier], resolveBase(request, context));
    for (const problem of problems) {
      if (request.from === 'config' && context.configLabel !== undefined && request.path !== undefined) {
        const line = context.configFile ? lineOf(context.configFile, request.path) : undefined;
        result.problems.push({ file: context.configLabel, path: request.path, code: problem.code, message: problem.message, ...(line ? { line } : {}) });
      } else {
        result.problems.push({ code: problem.code, message: `${problem.message} (one of the default plugins)` });
      }
    }
    for (const { plugin, specifier } of loaded) {
      result.plugins.push(plugin);
      if (!result.sources.has(plugin.id)) result.sources.set(plugin.id, specifier);
      const byId = context.pluginConfig[plugin.id];
      if (byId !== undefined || request.config !== undefined) {
        result.pluginConfig[plugin.id] = { ...byId, ...request.config };
        result.configPaths.set(plugin.id, request.config !== undefined && request.path ? `${request.path}.config` : `plugin_config.${plugin.id}`);
      }
    }
  }
  for (const id of Object.keys(context.pluginConfig)) {
    if (!(id in result.pluginConfig)) {
      result.pluginConfig[id] = context.pluginConfig[id] as Record<string, unknown>;
      result.configPaths.set(id, `plugin_config.${id}`);
    }
  }
  return result;
}
