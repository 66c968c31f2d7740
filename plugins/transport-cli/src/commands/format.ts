import type { ApiClient } from '../api.js';
import { CliError, EXIT } from '../errors.js';
import type { Terminal } from '../terminal.js';
import { report, withApi, type CliContext, type ConnectArgValues } from './shared.js';

// Helpers the admin commands share: checking the command line before anything connects,
// and the small formatting of ids, times and long text in tables.

/** `--limit 5` and the like: a whole number within bounds, or a usage error naming the flag. */
export function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) throw new CliError(`--${flag} must be a whole number from ${min} to ${max} (got '${raw}')`, EXIT.usage);
  return value;
}

/** A number from min to max (`--min-relevance 0.2`). */
export function decimal(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || Number.isNaN(value) || value < min || value > max) throw new CliError(`--${flag} must be a number from ${min} to ${max} (got '${raw}')`, EXIT.usage);
  return value;
}

/**
 * Every value of a flag that may be repeated (`--set a=1 --set b=2`); the argument parser
 * keeps only the last one.
 */
export function repeated(rawArgs: readonly string[], flag: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i] as string;
    if (arg === '--') break;
    if (arg === `--${flag}`) {
      const next = rawArgs[i + 1];
      if (next === undefined) throw new CliError(`--${flag} needs a value`, EXIT.usage);
      values.push(next);
      i++;
    } else if (arg.startsWith(`--${flag}=`)) values.push(arg.slice(flag.length + 3));
  }
  return values;
}

export interface AdminArgs extends ConnectArgValues {
  json?: boolean | undefined;
}

/**
 * Runs an admin command: checks its arguments first (a usage error needs no host), then
 * talks to llm-bawt through {@link withApi}, and ends the process with the exit code.
 */
export async function runAdmin<A extends AdminArgs, P>(
  ctx: CliContext,
  name: string,
  values: A,
  prepare: (args: A) => P,
  body: (input: P, api: ApiClient, terminal: Terminal, signal: AbortSignal) => Promise<number | void>,
): Promise<void> {
  let input: P;
  try {
    input = prepare(values);
  } catch (error) {
    ctx.exit(report(ctx.terminal(), name, error));
    return;
  }
  const code = await withApi(ctx, name, values, (api, terminal, signal) => body(input, api, terminal, signal));
  if (code !== 0) ctx.exit(code);
}

/** A required positional that is missing: a usage error with what to type. */
export function missing(what: string, example: string): never {
  throw new CliError(`missing ${what}: ${example}`, EXIT.usage);
}

/** The first 8 characters of a uuid, enough to tell memories apart and to name one again. */
export const shortId = (id: string) => id.slice(0, 8);

/** One line of at most `width` characters: newlines folded, the end cut with `…`. */
export function clip(text: string, width: number): string {
  const line = text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  return line.length > width ? `${line.slice(0, Math.max(1, width - 1))}…` : line;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2025-11-25 10:00` in local time; `—` for nothing. */
export function when(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `yes` / `no`. */
export const yesNo = (value: unknown) => (value ? 'yes' : 'no');

/** A number with at most `digits` decimals, without trailing zeros. */
export const num = (value: number | null | undefined, digits = 2) => (value == null ? '—' : String(Number(value.toFixed(digits))));

/** `3 memories`, `1 memory`. */
export const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Every page of a cursor-paged list (`next_cursor`). */
export async function allPages<T>(api: ApiClient, path: string, query: Record<string, string | number | undefined> = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<{ data: T[]; next_cursor?: string | null }>(path, { ...query, ...(cursor ? { cursor } : {}) });
    items.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return items;
}
