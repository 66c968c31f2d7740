import { BUILT_IN_REF_IDS, checkDefaults, checkSdkRanges, sortPlugins, validateConfigs, type BootProblem } from '@llm-bawt/core';
import type { AnyPlugin, BotConfig, ModelSpec } from '@llm-bawt/sdk';
import { lineOf } from './config-file.js';
import type { Problem } from './problems.js';
import type { Origin } from './settings.js';

export interface PreflightInput {
  plugins: readonly AnyPlugin[];
  pluginConfig: Readonly<Record<string, unknown>>;
  bots: readonly BotConfig[];
  /** Undefined when models.yaml could not be read: alias checks would only repeat that. */
  models: readonly ModelSpec[] | undefined;
  defaultBot?: string | undefined;
  defaultModel?: string | undefined;
  /** False when the plugin list could not be read: dependency and config checks would only repeat that. */
  pluginsKnown?: boolean;
  /** Where each file-backed thing was configured, to point problems at their file and line. */
  where: {
    configFile?: string | undefined;
    configLabel?: string | undefined;
    botsFile?: string | undefined;
    botsLabel?: string | undefined;
    configPaths: ReadonlyMap<string, string>;
    /** Where the default bot and model were set: `env`, `config` (or `default`: from bots/models.yaml). */
    defaultBotOrigin?: Origin;
    defaultModelOrigin?: Origin;
  };
}

/** Points at the environment variable or config key a default came from. */
function defaultSource(origin: Origin | undefined, variable: string, key: string, where: PreflightInput['where']): Pick<Problem, 'file' | 'path' | 'line'> {
  if (origin === 'env') return { file: 'environment', path: variable };
  if (origin === 'config') return pointAt(where.configFile, where.configLabel, key);
  return {};
}

function pointAt(file: string | undefined, label: string | undefined, path: string): Pick<Problem, 'file' | 'path' | 'line'> {
  if (label === undefined) return {};
  const line = file ? lineOf(file, path) : undefined;
  return { file: label, path, ...(line ? { line } : {}) };
}

/**
 * The checks createHost runs before any setup, with structured results, so that problems
 * found earlier (a plugin that failed to load, a bad YAML file) are reported together with
 * these without running any plugin's setup.
 */
export function preflight(input: PreflightInput): Problem[] {
  const { where } = input;
  const pluginsKnown = input.pluginsKnown !== false;
  const boot: BootProblem[] = pluginsKnown ? [...checkSdkRanges(input.plugins)] : [];
  const sorted = sortPlugins([...input.plugins], BUILT_IN_REF_IDS);
  if (pluginsKnown) boot.push(...sorted.problems);
  const problems: Problem[] = boot.map((p) => ({
    code: p.code,
    message: p.pluginId && !p.message.includes(`'${p.pluginId}'`) ? `plugin '${p.pluginId}': ${p.message}` : p.message,
  }));

  for (const p of pluginsKnown ? validateConfigs(sorted.order, input.pluginConfig, input.bots).problems : []) {
    const location = p.bot
      ? pointAt(where.botsFile, where.botsLabel, `bots.${p.bot}.plugins.${p.pluginId ?? ''}`)
      : pointAt(where.configFile, where.configLabel, where.configPaths.get(p.pluginId ?? '') ?? `plugin_config.${p.pluginId ?? ''}`);
    problems.push({ code: p.code, message: p.message, ...location });
  }

  const defaults = checkDefaults({ bots: input.bots, models: input.models ?? [], defaultBot: input.defaultBot, defaultModel: input.defaultModel });
  for (const p of defaults) {
    // An empty bot list was already reported by the bots.yaml reader; alias checks need a readable models.yaml.
    if (p.path === 'bots' || (!input.models && p.path === 'default_model')) continue;
    const location = p.bot
      ? pointAt(where.botsFile, where.botsLabel, `bots.${p.bot}.default_model`)
      : p.path === 'default_bot'
        ? defaultSource(where.defaultBotOrigin, 'LLM_BAWT_DEFAULT_BOT', 'default_bot', where)
        : defaultSource(where.defaultModelOrigin, 'LLM_BAWT_DEFAULT_MODEL', 'default_model', where);
    problems.push({ code: p.code, message: p.bot ? p.message.replace(`bot '${p.bot}': `, '') : p.message, ...location });
  }
  return problems;
}

/** Turns createHost's LLMB_ERR_BOOT lines (`[CODE] message`) back into problems. */
export function problemsFromBootError(lines: readonly string[]): Problem[] {
  return lines.map((line) => {
    const match = /^\[([A-Z_]+)\] (.*)$/s.exec(line);
    return match ? { code: match[1] as string, message: match[2] as string } : { message: line };
  });
}
