import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { silentLogger } from '@llm-bawt/sdk';
import type { CliIo } from '../src/index.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(REPO_ROOT, 'host/bin/llm-bawt.js');

const made: string[] = [];
afterEach(() => {
  while (made.length > 0) rmSync(made.pop() as string, { recursive: true, force: true });
});

/** A throwaway project directory (outside the repository) holding the given files. */
export function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'llm-bawt-test-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** A path to a fixture, written relative to `fromDir` as a config file would. */
export function fixtureFrom(fromDir: string, name: string): string {
  return relative(fromDir, join(FIXTURES, name));
}

/** CLI io that records output instead of printing; no real environment leaks in. */
export function captureIo(cwd: string, env: Record<string, string | undefined> = {}): CliIo & { stdout: string[]; stderr: string[]; codes: number[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const codes: number[] = [];
  return {
    env,
    cwd,
    homeDir: join(cwd, 'home'),
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    exit: (code) => codes.push(code),
    logger: silentLogger,
    stdout,
    stderr,
    codes,
  };
}

export const BOTS_YAML = `defaults:
  bot: tracer
bots:
  tracer:
    name: Tracer
    system_prompt: You trace.
    requires_memory: true
`;

export const LOCAL_MODELS_YAML = `default: local
models:
  local:
    provider: openai-compatible
    model: echo
    base_url: http://127.0.0.1:9/v1
`;
