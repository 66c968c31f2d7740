import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { call, callError } from './kit.js';

// `llm-bawt mcp --stdio` as MCP clients run it: the built bin, spawned by the official client.
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(REPO_ROOT, 'host/bin/llm-bawt.js');

/** Every plugin that serves MCP tools, as a user lists them (built packages). */
const PLUGINS = ['store-postgres', 'tools-core', 'memory-history', 'memory-sessions', 'memory-summaries', 'memory-semantic', 'memory-profile', 'embeddings-local'];

const CONFIG = `data_dir: ./data
plugins:
${PLUGINS.map((id) => `  - "@llm-bawt/plugin-${id}"`).join('\n')}
plugin_config:
  store-postgres:
    dataDir: "memory://"
`;

const BOTS = `defaults:
  bot: nova
bots:
  nova:
    name: Nova
    system_prompt: You are Nova.
    requires_memory: true
  spark:
    name: Spark
    system_prompt: You are Spark.
    requires_memory: false
`;

let dir: string;
beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, 'host/dist/cli.js'))) throw new Error('host/dist/cli.js is missing: run `npm run build` before these tests');
  const unbuilt = PLUGINS.filter((id) => !existsSync(join(REPO_ROOT, 'plugins', id, 'dist', 'index.js')));
  if (unbuilt.length > 0) throw new Error(`plugins ${unbuilt.join(', ')} are not built: run \`npx tsc -b ${unbuilt.map((id) => `plugins/${id}`).join(' ')}\` first`);
  dir = mkdtempSync(join(tmpdir(), 'llmb-mcp-stdio-'));
  writeFileSync(join(dir, 'llm-bawt.config.yaml'), CONFIG);
  writeFileSync(join(dir, 'bots.yaml'), BOTS);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = () => ({ PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1', LLM_BAWT_LOG_LEVEL: 'info' });

describe('llm-bawt mcp --stdio', () => {
  it('serves the tools to a client that spawns it, adding transport-mcp to the plugin list, and logs only to stderr', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--stdio'], cwd: dir, env: env(), stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: 'stdio-test', version: '0.0.0' });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()?.name).toBe('llm-bawt');
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names.length).toBeGreaterThanOrEqual(60);
      expect(names).toEqual(expect.arrayContaining(['time', 'memory', 'memory_store', 'messages_add', 'sessions_rotate', 'profile_set', 'tasks_create', 'bots_send_message', 'system_stats']));
      const memory = await call(client, 'memory_store', { user_id: 'ana', content: 'User takes the night train to Vienna' });
      expect((await call(client, 'memory_search', { user_id: 'ana', query: 'night train' })).memories[0].id).toBe(memory.memory.id);
      const task = await call(client, 'tasks_create', { title: 'from stdio', steps: ['one'] });
      expect(task).toMatchObject({ created_by_bot: 'nova', user_id: 'default', short_id: 'TASK-1' });
      expect((await call(client, 'tasks_list', {})).tasks.map((t: { id: string }) => t.id)).toEqual([task.id]);
      expect((await call(client, 'system_stats', {})).counts).toMatchObject({ tasks_total: 1, memories_active: 0 });
      expect((await call(client, 'system_stats', { user_id: 'ana' })).counts).toMatchObject({ tasks_total: 0, memories_active: 1 });
      expect(await callError(client, 'tasks_create', { title: '' })).toMatch(/title: must not be empty/);
      expect((await call(client, 'tasks_list', {})).count).toBe(1);
    } finally {
      await client.close();
    }
    // Logs went to stderr (the protocol channel stayed clean, or the client would have failed).
    expect(stderr).toContain('storage ready');
  });

  it('without --stdio says how to use it and exits 1', async () => {
    const child = spawn(process.execPath, [BIN, 'mcp'], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('pass --stdio');
  });

  it('exits cleanly when the client closes stdin', async () => {
    const child = spawn(process.execPath, [BIN, 'mcp', '--stdio'], { cwd: dir, env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`);
    while (!stdout.includes('"id":1')) await new Promise((resolve) => setTimeout(resolve, 25));
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: number })).toEqual([expect.objectContaining({ id: 1 })]);
  });
});
