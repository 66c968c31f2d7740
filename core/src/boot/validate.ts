import semver from 'semver';
import * as v from 'valibot';
import { SDK_VERSION, type AnyPlugin, type BotConfig } from '@llm-bawt/sdk';

/** One boot problem, with the plugin (and bot) it concerns. */
export interface BootProblem {
  code: string;
  pluginId?: string;
  message: string;
}

function issuePath(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).map((p) => String(p.key)).join('.');
}

/** Checks the sdk range of every plugin. */
export function checkSdkRanges(plugins: readonly AnyPlugin[]): BootProblem[] {
  return plugins
    .filter((plugin) => !semver.validRange(plugin.sdk) || !semver.satisfies(SDK_VERSION, plugin.sdk, { includePrerelease: true }))
    .map((plugin) => ({
      code: 'LLMB_ERR_PLUGIN_SDK_RANGE',
      pluginId: plugin.id,
      message: `plugin '${plugin.id}' needs sdk ${plugin.sdk}, but this host has ${SDK_VERSION}`,
    }));
}

export interface ValidatedConfigs {
  /** Root config per plugin id. */
  root: Map<string, unknown>;
  /** Per-bot config per plugin id (bot sections merged over the root one). */
  perBot: Map<string, Map<string, unknown>>;
  problems: BootProblem[];
}

/**
 * Validates every plugin's config (root, then each bot's section merged over it) before any
 * setup runs, collecting every problem with plugin id, bot and path.
 */
export function validateConfigs(plugins: readonly AnyPlugin[], rootConfig: Readonly<Record<string, unknown>>, bots: readonly BotConfig[]): ValidatedConfigs {
  const root = new Map<string, unknown>();
  const perBot = new Map<string, Map<string, unknown>>();
  const problems: BootProblem[] = [];
  const known = new Set(plugins.map((p) => p.id));

  for (const id of Object.keys(rootConfig)) {
    if (!known.has(id)) problems.push({ code: 'LLMB_ERR_PLUGIN_CONFIG', pluginId: id, message: `config is given for plugin '${id}', which is not loaded` });
  }
  for (const bot of bots) {
    for (const id of Object.keys(bot.plugins)) {
      if (!known.has(id)) problems.push({ code: 'LLMB_ERR_PLUGIN_CONFIG', pluginId: id, message: `bot '${bot.slug}' configures plugin '${id}', which is not loaded` });
    }
  }

  for (const plugin of plugins) {
    const schema = plugin.config as v.GenericSchema | undefined;
    const given = rootConfig[plugin.id];
    const parse = (value: unknown, where: string): unknown => {
      if (!schema) {
        if (value !== undefined && Object.keys(value as object).length > 0) {
          problems.push({ code: 'LLMB_ERR_PLUGIN_CONFIG', pluginId: plugin.id, message: `plugin '${plugin.id}'${where} takes no config` });
        }
        return Object.freeze({});
      }
      const result = v.safeParse(schema, value ?? {});
      if (result.success) return Object.freeze(result.output);
      for (const issue of result.issues) {
        const path = issuePath(issue);
        problems.push({ code: 'LLMB_ERR_PLUGIN_CONFIG', pluginId: plugin.id, message: `plugin '${plugin.id}'${where} config${path ? ` at '${path}'` : ''}: ${issue.message}` });
      }
      return undefined;
    };
    root.set(plugin.id, parse(given, ''));
    const forBots = new Map<string, unknown>();
    for (const bot of bots) {
      const section = bot.plugins[plugin.id];
      if (section === undefined) continue;
      forBots.set(bot.slug, parse({ ...(given as object | undefined), ...(section as object) }, ` (bot '${bot.slug}')`));
    }
    perBot.set(plugin.id, forBots);
  }
  return { root, perBot, problems };
}
