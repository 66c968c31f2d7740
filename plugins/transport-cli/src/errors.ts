/**
 * Exit codes every command uses, so scripts can tell what went wrong without parsing text.
 * @public
 */
export const EXIT = {
  ok: 0,
  /** The request failed: the model or provider, the server, the database. */
  failed: 1,
  /** The command line is wrong: unknown command or flag, a bad value, a missing argument. */
  usage: 2,
  /** What was named does not exist: a bot, model, memory, message or session. */
  notFound: 3,
  /** No llm-bawt to talk to: the service is unreachable, or the in-process host cannot start. */
  unavailable: 4,
  /** Stopped by Ctrl+C. */
  interrupted: 130,
} as const;

/** A failure a command reports as one line on stderr and an exit code, without a stack. @public */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    /** The server's error code, when the server answered one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export function isCliError(value: unknown): value is CliError {
  return value instanceof CliError;
}

const NOT_FOUND_CODES = new Set(['LLMB_ERR_NOT_FOUND', 'LLMB_ERR_UNKNOWN_BOT', 'LLMB_ERR_UNKNOWN_MODEL', 'LLMB_ERR_GONE']);

/** Exit code for an HTTP status (and error code) the API answered with. */
export function exitForStatus(status: number, code?: string): number {
  if (status === 404 || status === 410 || (code !== undefined && NOT_FOUND_CODES.has(code))) return EXIT.notFound;
  if (status === 400 || status === 413 || status === 422) return EXIT.usage;
  return EXIT.failed;
}
