import { stripVTControlCharacters } from 'node:util';
import type { CommandDef } from 'citty';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main-command.js';
import { makeProject } from './helpers.js';
import { runCli } from './cli-helpers.js';

type Resolvable<T> = T | Promise<T> | (() => T | Promise<T>);
const resolve = async <T>(value: Resolvable<T> | undefined): Promise<T | undefined> => (typeof value === 'function' ? (value as () => T)() : value);

/** Every command and subcommand of the real command tree, e.g. ['memory', 'consolidate']. */
async function commandPaths(cmd: CommandDef, prefix: string[] = []): Promise<string[][]> {
  const subs = (await resolve(cmd.subCommands)) ?? {};
  const paths: string[][] = prefix.length > 0 ? [prefix] : [];
  for (const [name, sub] of Object.entries(subs)) paths.push(...(await commandPaths((await resolve(sub)) as CommandDef, [...prefix, name])));
  return paths;
}

const COMMANDS = await commandPaths(main);

describe('the command line', () => {
  it('knows the commands the issue asks for', () => {
    const names = COMMANDS.map((words) => words.join(' '));
    for (const name of ['chat', 'ask', 'bots list', 'bots show', 'bots edit', 'models list', 'memory search', 'memory list', 'memory forget', 'memory consolidate', 'history show', 'history forget', 'history restore', 'sessions list', 'sessions new', 'status']) {
      expect(names).toContain(name);
    }
  });

  it.each(COMMANDS)('%s --help prints usage and exits 0', async (...words) => {
    const dir = makeProject({});
    const run = await runCli([...words, '--help'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`llm-bawt ${words.join(' ')}`);
    expect(run.stdout).toMatch(/USAGE/);
    // Not a terminal: no colour codes.
    expect(stripVTControlCharacters(run.stdout)).toBe(run.stdout);
  });

  it('an unknown command is a clear error with exit 2', async () => {
    const run = await runCli(['chatt'], { cwd: makeProject({}) });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("unknown command 'chatt' for 'llm-bawt'");
    expect(run.stderr).toContain("Run 'llm-bawt --help' for usage.");
  });

  it('an unknown subcommand names its parent', async () => {
    const run = await runCli(['memory', 'frobnicate'], { cwd: makeProject({}) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'frobnicate' for 'llm-bawt memory'");
  });

  it('an unknown flag is a clear error with exit 2, before anything starts', async () => {
    const run = await runCli(['ask', 'hi', '--temprature', '2'], { cwd: makeProject({}) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--temprature' for 'llm-bawt ask'");
  });

  it('a flag without its value, and a command group without a command, exit 2', async () => {
    const missing = await runCli(['ask', 'hi', '--bot'], { cwd: makeProject({}) });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("option '--bot' of 'llm-bawt ask' needs a value");
    const group = await runCli(['sessions'], { cwd: makeProject({}) });
    expect(group.code).toBe(2);
    expect(group.stderr).toContain("'llm-bawt sessions' needs a command: list, new");
  });

  it('--version prints the version', async () => {
    const run = await runCli(['--version'], { cwd: makeProject({}) });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
