import { createError, isLlmbError } from '@llm-bawt/sdk';

/** One page of a listing; `nextCursor` is present while more follow. @public */
export interface AdminPage<T> {
  items: T[];
  nextCursor?: string;
}

/** Page size and position of a listing. @public */
export interface PageQuery {
  /** 1..500; default 100. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** An opaque cursor for a position in a listing. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position inside a cursor this server made; anything else is a 400 on `cursor`. */
export function decodeCursor<T>(cursor: string, valid: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!valid(value)) throw createError('LLMB_ERR_INVALID_REQUEST', 'The cursor is not one this server returned', { param: 'cursor' });
  return value;
}

export const isString = (value: unknown): value is string => typeof value === 'string';

/** A 400 on one request field. */
export function invalid(param: string, message: string) {
  return createError('LLMB_ERR_INVALID_REQUEST', message, { param });
}

/**
 * Runs writes one at a time, so the database and the live registries see changes in the same
 * order (two PATCHes of one bot cannot interleave their read-modify-write).
 */
export function serialize(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>) => {
    const run = tail.then(work, work).catch((error: unknown) => {
      throw asFailedWrite(error);
    });
    tail = run.catch(() => undefined);
    return run;
  };
}

/** A read that failed on the way to a write failed the write: say that nothing was saved. */
function asFailedWrite(error: unknown): unknown {
  if (!isLlmbError(error) || error.code !== 'LLMB_ERR_DATABASE' || error.message.endsWith('not saved.')) return error;
  return createError('LLMB_ERR_DATABASE', `${error.message.replace(/\.$/, '')}; the change was not saved.`, error.origin, error.cause);
}
