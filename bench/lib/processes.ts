import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScriptStep } from '@llm-bawt/sdk/testing';

const here = import.meta.dirname;
const repo = join(here, '..', '..');
const jitiArgs = ['--import', 'jiti/register'];

export interface Child {
  process: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

function forkReady(script: string, env: Record<string, string> = {}): Promise<Child & { info: Record<string, string> }> {
  const child = fork(join(here, script), [], { execArgv: jitiArgs, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited early with ${code}`)));
    child.once('message', (info: Record<string, string>) =>
      resolve({
        process: child,
        url: info.url as string,
        info,
        stop: () => new Promise((done) => { child.once('exit', () => done()); child.disconnect(); setTimeout(() => child.kill(), 2000).unref(); }),
      }),
    );
  });
}

export async function startUpstream(): Promise<Child & { openaiBaseUrl: string; setDefault(step: ScriptStep): Promise<void> }> {
  const child = await forkReady('upstream-child.ts');
  child.process.removeAllListeners('exit');
  let seq = 0;
  const setDefault = (step: ScriptStep) =>
    new Promise<void>((resolve) => {
      const id = ++seq;
      const onMessage = (message: { id?: number }) => {
        if (message.id !== id) return;
        child.process.off('message', onMessage);
        resolve();
      };
      child.process.on('message', onMessage);
      child.process.send({ cmd: 'reset', step, id });
    });
  return { ...child, openaiBaseUrl: child.info.openaiBaseUrl as string, setDefault };
}

export async function startProxy(target: string): Promise<Child> {
  const child = await forkReady('proxy-child.ts', { PROXY_TARGET: target });
  child.process.removeAllListeners('exit');
  return child;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `llm-bawt host` as a user would, with a stateless bot and one alias on the upstream. */
export async function startHost(upstreamBaseUrl: string): Promise<Child> {
  const dir = mkdtempSync(join(tmpdir(), 'llmb-bench-'));
  writeFileSync(join(dir, 'models.yaml'), `default: bench\nmodels:\n  bench:\n    provider: openai-compatible\n    model: bench-model\n    base_url: ${upstreamBaseUrl}\n`);
  writeFileSync(join(dir, 'bots.yaml'), 'bots:\n  quick:\n    name: Quick\n    system_prompt: You are brief.\n    requires_memory: false\n');
  writeFileSync(
    join(dir, 'llm-bawt.config.yaml'),
    'plugins:\n  - "@llm-bawt/plugin-provider-openai"\n  - "@llm-bawt/plugin-transport-openai"\nmodels: ./models.yaml\nbots: ./bots.yaml\nlog_level: warn\n',
  );
  const port = await freePort();
  const child = spawn(process.execPath, [join(repo, 'host', 'bin', 'llm-bawt.js'), 'host', '--config', join(dir, 'llm-bawt.config.yaml'), '--port', String(port)], {
    cwd: repo,
    env: { ...process.env, LLM_BAWT_DATA_DIR: join(dir, 'data') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`llm-bawt host exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    process: child,
    url,
    stop: () => new Promise((done) => { child.once('exit', () => done()); child.kill('SIGTERM'); setTimeout(() => child.kill('SIGKILL'), 5000).unref(); }),
  };
}
