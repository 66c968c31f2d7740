import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { createJiti } from 'jiti';
import { isBranded, type AnyPlugin } from '@llm-bawt/sdk';
import type { BootProblem } from './validate.js';

/** A plugin module after loading, with the specifier it came from. */
export interface LoadedPlugin {
  plugin: AnyPlugin;
  specifier: string;
}

function isPath(specifier: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier);
}

/**
 * Loads one plugin through jiti (so `.ts` files need no build): a relative path is taken from
 * `baseDir`, a package name is resolved from there too. The module's default export must be
 * a `definePlugin(...)` result.
 */
export async function loadPlugin(specifier: string, baseDir: string): Promise<LoadedPlugin> {
  const jiti = createJiti(join(baseDir, 'llm-bawt.config.ts'), { interopDefault: true, moduleCache: true });
  const target = isPath(specifier) ? resolve(baseDir, specifier) : specifier;
  if (isPath(specifier) && !existsSync(target) && !['.ts', '.js', '.mjs'].some((ext) => existsSync(target + ext))) {
    throw new Error(`cannot find plugin '${specifier}': no file at ${target}`);
  }
  let loaded: unknown;
  try {
    loaded = await jiti.import(target, { default: true });
  } catch (error) {
    const message = (error as Error).message;
    if (/Cannot find (module|package)/.test(message) && !isPath(specifier)) {
      throw new Error(`cannot find plugin package '${specifier}': install it (npm install ${specifier}) or fix the name`, { cause: error });
    }
    throw new Error(`cannot load plugin '${specifier}': ${message.split('\n')[0]}`, { cause: error });
  }
  if (!isBranded(loaded, 'plugin')) {
    throw new Error(`'${specifier}' does not default-export a plugin made with definePlugin() from @llm-bawt/sdk`);
  }
  return { plugin: loaded as AnyPlugin, specifier };
}

/** Loads every specifier, collecting all failures instead of stopping at the first. */
export async function loadPlugins(specifiers: readonly string[], baseDir: string): Promise<{ loaded: LoadedPlugin[]; problems: BootProblem[] }> {
  const loaded: LoadedPlugin[] = [];
  const problems: BootProblem[] = [];
  for (const specifier of specifiers) {
    try {
      loaded.push(await loadPlugin(specifier, baseDir));
    } catch (error) {
      problems.push({ code: 'LLMB_ERR_PLUGIN_LOAD', message: (error as Error).message });
    }
  }
  return { loaded, problems };
}
