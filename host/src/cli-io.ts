import { homedir } from 'node:os';
import { createLogger, type LogLevel } from '@llm-bawt/core';
import type { Logger } from '@llm-bawt/sdk';
import { isBootFailure } from './problems.js';
import type { BootRequest } from './boot.js';
import type { CliFlags } from './settings.js';

/** What a command needs from the outside world; tests pass their own. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  homeDir: string;
  out: (line: string) => void;
  err: (line: string) => void;
  exit: (code: number) => void;
  logger?: Logger;
}

export function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    homeDir: homedir(),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    exit: (code) => process.exit(code),
  };
}

export function bootRequest(io: CliIo, flags: CliFlags, listening: boolean): BootRequest {
  return { flags, env: io.env, cwd: io.cwd, homeDir: io.homeDir, listening };
}

export function loggerFor(io: CliIo, level: LogLevel): Logger {
  return io.logger ?? createLogger(level);
}

/** One-shot commands keep their output clean: info-level boot logs are dropped unless asked for. */
export function quietLevel(level: LogLevel): LogLevel {
  return level === 'info' ? 'warn' : level;
}

/**
 * Runs a command body: an expected refusal (a BootFailure) prints its problems and sets exit
 * code 1 with no stack trace; anything else is a bug and keeps its stack.
 */
export async function guarded(io: CliIo, body: () => Promise<number | void>): Promise<number> {
  try {
    return (await body()) ?? 0;
  } catch (error) {
    if (isBootFailure(error)) {
      io.err(error.message);
      return 1;
    }
    io.err(`llm-bawt: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
