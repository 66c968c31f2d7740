import { createError, isLlmbError, type LlmbError, type Logger } from '@llm-bawt/sdk';
import type { DatabaseTarget } from './config.js';
import { scrub } from './errors.js';

// Bugs in our own code keep their type (a 500 with the detail in the log); anything else a
// repository throws came from the driver, the pool or the server.
const PROGRAMMING_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError];
const SAFE_CODE = /^[A-Za-z0-9_]{2,40}$/;

function reasonOf(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && SAFE_CODE.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  const name = error instanceof Error ? error.name : '';
  return SAFE_CODE.test(name) && name !== 'Error' ? name : 'no answer';
}

/**
 * A database failure as a client may see it: what was being done and the driver's error code,
 * never the SQL, the values or the connection URL (those go to the log, scrubbed).
 */
export function databaseError(what: string, write: boolean, error: unknown): LlmbError {
  const reason = reasonOf(error);
  const message = write
    ? `The database failed while ${what} (${reason}); the change was not saved.`
    : `The database failed while ${what} (${reason}).`;
  return createError('LLMB_ERR_DATABASE', message, { pluginId: 'store-postgres' }, error);
}

/** True for what {@link guardRepository} turns into `LLMB_ERR_DATABASE`. */
export function isDriverFailure(error: unknown): boolean {
  if (isLlmbError(error)) return false;
  return !PROGRAMMING_ERRORS.some((type) => error instanceof type);
}

/** How one repository's methods are described in messages (`'saving the bot'`, ...). */
export type RepositoryActions<T> = { readonly [K in keyof T]?: { what: string; write: boolean } };

/**
 * Wraps a repository so that driver and connection failures reject with `LLMB_ERR_DATABASE`
 * (503) instead of raw driver errors that carry SQL. Coded errors pass through unchanged.
 */
export function guardRepository<T extends object>(
  repository: T,
  actions: RepositoryActions<T>,
  context: { target: DatabaseTarget; logger: Logger; name: string },
): T {
  const guarded = { ...repository } as Record<string, unknown>;
  for (const [key, value] of Object.entries(repository)) {
    if (typeof value !== 'function') continue;
    const action = (actions as Record<string, { what: string; write: boolean } | undefined>)[key] ?? { what: `reading ${context.name}`, write: false };
    guarded[key] = async (...args: unknown[]) => {
      try {
        return await (value as (...a: unknown[]) => Promise<unknown>).apply(repository, args);
      } catch (error) {
        if (!isDriverFailure(error)) throw error;
        const detail = scrub(error instanceof Error ? error.message : String(error), context.target);
        context.logger.warn(`${context.name}.${key} failed on ${context.target.label}: ${detail.length > 500 ? `${detail.slice(0, 500)}…` : detail}`);
        throw databaseError(action.what, action.write, error);
      }
    };
  }
  return guarded as T;
}
