import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { normalizePluginEntry, type HostConfigFile, type LogLevel } from '@llm-bawt/core';
import { DEFAULT_PLUGINS } from './default-plugins.js';
import { resolvePath } from './paths.js';
import type { Problem } from './problems.js';

/** The environment the host reads; passed in, never read from `process.env` here. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Where a setting's value came from, in precedence order. */
export type Origin = 'flag' | 'env' | 'config' | 'default';

/** Command-line flags that override everything else. */
export interface CliFlags {
  config?: string | undefined;
  port?: string | number | undefined;
  host?: string | undefined;
}

export const DEFAULT_PORT = 8642;
export const DEFAULT_MCP_PORT = 8001;
export const DEFAULT_BIND = '127.0.0.1';
/** Looked up in the working directory, in this order, when no config path is given. */
export const CONFIG_FILE_NAMES = ['llm-bawt.config.yaml', 'llm-bawt.config.yml', 'llm-bawt.config.ts'] as const;

/** A plugin to load: its specifier as written, its config entry, and where it was listed. */
export interface PluginRequest {
  specifier: string;
  config?: Record<string, unknown>;
  /** `config`: listed in the config file (resolved from its directory); `default`: the built-in set. */
  from: 'config' | 'default';
  /** Where it is listed in the config file, e.g. `plugins.2`. */
  path?: string;
}

/** Every setting the host runs with, after flags > environment > config file > defaults. */
export interface HostSettings {
  /** Absolute path of the config file, if one is used. */
  configFile: string | undefined;
  /** Directory relative paths of the config file are resolved against. */
  baseDir: string;
  listen: { host: string; port: number };
  mcp: { host: string; port: number };
  /** Absolute paths; undefined means "use the built-in catalog". */
  botsFile: string | undefined;
  modelsFile: string | undefined;
  dataDir: string;
  defaultBot: string | undefined;
  defaultModel: string | undefined;
  apiKeys: string[];
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  logLevel: LogLevel;
  plugins: PluginRequest[];
  /** `plugin_config` of the config file: config sections by plugin id. */
  pluginConfig: Record<string, Record<string, unknown>>;
  /** Global runtime settings (below bot and request overrides). */
  settings: Record<string, unknown>;
  origins: Record<'config' | 'listen' | 'port' | 'bots' | 'models' | 'dataDir' | 'apiKeys' | 'logLevel' | 'defaultBot' | 'defaultModel', Origin>;
}

export interface ConfigFileChoice {
  path: string;
  origin: Origin;
}

/** The config file to use: `--config`, then `LLM_BAWT_CONFIG`, then a default name in `cwd`. */
export function findConfigFile(flags: CliFlags, env: Env, cwd: string, homeDir: string, exists: (path: string) => boolean = existsSync): ConfigFileChoice | undefined {
  if (flags.config) return { path: resolvePath(flags.config, cwd, homeDir), origin: 'flag' };
  if (env.LLM_BAWT_CONFIG) return { path: resolvePath(env.LLM_BAWT_CONFIG, cwd, homeDir), origin: 'env' };
  for (const name of CONFIG_FILE_NAMES) {
    const path = join(cwd, name);
    if (exists(path)) return { path, origin: 'default' };
  }
  return undefined;
}

export interface ResolveInput {
  flags: CliFlags;
  env: Env;
  cwd: string;
  homeDir: string;
  /** The loaded config file, if any (parsed; problems are reported by its loader). */
  config?: { path: string; origin: Origin; value: HostConfigFile } | undefined;
  exists?: (path: string) => boolean;
}

function parsePort(raw: string | number, where: Problem): number | Problem {
  const text = String(raw).trim();
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isInteger(port) && port >= 0 && port <= 65_535) return port;
  return { ...where, message: `${JSON.stringify(String(raw))} is not a port number (0-65535)` };
}

function pick<T>(...candidates: [Origin, T | undefined][]): [Origin, T] | undefined {
  for (const [origin, value] of candidates) if (value !== undefined && value !== '') return [origin, value];
  return undefined;
}

const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;

/**
 * Resolves every setting with the precedence flags > environment > config file > defaults.
 * Pure: the environment, working directory and loaded config are inputs.
 */
export function resolveSettings(input: ResolveInput): { settings: HostSettings; problems: Problem[] } {
  const { flags, env, cwd, homeDir } = input;
  const exists = input.exists ?? existsSync;
  const file = input.config?.value ?? {};
  const configLabel = input.config?.path ?? 'llm-bawt.config.yaml';
  const baseDir = input.config ? dirname(input.config.path) : cwd;
  const problems: Problem[] = [];
  const fromConfig = (path: string | undefined) => (path === undefined ? undefined : resolvePath(path, baseDir, homeDir));
  const fromEnv = (path: string | undefined) => (path ? resolvePath(path, cwd, homeDir) : undefined);

  const portChoice = pick<string | number>(['flag', flags.port], ['env', env.LLM_BAWT_PORT], ['config', file.listen?.port]) ?? ['default', DEFAULT_PORT];
  const portWhere: Problem =
    portChoice[0] === 'flag' ? { file: 'command line', path: '--port', message: '' } : portChoice[0] === 'env' ? { file: 'environment', path: 'LLM_BAWT_PORT', message: '' } : { file: configLabel, path: 'listen.port', message: '' };
  const port = parsePort(portChoice[1], portWhere);
  if (typeof port !== 'number') problems.push(port);
  const hostChoice = pick(['flag', flags.host], ['env', env.LLM_BAWT_HOST], ['config', file.listen?.host]) ?? ['default', DEFAULT_BIND];

  const mcpPortRaw = pick<string | number>(['env', env.LLM_BAWT_MCP_PORT], ['config', file.mcp?.port])?.[1] ?? DEFAULT_MCP_PORT;
  const mcpPort = parsePort(mcpPortRaw, env.LLM_BAWT_MCP_PORT ? { file: 'environment', path: 'LLM_BAWT_MCP_PORT', message: '' } : { file: configLabel, path: 'mcp.port', message: '' });
  if (typeof mcpPort !== 'number') problems.push(mcpPort);

  const seedFile = (name: 'bots' | 'models', envName: string): [Origin, string | undefined] => {
    const chosen = pick(['env', fromEnv(env[envName])], ['config', fromConfig(file[name])]);
    if (chosen) return chosen;
    const candidates = [...new Set([join(baseDir, `${name}.yaml`), join(cwd, `${name}.yaml`)])];
    return ['default', candidates.find((path) => exists(path))];
  };
  const [botsOrigin, botsFile] = seedFile('bots', 'LLM_BAWT_BOTS');
  const [modelsOrigin, modelsFile] = seedFile('models', 'LLM_BAWT_MODELS');

  const dataDir = pick(['env', fromEnv(env.LLM_BAWT_DATA_DIR)], ['config', fromConfig(file.data_dir)]) ?? ['default', join(homeDir, '.llm-bawt')];

  const envKeys = env.LLM_BAWT_API_KEYS?.split(',').map((key) => key.trim()).filter((key) => key !== '');
  const apiKeys = pick<string[]>(['env', envKeys?.length ? envKeys : undefined], ['config', file.api_keys?.length ? file.api_keys : undefined]) ?? ['default', []];

  let logLevel = pick<string>(['env', env.LLM_BAWT_LOG_LEVEL], ['config', file.log_level]) ?? ['default', 'info'];
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel[1])) {
    problems.push({ file: 'environment', path: 'LLM_BAWT_LOG_LEVEL', message: `must be one of ${LOG_LEVELS.join(', ')}` });
    logLevel = ['default', 'info'];
  }

  const defaultBot = pick(['env', env.LLM_BAWT_DEFAULT_BOT], ['config', file.default_bot]);
  const defaultModel = pick(['env', env.LLM_BAWT_DEFAULT_MODEL], ['config', file.default_model]);

  const plugins: PluginRequest[] = [];
  if (file.plugins) {
    file.plugins.forEach((entry, i) => plugins.push(request(entry, 'config', `plugins.${i}`)));
  } else {
    for (const specifier of DEFAULT_PLUGINS) plugins.push({ specifier, from: 'default' });
  }
  (file.extra_plugins ?? []).forEach((entry, i) => plugins.push(request(entry, 'config', `extra_plugins.${i}`)));

  const settings: HostSettings = {
    configFile: input.config?.path,
    baseDir,
    listen: { host: hostChoice[1], port: typeof port === 'number' ? port : DEFAULT_PORT },
    mcp: { host: file.mcp?.host ?? hostChoice[1], port: typeof mcpPort === 'number' ? mcpPort : DEFAULT_MCP_PORT },
    botsFile,
    modelsFile,
    dataDir: dataDir[1],
    defaultBot: defaultBot?.[1],
    defaultModel: defaultModel?.[1],
    apiKeys: apiKeys[1],
    databaseUrl: pick(['env', env.DATABASE_URL], ['config', file.database_url])?.[1],
    redisUrl: pick(['env', env.REDIS_URL], ['config', file.redis_url])?.[1],
    logLevel: logLevel[1] as LogLevel,
    plugins,
    pluginConfig: { ...file.plugin_config },
    settings: { ...file.settings },
    origins: {
      config: input.config?.origin ?? 'default',
      listen: hostChoice[0],
      port: portChoice[0],
      bots: botsOrigin,
      models: modelsOrigin,
      dataDir: dataDir[0],
      apiKeys: apiKeys[0],
      logLevel: logLevel[0],
      defaultBot: defaultBot?.[0] ?? 'default',
      defaultModel: defaultModel?.[0] ?? 'default',
    },
  };
  return { settings, problems };
}

function request(entry: Parameters<typeof normalizePluginEntry>[0], from: PluginRequest['from'], path: string): PluginRequest {
  const { use, config } = normalizePluginEntry(entry);
  return { specifier: use, from, path, ...(config ? { config } : {}) };
}

/**
 * The environment plugins see: the process environment, with settings that came from the
 * config file filled in under their variable names, so a plugin reads one place.
 */
export function pluginEnv(env: Env, settings: HostSettings): Env {
  const filled: Record<string, string | undefined> = { ...env };
  const fill = (name: string, value: string | undefined) => {
    if (value !== undefined && !filled[name]) filled[name] = value;
  };
  fill('DATABASE_URL', settings.databaseUrl);
  fill('REDIS_URL', settings.redisUrl);
  fill('LLM_BAWT_DATA_DIR', settings.dataDir);
  fill('LLM_BAWT_API_KEYS', settings.apiKeys.length > 0 ? settings.apiKeys.join(',') : undefined);
  return filled;
}
