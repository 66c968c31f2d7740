import type { DatabaseTarget } from './config.js';
import type { RawConnection } from './migrations/raw-connection.js';
import { readStatus, type ContributedMigration } from './migrations/runner.js';

/** What one look at the database found (the `database` status check reports it). @public */
export interface DatabaseHealth {
  /** PostgreSQL's `server_version` (PGlite reports the PostgreSQL it is built from). */
  serverVersion: string;
  /** The installed pgvector version, or null when the extension is not created. */
  pgvector: string | null;
  /** Migrations by state, against those the loaded plugins contribute. */
  migrations: { applied: number; pending: number; changed: number; orphaned: number };
  /** Milliseconds one `SELECT 1` took on a held connection. */
  roundTripMs: number;
}

/** Times a `SELECT 1`, then reads the versions and the migration counts; changes nothing. */
export async function readHealth(connection: RawConnection, target: DatabaseTarget, migrations: readonly ContributedMigration[]): Promise<DatabaseHealth> {
  const started = performance.now();
  await connection.query('SELECT 1');
  const roundTripMs = performance.now() - started;
  const versions = await connection.query<{ server: string; vector: string | null }>(
    "SELECT current_setting('server_version') AS server, (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS vector",
  );
  const status = await readStatus(connection, target, migrations);
  const count = (state: string) => status.migrations.filter((m) => m.state === state).length;
  return {
    serverVersion: versions.rows[0]?.server ?? 'unknown',
    pgvector: versions.rows[0]?.vector ?? null,
    migrations: { applied: count('applied'), pending: count('pending'), changed: count('changed'), orphaned: count('orphaned') },
    roundTripMs,
  };
}
