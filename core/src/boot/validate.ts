import semver from 'semver';
import * as v from 'valibot';
import { SDK_VERSION, type AnyPlugin, type BotConfig, type ModelSpec } from '@llm-bawt/sdk';

/** One boot problem, with the plugin (and bot) it concerns. */
export interface BootProblem {
  code: string;
  pluginId?: string;
  /** The bot whose section is at fault, for per-bot plugin config and default models. */
  bot?: string;
  /** Where in the plugin's config (or which setting) the problem is. */
  path?: string;
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
      if (!known.has(id)) problems.push({ code: 'LLMB_ERR_PLUGIN_CONFIG', pluginId: id, bot: bot.slug, message: `bot '${bot.slug}' configures plugin '${id}', which is not loaded` });
    }
  }

  for (const plugin of plugins) {
    const schema = plugin.config as v.GenericSchema | undefined;
    const given = rootConfig[plugin.id];
    const parse = (value: unknown, bot?: string): unknown => {
      const where = bot ? ` (bot '${bot}')` : '';
      const at = bot ? { bot } : {};
      if (!schema) {
        if (value !== undefined && Object.keys(value as object).length > 0) {
          problems.push({ code: 'LLMB_ERR_PLUGIN_CONFIG', pluginId: plugin.id, ...at, message: `plugin '${plugin.id}'${where} takes no config` });
        }
        return Object.freeze({});
      }
      const result = v.safeParse(schema, value ?? {});
      if (result.success) return Object.freeze(result.output);
      for (const issue of result.issues) {
        const path = issuePath(issue);
        problems.push({ code: 'LLMB_ERR_PLUGIN_CONFIG', pluginId: plugin.id, ...at, path, message: `plugin '${plugin.id}'${where} config${path ? ` at '${path}'` : ''}: ${issue.message}` });
      }
      return undefined;
    };
    root.set(plugin.id, parse(given));
    const forBots = new Map<string, unknown>();
    for (const bot of bots) {
      const section = bot.plugins[plugin.id];
      if (section === undefined) continue;
      forBots.set(bot.slug, parse({ ...(given as object | undefined), ...(section as object) }, bot.slug));
    }
    perBot.set(plugin.id, forBots);
  }
  return { root, perBot, problems };
}

/** Checks that every transport id asked for is contributed by a loaded plugin. */
export function checkTransports(plugins: readonly AnyPlugin[], wanted: readonly string[]): BootProblem[] {
  const known = plugins.flatMap((plugin) => (plugin.contributes?.transports ?? []).map((transport) => ({ id: transport.id, pluginId: plugin.id })));
  const ids = new Set(known.map((k) => k.id));
  const offered = known.length > 0 ? `known transports: ${known.map((k) => `${k.id} (plugin ${k.pluginId})`).join(', ')}` : 'no loaded plugin contributes a transport';
  return [...new Set(wanted)]
    .filter((id) => !ids.has(id))
    .map((id) => ({ code: 'LLMB_ERR_CONFIG', path: 'transports', message: `transport '${id}' is not contributed by any loaded plugin; ${offered}` }));
}

/** Checks that bots and defaults name models and bots that exist. */
export function checkDefaults(input: {
  bots: readonly BotConfig[];
  models: readonly ModelSpec[];
  defaultBot?: string | undefined;
  defaultModel?: string | undefined;
}): BootProblem[] {
  const problems: BootProblem[] = [];
  const aliases = new Set(input.models.map((m) => m.alias));
  if (input.bots.length === 0) problems.push({ code: 'LLMB_ERR_CONFIG', path: 'bots', message: 'no bots are configured (bots.yaml defines none)' });
  for (const bot of input.bots) {
    if (bot.default_model && !aliases.has(bot.default_model)) {
      problems.push({ code: 'LLMB_ERR_CONFIG', bot: bot.slug, path: 'default_model', message: `bot '${bot.slug}': default_model '${bot.default_model}' is not an alias in models.yaml` });
    }
  }
  if (input.defaultModel && !aliases.has(input.defaultModel)) {
    problems.push({ code: 'LLMB_ERR_CONFIG', path: 'default_model', message: `default model '${input.defaultModel}' is not an alias in models.yaml` });
  }
  if (input.defaultBot && input.bots.length > 0 && !input.bots.some((b) => b.slug === input.defaultBot)) {
    problems.push({ code: 'LLMB_ERR_CONFIG', path: 'default_bot', message: `default bot '${input.defaultBot}' is not defined in bots.yaml` });
  }
  return problems;
}
