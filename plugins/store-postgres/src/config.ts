import { homedir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';

const postgresUrl = v.pipe(
  v.string(),
  v.check((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL'),
);

/** Config of the store-postgres plugin. @public */
export const storePostgresConfigSchema = v.object({
  /** External PostgreSQL (with pgvector); else `DATABASE_URL`; else the embedded database. */
  url: v.optional(postgresUrl),
  /** Directory of the embedded database; else `$LLM_BAWT_DATA_DIR/store-postgres`; else the host's plugin data dir. */
  dataDir: v.optional(v.pipe(v.string(), v.minLength(1))),
  /** Connections to an external PostgreSQL (the embedded database always uses exactly one). */
  poolSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(200)), 10),
  /** Apply pending migrations at boot (default true); else boot warns about pending ones. */
  migrateOnBoot: v.optional(v.boolean(), true),
  /** Insert bots.yaml bots missing from the `bots` table at boot (default true). */
  seedBots: v.optional(v.boolean(), true),
});

/** Parsed config of the store-postgres plugin. @public */
export type StorePostgresConfig = v.InferOutput<typeof storePostgresConfigSchema>;

/** Where the database is: embedded PGlite in a directory, or a PostgreSQL server. @public */
export type DatabaseTarget =
  | { kind: 'embedded'; dataDir: string; label: string }
  | { kind: 'external'; url: string; host: string; port: number; database: string; user: string; label: string };

/** How callers (the plugin, the CLI, benches) name a database. @public */
export interface DatabaseOptions {
  /** External PostgreSQL URL; wins over `env.DATABASE_URL`. */
  url?: string;
  /** Embedded database directory; wins over `env.LLM_BAWT_DATA_DIR`. */
  dataDir?: string;
  /** Environment to read `DATABASE_URL` and `LLM_BAWT_DATA_DIR` from (default: none). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Used when neither `dataDir` nor `LLM_BAWT_DATA_DIR` is given (the plugin passes `ctx.dataDir`). */
  fallbackDataDir?: string;
}

/** Parses a PostgreSQL URL into a target whose label never shows the password. */
export function externalTarget(url: string): DatabaseTarget & { kind: 'external' } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('the database URL is not a valid postgres:// URL');
  }
  const host = decodeURIComponent(parsed.hostname || '127.0.0.1').replace(/^\[|\]$/g, '');
  const port = parsed.port ? Number(parsed.port) : 5432;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres';
  const user = decodeURIComponent(parsed.username) || 'postgres';
  return { kind: 'external', url, host, port, database, user, label: `PostgreSQL at ${host}:${port}/${database}` };
}

/** Picks embedded or external from explicit options, then the environment, then defaults. */
export function resolveTarget(options: DatabaseOptions): DatabaseTarget {
  const env = options.env ?? {};
  const url = options.url ?? (env.DATABASE_URL?.trim() || undefined);
  if (url) return externalTarget(url);
  const dataDir =
    options.dataDir ??
    (env.LLM_BAWT_DATA_DIR?.trim() ? join(env.LLM_BAWT_DATA_DIR.trim(), 'store-postgres') : undefined) ??
    options.fallbackDataDir ??
    join(homedir(), '.llm-bawt', 'store-postgres');
  return { kind: 'embedded', dataDir, label: `the embedded database in ${dataDir}` };
}

/**
 * TLS settings from a URL's `sslmode` (libpq names) or `ssl=true`: `require` encrypts without
 * checking the certificate, `verify-ca`/`verify-full` check it; absent or `disable`: none.
 */
export function sslOf(url: string): false | { rejectUnauthorized: boolean } {
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return false;
  }
  const mode = params.get('sslmode') ?? (params.get('ssl') === 'true' ? 'require' : 'disable');
  if (mode === 'verify-ca' || mode === 'verify-full') return { rejectUnauthorized: true };
  if (mode === 'require' || mode === 'prefer' || mode === 'no-verify') return { rejectUnauthorized: false };
  return false;
}

/** A PostgreSQL URL without its password (in the userinfo or a `password` parameter), for display. */
export function urlWithoutPassword(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/(:\/\/[^:/@\s]*):[^@\s]*@/, '$1@');
  }
  parsed.password = '';
  parsed.searchParams.delete('password');
  return parsed.toString();
}

/** Where a target is: the embedded database's directory, or the server's URL without its password. */
export function locationOf(target: DatabaseTarget): string {
  return target.kind === 'embedded' ? target.dataDir : urlWithoutPassword(target.url);
}

/** The password of a URL, if any, so messages can scrub it. */
export function passwordOf(target: DatabaseTarget): string | undefined {
  if (target.kind !== 'external') return undefined;
  try {
    const password = decodeURIComponent(new URL(target.url).password);
    return password || undefined;
  } catch {
    return undefined;
  }
}
