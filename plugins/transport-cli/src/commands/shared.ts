import type { CommandDef } from 'citty';
import { ApiClient } from '../api.js';
import { connect, type ConnectFlags, type InProcessConnector } from '../connection.js';
import { CliError, EXIT, isCliError } from '../errors.js';
import type { Terminal } from '../terminal.js';

/** What every command gets from the host's bin. @public */
export interface CliContext {
  /** Boots a host in this process when no --service is given. */
  inProcess: InProcessConnector;
  /** The terminal (the process's own unless a test passes another). */
  terminal: () => Terminal;
  /** Ends the process with a code (tests record it instead). */
  exit: (code: number) => void;
}

/** A citty command, whatever its arguments. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = CommandDef<any>;

/** Flags of every command that talks to llm-bawt. */
export const connectArgs = {
  service: {
    type: 'string',
    description: 'URL of a running llm-bawt host, e.g. http://127.0.0.1:8642 (default: $LLM_BAWT_SERVICE; without it a host runs inside this command)',
    valueHint: 'URL',
  },
  'api-key': { type: 'string', description: 'API key for --service (default: $LLM_BAWT_API_KEY)', valueHint: 'KEY' },
  config: { type: 'string', description: 'Config file for the in-process host (default: $LLM_BAWT_CONFIG, else ./llm-bawt.config.yaml)', valueHint: 'FILE' },
} as const;

/** Which bot and user a command is about. */
export const scopeArgs = {
  bot: { type: 'string', alias: 'b', description: 'Bot slug (default: the default bot)', valueHint: 'SLUG' },
  user: { type: 'string', alias: 'u', description: 'User id memory and history belong to (default: the host default user)', valueHint: 'ID' },
} as const;

export const jsonArg = { json: { type: 'boolean', description: 'Print JSON for scripts instead of text' } } as const;

export interface ConnectArgValues {
  service?: string | undefined;
  'api-key'?: string | undefined;
  config?: string | undefined;
}

export function connectFlags(args: ConnectArgValues): ConnectFlags {
  return { service: args.service, apiKey: args['api-key'], config: args.config };
}

/** `{ bot_id, user }` for a request, leaving out what was not given. */
export function scopeOf(args: { bot?: string | undefined; user?: string | undefined }): { bot_id?: string; user?: string } {
  return { ...(args.bot ? { bot_id: args.bot } : {}), ...(args.user ? { user: args.user } : {}) };
}

/**
 * Runs a command against llm-bawt: connects (in-process or --service), runs the body, closes,
 * and turns a CliError into one line on stderr and its exit code. Ctrl+C aborts `signal`.
 */
export async function withApi(
  ctx: CliContext,
  name: string,
  flags: ConnectArgValues,
  body: (api: ApiClient, terminal: Terminal, signal: AbortSignal) => Promise<number | void>,
  options: { ownInterrupts?: boolean } = {},
): Promise<number> {
  const terminal = ctx.terminal();
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  // A command that reads the terminal itself (chat) handles Ctrl+C its own way.
  if (!options.ownInterrupts) process.once('SIGINT', onSigint);
  let connection;
  try {
    connection = await connect(connectFlags(flags), terminal, ctx.inProcess);
    return (await body(new ApiClient(connection), terminal, controller.signal)) ?? EXIT.ok;
  } catch (error) {
    return report(terminal, name, error, controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
    await connection?.close();
  }
}

/** Says what went wrong in one line; returns the exit code. */
export function report(terminal: Terminal, name: string, error: unknown, signal?: AbortSignal): number {
  if (signal?.aborted) {
    terminal.err(terminal.errStyle.dim('interrupted'));
    return EXIT.interrupted;
  }
  if (isCliError(error)) {
    const code = error.code ? terminal.errStyle.dim(` [${error.code}]`) : '';
    terminal.err(`${terminal.errStyle.red(`llm-bawt ${name}:`)} ${error.message}${code}`);
    return error.exitCode;
  }
  terminal.err(`llm-bawt ${name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT.failed;
}

/** Refuses a command line that is wrong in a way the parser cannot see. */
export function usage(message: string): never {
  throw new CliError(message, EXIT.usage);
}

/** Prints a value as JSON for scripts. */
export function printJson(terminal: Terminal, value: unknown): void {
  terminal.out(JSON.stringify(value, null, 2));
}
