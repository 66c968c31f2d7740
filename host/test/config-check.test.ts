import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runConfigCheck } from '../src/index.js';
import { BOTS_YAML, captureIo, fixtureFrom, LOCAL_MODELS_YAML, makeProject, REPO_ROOT } from './helpers.js';

describe('llm-bawt config check', () => {
  it('names the file, the path in it, the line and the problem for a bad bots.yaml', async () => {
    const dir = makeProject({
      'llm-bawt.config.yaml': 'plugins:\n  - "@llm-bawt/plugin-provider-openai"\n',
      'models.yaml': LOCAL_MODELS_YAML,
      'bots.yaml': ['bots:', '  nova:', '    name: Nova', '    system_prompt: Hi.', '    uses_tools: "yes"', ''].join('\n'),
    });
    const io = captureIo(dir);
    expect(await runConfigCheck(io, {})).toBe(1);
    expect(io.stdout).toEqual([]);
    expect(io.stderr.join('\n')).toBe(['config check: 1 problem', '  bots.yaml:5: bots.nova.uses_tools: Invalid type: Expected boolean but received "yes"'].join('\n'));
  });

  it('reports a missing plugin, a bad plugin config and a bad models.yaml together, in one run', async () => {
    const dir = makeProject({
      'llm-bawt.config.yaml': [
        'plugins:',
        '  - ./plugins/missing.ts',
        '  - use: "@llm-bawt/example-hello-plugin"',
        '    config:',
        '      greeting: 42',
        '  - "@llm-bawt/plugin-provider-openai"',
        'bots: bots.yaml',
        '',
      ].join('\n'),
      'bots.yaml': BOTS_YAML,
      'models.yaml': ['default: nowhere', 'models:', '  local:', '    provider: openai-compatible', '    base_url: not a url', ''].join('\n'),
    });
    const io = captureIo(dir);
    expect(await runConfigCheck(io, {})).toBe(1);
    const output = io.stderr.join('\n');
    expect(output).toMatch(/^config check: 4 problems$/m);
    expect(output).toContain(`llm-bawt.config.yaml:2: plugins.0: cannot find plugin './plugins/missing.ts': no file at ${join(dir, 'plugins/missing.ts')}`);
    expect(output).toContain("llm-bawt.config.yaml:5: plugins.1.config: plugin 'hello' config at 'greeting': Invalid type: Expected string but received 42");
    expect(output).toMatch(/^ {2}models\.yaml:4: models\.local\.model: Invalid key: Expected "model" but received undefined$/m);
    expect(output).toMatch(/^ {2}models\.yaml:5: models\.local\.base_url: must be a URL such as http:\/\/127\.0\.0\.1:11434\/v1$/m);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('prints ok with a summary for the seed bots.yaml and models.yaml of the repository', async () => {
    const dir = makeProject({
      'llm-bawt.config.yaml': [
        'plugins:',
        '  - "@llm-bawt/plugin-provider-openai"',
        '  - "@llm-bawt/plugin-provider-anthropic"',
        '  - "@llm-bawt/plugin-provider-xai"',
        `bots: ${join(REPO_ROOT, 'bots.yaml')}`,
        `models: ${join(REPO_ROOT, 'models.yaml')}`,
        '',
      ].join('\n'),
    });
    const io = captureIo(dir, { ANTHROPIC_API_KEY: 'test-key' });
    expect(await runConfigCheck(io, {})).toBe(0);
    const output = io.stdout.join('\n');
    expect(output).toMatch(/^ok: llm-bawt\.config\.yaml$/m);
    expect(output).toContain('bots:    3 (nova, spark, mira; default nova)');
    expect(output).toMatch(/models: {2}6 aliases, 2 usable now/);
    expect(output).toContain('plugins: 3 (provider-anthropic, provider-openai, provider-xai)');
    expect(io.stderr).toEqual([]);
  });

  it('points a default bot or model that does not exist at the variable or key that set it', async () => {
    const dir = makeProject({
      'llm-bawt.config.yaml': 'plugins: []\ndefault_model: missing\ndefault_bot: tracer\n',
      'bots.yaml': BOTS_YAML,
      'models.yaml': LOCAL_MODELS_YAML,
    });
    const io = captureIo(dir, { LLM_BAWT_DEFAULT_BOT: 'ghost' });
    expect(await runConfigCheck(io, {})).toBe(1);
    expect(io.stderr.join('\n').split('\n')).toEqual([
      'config check: 2 problems',
      "  llm-bawt.config.yaml:2: default_model: default model 'missing' is not an alias in models.yaml",
      "  environment: LLM_BAWT_DEFAULT_BOT: default bot 'ghost' is not defined in bots.yaml",
    ]);
  });

  it('reports an unreadable config file alone, without guessing at its plugins', async () => {
    const dir = makeProject({ 'llm-bawt.config.yaml': 'plugins: [oops\n', 'bots.yaml': 'bots:\n  a:\n    name: A\n    system_prompt: Hi.\n    plugins: { hello: {} }\n' });
    const io = captureIo(dir);
    expect(await runConfigCheck(io, {})).toBe(1);
    const lines = io.stderr.join('\n').split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('config check: 1 problem');
    expect(lines[1]).toMatch(/^ {2}llm-bawt\.config\.yaml: \(root\): YAML syntax: /);
  });

  it('refuses a non-loopback listener when no API key is configured', async () => {
    const dir = makeProject({ 'llm-bawt.config.yaml': 'plugins: []\nlisten:\n  host: 0.0.0.0\n', 'bots.yaml': BOTS_YAML });
    const refused = captureIo(dir);
    expect(await runConfigCheck(refused, {})).toBe(1);
    expect(refused.stderr.join('\n')).toContain('refusing to listen on 0.0.0.0: it is reachable from other machines and no API key is configured');
    const keyed = captureIo(dir, { LLM_BAWT_API_KEYS: 'secret' });
    expect(await runConfigCheck(keyed, {})).toBe(0);
  });

  it('loads a .ts plugin given by a path relative to the config file', async () => {
    const dir = makeProject({ 'bots.yaml': BOTS_YAML, 'models.yaml': LOCAL_MODELS_YAML });
    const io = captureIo(dir);
    const config = makeProject({ 'conf/llm-bawt.config.yaml': `plugins:\n  - ${fixtureFrom(join(dir, 'conf'), 'trace-plugin.ts')}\nbots: ${join(dir, 'bots.yaml')}\n` });
    expect(await runConfigCheck(io, { config: join(config, 'conf/llm-bawt.config.yaml') })).toBe(0);
    expect(io.stdout.join('\n')).toContain('plugins: 1 (trace)');
  });
});
