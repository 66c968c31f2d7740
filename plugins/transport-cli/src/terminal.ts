import type { Readable } from 'node:stream';
import { createStyle, type Style } from './render/style.js';

/** An output stream as the CLI uses it. */
export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The outside world of a command; tests pass their own. @public */
export interface Terminal {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  /** Colours for stdout (off when it is not a terminal or NO_COLOR is set). */
  readonly style: Style;
  /** Colours for stderr. */
  readonly errStyle: Style;
  /** Columns to wrap rendered text at. */
  readonly width: number;
  /** Width tables are cut to: the terminal's; undefined when stdout is not one (piped output keeps every character). */
  readonly tableWidth: number | undefined;
  out(line: string): void;
  err(line: string): void;
}

export function createTerminal(parts: {
  env: Readonly<Record<string, string | undefined>>;
  stdin: Readable & { isTTY?: boolean };
  stdout: OutStream;
  stderr: OutStream;
}): Terminal {
  const { env, stdin, stdout, stderr } = parts;
  const width = Math.max(40, Math.min(stdout.columns ?? (Number(env.COLUMNS) || 100), 120));
  return {
    env,
    stdin,
    stdout,
    stderr,
    style: createStyle({ isTTY: stdout.isTTY === true, env }),
    errStyle: createStyle({ isTTY: stderr.isTTY === true, env }),
    width,
    tableWidth: stdout.isTTY ? width : undefined,
    out: (line) => void stdout.write(`${line}\n`),
    err: (line) => void stderr.write(`${line}\n`),
  };
}

let pipeGuard = false;

/** The process's own terminal. A closed pipe (`llm-bawt ... | head`) ends the process quietly. */
export function processTerminal(): Terminal {
  if (!pipeGuard) {
    pipeGuard = true;
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
        process.exit(0);
      });
    }
  }
  return createTerminal({ env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
}
