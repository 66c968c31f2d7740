import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, BOTS_YAML, fixtureFrom, LOCAL_MODELS_YAML, makeProject, REPO_ROOT } from './helpers.js';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Only PATH and HOME: no provider keys or LLM_BAWT_* of the machine running the tests. */
function cleanEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, NO_COLOR: '1', ...extra };
}

function start(args: string[], cwd: string, env: NodeJS.ProcessEnv): { child: ChildProcess; result: Promise<Run>; output: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, result, output: () => stdout };
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv(cwd)): Promise<Run> {
  return start(args, cwd, env).result;
}

async function waitForOutput(output: () => string, text: string, result: Promise<Run>): Promise<void> {
  const ended = result.then((r) => {
    throw new Error(`llm-bawt exited (${r.code}) before printing '${text}':\n${r.stdout}\n${r.stderr}`);
  });
  const seen = (async () => {
    while (!output().includes(text)) await new Promise((resolve) => setTimeout(resolve, 25));
  })();
  await Promise.race([seen, ended]);
}

/** A temp project with the test bots/models and a config listing `plugins` (`fixture:x.ts` = a fixture by relative path). */
function project(plugins: string[], files: Record<string, string> = {}): string {
  const dir = makeProject({ 'bots.yaml': BOTS_YAML, 'models.yaml': LOCAL_MODELS_YAML, ...files });
  const list = plugins.map((p) => `  - ${p.startsWith('fixture:') ? fixtureFrom(dir, p.slice('fixture:'.length)) : JSON.stringify(p)}`);
  writeFileSync(join(dir, 'llm-bawt.config.yaml'), list.length > 0 ? ['plugins:', ...list, ''].join('\n') : 'plugins: []\n');
  return dir;
}

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, 'host/dist/cli.js'))) throw new Error('host/dist/cli.js is missing: run `npm run build` before these tests');
});

describe('the llm-bawt binary', () => {
  it('plugins: prints the boot tree in setup order with sources, hooks and their kinds, contributions and timings', async () => {
    const dir = project(['@llm-bawt/example-hello-plugin', 'fixture:trace-plugin.ts', '@llm-bawt/plugin-provider-openai']);
    const { code, stdout, stderr } = await run(['plugins'], dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^llm-bawt 0\.1\.0 \(config: llm-bawt\.config\.yaml\): 3 plugins, in setup order$/m);
    expect(stdout).toMatch(/^1\. hello 0\.1\.0 {2}\(setup [\d.]+ ms\)$/m);
    expect(stdout).toMatch(/^2\. provider-openai 0\.1\.0/m);
    expect(stdout).toMatch(/^3\. trace 0\.1\.0/m);
    expect(stdout).toContain('source:      @llm-bawt/example-hello-plugin');
    expect(stdout).toContain('provides:    hello.greeter');
    expect(stdout).toContain('hooks:       PRE_PROCESS (waterfall-bail), CONTEXT_BUILD (waterfall), onChunk (per chunk), POST_PROCESS (detached), host:ready (host)');
    expect(stdout).toContain('contributes: tools: say_hello');
    expect(stdout).toContain('contributes: providers: openai');
    expect(stdout).toMatch(/^total setup time: [\d.]+ ms$/m);
  });

  it('plugins --json: prints the boot tree as data', async () => {
    const dir = project(['@llm-bawt/example-hello-plugin']);
    const { code, stdout } = await run(['plugins', '--json'], dir);
    expect(code).toBe(0);
    const tree = JSON.parse(stdout) as { id: string; hooks: string[]; source: string }[];
    expect(tree).toEqual([expect.objectContaining({ id: 'hello', source: '@llm-bawt/example-hello-plugin', hooks: ['PRE_PROCESS', 'CONTEXT_BUILD', 'onChunk', 'POST_PROCESS', 'host:ready'] })]);
  });

  it('config check: exit 1 with file, line, path and problem for a bad bots.yaml; no stack trace', async () => {
    const dir = project(['@llm-bawt/plugin-provider-openai'], { 'bots.yaml': 'bots:\n  nova:\n    name: Nova\n    system_prompt: Hi.\n    uses_tools: maybe\n' });
    const { code, stdout, stderr } = await run(['config', 'check'], dir);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('config check: 1 problem\n  bots.yaml:5: bots.nova.uses_tools: Invalid type: Expected boolean but received "maybe"\n');
  });

  it('config check: ok with a summary for a valid setup, in the repository root layout', async () => {
    const dir = project(['@llm-bawt/plugin-provider-openai', '@llm-bawt/plugin-provider-anthropic', '@llm-bawt/plugin-provider-xai'], {
      'bots.yaml': readFileSync(join(REPO_ROOT, 'bots.yaml'), 'utf8'),
      'models.yaml': readFileSync(join(REPO_ROOT, 'models.yaml'), 'utf8'),
    });
    const { code, stdout } = await run(['config', 'check'], dir, cleanEnv(dir, { OPENAI_API_KEY: 'sk-test' }));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok: llm-bawt\.config\.yaml$/m);
    expect(stdout).toContain('bots:    3 (nova, spark, mira; default nova) from bots.yaml');
    expect(stdout).toMatch(/models: {2}6 aliases, 2 usable now, from models\.yaml/);
  });

  it('config check at the repository root: the seed files with the default plugins are valid', async () => {
    const home = makeProject({});
    const { code, stdout, stderr } = await run(['config', 'check'], REPO_ROOT, cleanEnv(home));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok: no config file \(built-in defaults\)$/m);
    expect(stdout).toContain('bots:    3 (nova, spark, mira; default nova) from bots.yaml');
    expect(stdout).toContain('plugins: 14 (adapters, embeddings-local, provider-anthropic, provider-openai, provider-xai, store-postgres, memory-history, memory-profile, memory-semantic, memory-summaries, memory-sessions, tools-core, transport-mcp, transport-openai)');
  });

  it('host --port 0: boots, says no model is usable and how to fix it, and exits 0 on SIGTERM after a clean shutdown', async () => {
    const dir = project(['@llm-bawt/plugin-provider-openai'], { 'models.yaml': 'models:\n  gpt-4o-mini:\n    provider: openai\n    model: gpt-4o-mini\n' });
    const { child, result, output } = start(['host', '--port', '0'], dir, cleanEnv(dir));
    await waitForOutput(output, 'is ready', result);
    expect(output()).toContain('no transport plugin is loaded');
    expect(output()).toContain('models: 0 of 1 usable');
    expect(output()).toContain('no model can answer yet. To configure one:');
    expect(output()).toContain('  --  gpt-4o-mini: OPENAI_API_KEY is not set');
    expect(output()).toContain('  - for gpt-4o-mini: export OPENAI_API_KEY=...');
    expect(output()).toContain('base_url: http://127.0.0.1:11434/v1');
    child.kill('SIGTERM');
    const { code, stdout } = await result;
    expect(code).toBe(0);
    expect(stdout).toContain('received SIGTERM: shutting down');
    expect(stdout.trimEnd().endsWith('llm-bawt stopped cleanly')).toBe(true);
  });

  it('host: a second signal during a stuck shutdown exits at once with 143', async () => {
    const dir = project(['fixture:slow-close-plugin.ts']);
    const { child, result, output } = start(['host', '--port', '0'], dir, cleanEnv(dir));
    await waitForOutput(output, 'is ready', result);
    child.kill('SIGTERM');
    await waitForOutput(output, 'shutting down', result);
    child.kill('SIGTERM');
    const { code, stdout } = await result;
    expect(code).toBe(143);
    expect(stdout).toContain('received SIGTERM again: exiting now');
    expect(stdout).not.toContain('stopped cleanly');
  });

  it('host: refuses to bind a non-loopback address without an API key', async () => {
    const dir = project([]);
    const { code, stdout, stderr } = await run(['host', '--host', '0.0.0.0', '--port', '0'], dir);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('llm-bawt cannot start: 1 problem');
    expect(stderr).toContain('refusing to listen on 0.0.0.0');
    expect(stderr).toContain('Set LLM_BAWT_API_KEYS=');
  });
});
