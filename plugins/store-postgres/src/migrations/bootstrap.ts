import type { DatabaseTarget } from '../config.js';
import { extensionPrivilegeError, missingExtensionError, storageError } from '../errors.js';
import type { RawConnection } from './raw-connection.js';

/** Table that records applied migrations. @public */
export const MIGRATIONS_TABLE = 'llmb_migrations';

// One fixed key for every llm-bawt host migrating the same database ('llmbmigr' in ASCII).
const LOCK_KEY = '7812739723090814834';

/** Creates the bookkeeping table; run under the migration lock. */
export async function ensureMigrationsTable(connection: RawConnection): Promise<void> {
  await connection.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
    plugin_id text NOT NULL,
    migration_id text NOT NULL,
    description text,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    duration_ms integer NOT NULL DEFAULT 0,
    PRIMARY KEY (plugin_id, migration_id)
  )`);
}

/**
 * Makes sure an extension exists: checks that the server offers it (one actionable line if
 * not), then creates it when missing. Run under the migration lock.
 */
export async function ensureExtension(connection: RawConnection, target: DatabaseTarget, extension = 'vector'): Promise<void> {
  const offered = await connection.query<{ installed: string | null }>(
    'SELECT installed_version AS installed FROM pg_available_extensions WHERE name = $1',
    [extension],
  );
  const row = offered.rows[0];
  if (!row) {
    const version = await connection.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    const major = Math.floor(Number(version.rows[0]?.v ?? 0) / 10_000) || undefined;
    throw missingExtensionError(target, extension, major);
  }
  if (row.installed) return;
  try {
    await connection.query(`CREATE EXTENSION IF NOT EXISTS "${extension.replace(/"/g, '')}"`);
  } catch (error) {
    if ((error as { code?: string }).code === '42501') throw extensionPrivilegeError(target, extension, error);
    throw error;
  }
}

/**
 * Holds PostgreSQL's session advisory lock for llm-bawt migrations while `work` runs, so two
 * hosts booting together apply each migration once. Waits up to `timeoutMs` for another host.
 */
export async function withMigrationLock<T>(
  connection: RawConnection,
  target: DatabaseTarget,
  work: () => Promise<T>,
  timeoutMs = 90_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = await connection.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [LOCK_KEY]);
    if (got.rows[0]?.locked) break;
    if (Date.now() > until) {
      throw storageError(
        `another llm-bawt host has held the migration lock on ${target.label} for over ${Math.round(timeoutMs / 1000)} s: wait for it to finish, or stop it and boot again`,
        target,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    return await work();
  } finally {
    await connection.query('SELECT pg_advisory_unlock($1::bigint)', [LOCK_KEY]).catch(() => undefined);
  }
}
