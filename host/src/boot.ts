import { createHost, loadBotsFile, loadModelsFile, type Host, type HostOptions } from '@llm-bawt/core';
import { isLlmbError, type BotConfig, type ListenSettings, type Logger, type ModelSpec } from '@llm-bawt/sdk';
import { bindProblems } from './bind-safety.js';
import { BUILTIN_BOTS, BUILTIN_MODELS } from './builtin-catalog.js';
import { readConfigFile } from './config-file.js';
import { displayPath, hostPackageDir, hostVersion } from './paths.js';
import { loadRequestedPlugins } from './plugin-loading.js';
import { preflight, problemsFromBootError } from './preflight.js';
import { BootFailure, fromConfigProblems, type Problem } from './problems.js';
import { findConfigFile, pluginEnv, resolveSettings, type CliFlags, type Env, type HostSettings } from './settings.js';

export interface BootRequest {
  flags: CliFlags;
  env: Env;
  cwd: string;
  homeDir: string;
  /** Also check that the listeners may bind as configured (`host`, `config check`). */
  listening?: boolean;
  /** Where the default plugins resolve from; this package by default. */
  hostDir?: string;
}

/** Everything read from files and flags, ready for createHost, plus every problem found. */
export interface BootPlan {
  settings: HostSettings;
  options: Omit<HostOptions, 'logger' | 'transports'>;
  problems: Problem[];
  /** Things worth saying that are not problems (a built-in catalog in use, ...). */
  notes: string[];
  labels: { config?: string; bots?: string; models?: string };
}

/**
 * Reads the config file, bots.yaml, models.yaml and every plugin, and collects all problems
 * in one list: config files, plugin loading, plugin configs, dependencies. Runs no setup.
 */
export async function planBoot(request: BootRequest): Promise<BootPlan> {
  const { flags, env, cwd, homeDir } = request;
  const problems: Problem[] = [];
  const notes: string[] = [];
  const label = (path: string) => displayPath(path, cwd);

  const choice = findConfigFile(flags, env, cwd, homeDir);
  const config = choice ? await readConfigFile(choice.path, label(choice.path)) : undefined;
  problems.push(...(config?.problems ?? []));
  const configUsable = config !== undefined && config.problems.length === 0;
  const resolved = resolveSettings({ flags, env, cwd, homeDir, config: choice && config ? { ...choice, value: config.value } : undefined });
  const { settings } = resolved;
  problems.push(...resolved.problems);
  if (request.listening) problems.push(...bindProblems(settings));
  const labels: BootPlan['labels'] = {
    ...(settings.configFile ? { config: label(settings.configFile) } : {}),
    ...(settings.botsFile ? { bots: label(settings.botsFile) } : {}),
    ...(settings.modelsFile ? { models: label(settings.modelsFile) } : {}),
  };

  let bots: readonly BotConfig[] = BUILTIN_BOTS;
  let defaultBot = settings.defaultBot;
  if (settings.botsFile) {
    const loaded = loadBotsFile(settings.botsFile, labels.bots);
    problems.push(...fromConfigProblems(loaded.problems));
    bots = loaded.bots;
    defaultBot ??= loaded.defaultBot;
  } else {
    notes.push(`no bots.yaml found: using the built-in '${BUILTIN_BOTS[0]?.slug}' bot`);
  }

  let models: readonly ModelSpec[] = BUILTIN_MODELS;
  let defaultModel = settings.defaultModel;
  let modelsReadable = true;
  if (settings.modelsFile) {
    const loaded = loadModelsFile(settings.modelsFile, labels.models);
    problems.push(...fromConfigProblems(loaded.problems));
    modelsReadable = loaded.models.length > 0 || loaded.problems.length === 0;
    models = loaded.models;
    defaultModel ??= loaded.defaultAlias;
  } else {
    notes.push(`no models.yaml found: using the built-in aliases ${BUILTIN_MODELS.map((m) => m.alias).join(', ')}`);
  }

  // An unreadable config file has no trustworthy plugin list; its own problems say why.
  const requests = config === undefined || configUsable ? settings.plugins : [];
  const plugins = await loadRequestedPlugins(requests, {
    baseDir: settings.baseDir,
    hostDir: request.hostDir ?? hostPackageDir(),
    configFile: settings.configFile,
    configLabel: labels.config,
    pluginConfig: settings.pluginConfig,
  });
  problems.push(...plugins.problems);

  const options: BootPlan['options'] = {
    plugins: plugins.plugins,
    sources: plugins.sources,
    pluginConfig: plugins.pluginConfig,
    bots,
    ...(defaultBot ? { defaultBot } : {}),
    models,
    ...(defaultModel ? { defaultModel } : {}),
    settings: settings.settings,
    env: pluginEnv(env, settings),
    dataDir: settings.dataDir,
    listen: listenOption(settings),
    version: hostVersion(),
  };

  // What createHost would refuse, found here with file and line and without running any setup.
  problems.push(
    ...preflight({
      plugins: plugins.plugins,
      pluginConfig: plugins.pluginConfig,
      bots,
      models: modelsReadable ? models : undefined,
      defaultBot,
      defaultModel,
      pluginsKnown: config === undefined || configUsable,
      where: {
        configFile: settings.configFile,
        configLabel: labels.config,
        botsFile: settings.botsFile,
        botsLabel: labels.bots,
        configPaths: plugins.configPaths,
        defaultBotOrigin: settings.origins.defaultBot,
        defaultModelOrigin: settings.origins.defaultModel,
      },
    }),
  );
  return { settings, options, problems, notes, labels };
}

/**
 * Boots a planned host. Refuses with a BootFailure listing every problem: the plan's own, or
 * the ones createHost finds (it checks everything before any setup runs).
 */
export async function bootHost(plan: BootPlan, options: { transports: boolean | readonly string[]; logger: Logger }): Promise<Host> {
  if (plan.problems.length > 0) throw new BootFailure(plan.problems);
  try {
    return await createHost({ ...plan.options, transports: options.transports, logger: options.logger });
  } catch (error) {
    if (isLlmbError(error) && error.code === 'LLMB_ERR_BOOT') throw new BootFailure(problemsFromBootError(error.origin.problems ?? [error.message]));
    // A setup or transport that fails is an expected refusal too: say which, without a stack.
    if (isLlmbError(error)) throw new BootFailure([{ code: error.code, message: error.message }]);
    throw error;
  }
}

/**
 * What transports get as `host.listen`: only values set by a flag, the environment or the
 * config file, so a transport's own plugin config still wins over the built-in defaults.
 */
export function listenOption(settings: HostSettings): ListenSettings {
  return {
    ...(settings.origins.listen !== 'default' ? { host: settings.listen.host } : {}),
    ...(settings.origins.port !== 'default' ? { port: settings.listen.port } : {}),
    ...(settings.apiKeys.length > 0 ? { apiKeys: settings.apiKeys } : {}),
    mcp: settings.mcp,
  };
}
