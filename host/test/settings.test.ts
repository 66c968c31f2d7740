import { describe, expect, it } from 'vitest';
import { DEFAULT_PLUGINS, findConfigFile, pluginEnv, resolveSettings, type HostSettings } from '../src/index.js';

const cwd = '/srv/project';
const homeDir = '/home/ada';
const config = {
  path: '/etc/llm-bawt/llm-bawt.config.yaml',
  origin: 'flag' as const,
  value: {
    listen: { host: '10.0.0.5', port: 9000 },
    mcp: { port: 9001 },
    models: 'catalog/models.yaml',
    bots: '/srv/bots.yaml',
    data_dir: '~/state',
    default_bot: 'spark',
    default_model: 'grok',
    api_keys: ['from-config'],
    database_url: 'postgres://config',
    log_level: 'debug' as const,
  },
};

function resolve(input: Partial<Parameters<typeof resolveSettings>[0]> = {}): HostSettings {
  const { settings, problems } = resolveSettings({ flags: {}, env: {}, cwd, homeDir, exists: () => false, ...input });
  expect(problems).toEqual([]);
  return settings;
}

describe('settings precedence: flags > environment > config file > defaults', () => {
  it('uses the built-in defaults when nothing is set', () => {
    const s = resolve();
    expect(s.listen).toEqual({ host: '127.0.0.1', port: 8642 });
    expect(s.mcp).toEqual({ host: '127.0.0.1', port: 8001 });
    expect(s.dataDir).toBe('/home/ada/.llm-bawt');
    expect(s.botsFile).toBeUndefined();
    expect(s.modelsFile).toBeUndefined();
    expect(s.apiKeys).toEqual([]);
    expect(s.logLevel).toBe('info');
    expect(s.plugins.map((p) => p.specifier)).toEqual(DEFAULT_PLUGINS);
    expect(s.origins.port).toBe('default');
  });

  it('takes the config file over the defaults, resolving its paths against its own directory', () => {
    const s = resolve({ config });
    expect(s.listen).toEqual({ host: '10.0.0.5', port: 9000 });
    expect(s.mcp.port).toBe(9001);
    expect(s.modelsFile).toBe('/etc/llm-bawt/catalog/models.yaml');
    expect(s.botsFile).toBe('/srv/bots.yaml');
    expect(s.dataDir).toBe('/home/ada/state');
    expect(s.defaultBot).toBe('spark');
    expect(s.defaultModel).toBe('grok');
    expect(s.apiKeys).toEqual(['from-config']);
    expect(s.databaseUrl).toBe('postgres://config');
    expect(s.logLevel).toBe('debug');
    expect(s.origins.port).toBe('config');
  });

  it('takes the environment over the config file, resolving env paths against the working directory', () => {
    const env = {
      LLM_BAWT_PORT: '7000',
      LLM_BAWT_HOST: '127.0.0.2',
      LLM_BAWT_MCP_PORT: '7001',
      LLM_BAWT_MODELS: 'my-models.yaml',
      LLM_BAWT_BOTS: 'my-bots.yaml',
      LLM_BAWT_DATA_DIR: 'data',
      LLM_BAWT_DEFAULT_BOT: 'mira',
      LLM_BAWT_DEFAULT_MODEL: 'claude-sonnet',
      LLM_BAWT_API_KEYS: ' k1, k2 ,,',
      DATABASE_URL: 'postgres://env',
      REDIS_URL: 'redis://env',
      LLM_BAWT_LOG_LEVEL: 'warn',
    };
    const s = resolve({ config, env });
    expect(s.listen).toEqual({ host: '127.0.0.2', port: 7000 });
    expect(s.mcp.port).toBe(7001);
    expect(s.modelsFile).toBe('/srv/project/my-models.yaml');
    expect(s.botsFile).toBe('/srv/project/my-bots.yaml');
    expect(s.dataDir).toBe('/srv/project/data');
    expect(s.defaultBot).toBe('mira');
    expect(s.defaultModel).toBe('claude-sonnet');
    expect(s.apiKeys).toEqual(['k1', 'k2']);
    expect(s.databaseUrl).toBe('postgres://env');
    expect(s.redisUrl).toBe('redis://env');
    expect(s.logLevel).toBe('warn');
    expect(s.origins.port).toBe('env');
  });

  it('takes flags over the environment', () => {
    const s = resolve({ config, env: { LLM_BAWT_PORT: '7000', LLM_BAWT_HOST: '127.0.0.2' }, flags: { port: '0', host: '::1' } });
    expect(s.listen).toEqual({ host: '::1', port: 0 });
    expect(s.origins.port).toBe('flag');
  });

  it('reports a bad port with where it came from, instead of guessing', () => {
    const { problems } = resolveSettings({ flags: {}, env: { LLM_BAWT_PORT: 'eighty' }, cwd, homeDir, exists: () => false });
    expect(problems).toEqual([{ file: 'environment', path: 'LLM_BAWT_PORT', message: '"eighty" is not a port number (0-65535)' }]);
    const flagged = resolveSettings({ flags: { port: '70000' }, env: {}, cwd, homeDir, exists: () => false });
    expect(flagged.problems[0]).toMatchObject({ file: 'command line', path: '--port' });
  });

  it('finds bots.yaml and models.yaml next to the config file, else in the working directory', () => {
    const present = new Set(['/etc/llm-bawt/bots.yaml', '/srv/project/models.yaml']);
    const s = resolve({ config: { ...config, value: {} }, exists: (p) => present.has(p) });
    expect(s.botsFile).toBe('/etc/llm-bawt/bots.yaml');
    expect(s.modelsFile).toBe('/srv/project/models.yaml');
  });

  it('replaces the default plugins with the config list and appends extra_plugins', () => {
    const listed = resolve({ config: { ...config, value: { plugins: ['./a.ts', { use: 'b', config: { x: 1 } }], extra_plugins: ['c'] } } });
    expect(listed.plugins).toEqual([
      { specifier: './a.ts', from: 'config', path: 'plugins.0' },
      { specifier: 'b', from: 'config', path: 'plugins.1', config: { x: 1 } },
      { specifier: 'c', from: 'config', path: 'extra_plugins.0' },
    ]);
    const extra = resolve({ config: { ...config, value: { extra_plugins: ['c'] } } });
    expect(extra.plugins.map((p) => p.specifier)).toEqual([...DEFAULT_PLUGINS, 'c']);
  });

  it('hands config-file values to plugins under their environment names, never over the real environment', () => {
    const s = resolve({ config, env: { REDIS_URL: 'redis://env' } });
    const env = pluginEnv({ REDIS_URL: 'redis://env', OPENAI_API_KEY: 'sk' }, s);
    expect(env).toMatchObject({ DATABASE_URL: 'postgres://config', REDIS_URL: 'redis://env', LLM_BAWT_API_KEYS: 'from-config', OPENAI_API_KEY: 'sk' });
  });
});

const existing = (names: string[]) => (path: string) => names.some((n) => path === `${cwd}/${n}`);

describe('config file discovery', () => {

  it('prefers --config, then LLM_BAWT_CONFIG, then ./llm-bawt.config.yaml, then .ts', () => {
    const env = { LLM_BAWT_CONFIG: 'env.yaml' };
    const all = existing(['llm-bawt.config.yaml', 'llm-bawt.config.ts']);
    expect(findConfigFile({ config: 'flag.yaml' }, env, cwd, homeDir, all)).toEqual({ path: `${cwd}/flag.yaml`, origin: 'flag' });
    expect(findConfigFile({}, env, cwd, homeDir, all)).toEqual({ path: `${cwd}/env.yaml`, origin: 'env' });
    expect(findConfigFile({}, {}, cwd, homeDir, all)).toEqual({ path: `${cwd}/llm-bawt.config.yaml`, origin: 'default' });
    expect(findConfigFile({}, {}, cwd, homeDir, existing(['llm-bawt.config.ts']))).toEqual({ path: `${cwd}/llm-bawt.config.ts`, origin: 'default' });
    expect(findConfigFile({}, {}, cwd, homeDir, existing([]))).toBeUndefined();
  });
});
