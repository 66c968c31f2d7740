import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { ScriptedUpstream } from '@llm-bawt/sdk/testing';
import { BIN, makeProject } from './helpers.js';

/** What one run of the binary did. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A project for CLI tests: bots tracer (memory, the default), plain (no memory) and clock
 * (tools), model aliases `local` and `other` served by the scripted upstream, and an embedded
 * database of its own.
 */
export function cliProject(upstream: ScriptedUpstream, files: Record<string, string> = {}): string {
  return makeProject(projectFiles(upstream, files));
}

/** The same project, kept until `remove` (for a host started in beforeAll: cliProject's are removed after each test). */
export function lastingCliProject(upstream: ScriptedUpstream, files: Record<string, string> = {}): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'llm-bawt-cli-'));
  for (const [name, text] of Object.entries(projectFiles(upstream, files))) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function projectFiles(upstream: ScriptedUpstream, files: Record<string, string>): Record<string, string> {
  return {
    'bots.yaml': [
      'defaults:',
      '  bot: tracer',
      'bots:',
      '  tracer:',
      '    name: Tracer',
      '    system_prompt: You trace.',
      '    requires_memory: true',
      // Background work without model calls, so the scripted replies go to the turns.
      '    settings:',
      '      memory_extraction: heuristic',
      '    plugins:',
      '      memory-summaries:',
      '        method: heuristic',
      '  plain:',
      '    name: Plain',
      '    system_prompt: You are plain.',
      '    requires_memory: false',
      '  clock:',
      '    name: Clock',
      '    system_prompt: You tell the time.',
      '    uses_tools: true',
      '',
    ].join('\n'),
    'models.yaml': [
      'default: local',
      'models:',
      '  local:',
      '    provider: openai-compatible',
      '    model: scripted',
      `    base_url: ${upstream.openaiBaseUrl}`,
      '  other:',
      '    provider: openai-compatible',
      '    model: scripted-other',
      `    base_url: ${upstream.openaiBaseUrl}`,
      '',
    ].join('\n'),
    ...files,
  };
}

/** Only what the binary needs: no provider keys or LLM_BAWT_* of the machine running the tests. */
export function cliEnv(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    NO_COLOR: '1',
    LLM_BAWT_DATA_DIR: join(dir, 'data'),
    LLM_BAWT_MCP_PORT: '0',
    ...extra,
  };
}

/** Runs the binary to its end; `stdin` is piped in (else stdin is empty and closed). */
export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; stdin?: string; timeoutMs?: number }): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: options.env ?? cliEnv(options.cwd), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.stdin ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A running `llm-bawt host` on a free port, for `--service`. */
export interface RunningHost {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export async function startHost(dir: string, env: NodeJS.ProcessEnv = cliEnv(dir), port = 0): Promise<RunningHost> {
  const child = spawn(process.execPath, [BIN, 'host', '--port', String(port)], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /OpenAI-compatible API: (http:\/\/\S+)\/v1/.exec(output);
      if (match && output.includes('llm-bawt is ready')) {
        clearInterval(timer);
        resolve(match[1] as string);
      }
    }, 25);
    void closed.then(() => {
      clearInterval(timer);
      reject(new Error(`llm-bawt host exited before it was ready:\n${output}`));
    });
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await closed;
    },
  };
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
