import { createHash } from 'node:crypto';
import type { MigrationDefinition } from '@llm-bawt/sdk';
import type { DatabaseTarget } from '../config.js';
import { storageError } from '../errors.js';
import { ensureExtension, ensureMigrationsTable, MIGRATIONS_TABLE, withMigrationLock } from './bootstrap.js';
import type { RawConnection } from './raw-connection.js';

/** A migration tagged with the plugin that contributes it (as in `ContributionIndex.migrations`). @public */
export interface ContributedMigration {
  readonly pluginId: string;
  readonly value: MigrationDefinition;
}

/** One migration's state in a database. @public */
export interface MigrationState {
  pluginId: string;
  id: string;
  description?: string;
  /** `changed`: applied, but its SQL differs now; `orphaned`: applied, but no loaded plugin has it. */
  state: 'applied' | 'pending' | 'changed' | 'orphaned';
  checksum: string;
  appliedAt?: Date;
}

/** What `migrate` did. @public */
export interface MigrationReport {
  /** The database, without credentials. */
  target: string;
  applied: { pluginId: string; id: string; durationMs: number }[];
  /** Migrations that were already applied. */
  upToDate: number;
}

/** What `status` found. @public */
export interface StatusReport {
  target: string;
  migrations: MigrationState[];
  pending: number;
}

interface AppliedRow {
  plugin_id: string;
  migration_id: string;
  checksum: string;
  applied_at: Date | string;
}

/** sha256 of a migration's statements; editing an applied migration changes it. */
export function checksumOf(migration: MigrationDefinition): string {
  return createHash('sha256').update(JSON.stringify(migration.up)).digest('hex');
}

/** Plugin order (this plugin first, then as given), then id order within each plugin. */
export function orderMigrations(migrations: readonly ContributedMigration[], firstPluginId: string): ContributedMigration[] {
  const plugins: string[] = [firstPluginId];
  for (const { pluginId } of migrations) if (!plugins.includes(pluginId)) plugins.push(pluginId);
  const ordered: ContributedMigration[] = [];
  for (const pluginId of plugins) {
    const own = migrations.filter((m) => m.pluginId === pluginId);
    const ids = new Set<string>();
    for (const { value } of own) {
      if (ids.has(value.id)) throw new Error(`plugin '${pluginId}' contributes migration '${value.id}' twice`);
      ids.add(value.id);
    }
    ordered.push(...own.toSorted((a, b) => (a.value.id < b.value.id ? -1 : a.value.id > b.value.id ? 1 : 0)));
  }
  return ordered;
}

async function readApplied(connection: RawConnection): Promise<Map<string, AppliedRow>> {
  const exists = await connection.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [MIGRATIONS_TABLE]);
  if (!exists.rows[0]?.t) return new Map();
  const result = await connection.query<AppliedRow>(`SELECT plugin_id, migration_id, checksum, applied_at FROM ${MIGRATIONS_TABLE} ORDER BY plugin_id, migration_id`);
  return new Map(result.rows.map((row) => [`${row.plugin_id}/${row.migration_id}`, row]));
}

function states(ordered: readonly ContributedMigration[], applied: Map<string, AppliedRow>): MigrationState[] {
  const out: MigrationState[] = ordered.map(({ pluginId, value }) => {
    const row = applied.get(`${pluginId}/${value.id}`);
    const checksum = checksumOf(value);
    const base = { pluginId, id: value.id, ...(value.description ? { description: value.description } : {}), checksum };
    if (!row) return { ...base, state: 'pending' as const };
    return { ...base, state: row.checksum === checksum ? ('applied' as const) : ('changed' as const), appliedAt: new Date(row.applied_at) };
  });
  const known = new Set(ordered.map(({ pluginId, value }) => `${pluginId}/${value.id}`));
  for (const [key, row] of applied) {
    if (!known.has(key)) out.push({ pluginId: row.plugin_id, id: row.migration_id, state: 'orphaned', checksum: row.checksum, appliedAt: new Date(row.applied_at) });
  }
  return out;
}

/** Reads which migrations are applied, pending or changed; takes no lock and changes nothing. */
export async function readStatus(connection: RawConnection, target: DatabaseTarget, ordered: readonly ContributedMigration[]): Promise<StatusReport> {
  const migrations = states(ordered, await readApplied(connection));
  return { target: target.label, migrations, pending: migrations.filter((m) => m.state === 'pending').length };
}

/**
 * Applies pending migrations under the advisory lock: pgvector first, then each migration in
 * its own transaction, recorded with its checksum. Refuses, before applying anything, when an
 * applied migration's SQL has changed.
 */
export async function applyMigrations(
  connection: RawConnection,
  target: DatabaseTarget,
  ordered: readonly ContributedMigration[],
  options: { extension?: string; lockTimeoutMs?: number } = {},
): Promise<MigrationReport> {
  return withMigrationLock(
    connection,
    target,
    async () => {
      await ensureExtension(connection, target, options.extension ?? 'vector');
      await ensureMigrationsTable(connection);
      const current = states(ordered, await readApplied(connection));
      const changed = current.filter((m) => m.state === 'changed');
      if (changed.length > 0) {
        const names = changed.map((m) => `'${m.pluginId}/${m.id}'`).join(', ');
        throw storageError(
          `migration ${names} changed after it was applied to ${target.label}: restore its SQL and add a new migration for the change`,
          target,
        );
      }
      const report: MigrationReport = { target: target.label, applied: [], upToDate: current.filter((m) => m.state === 'applied').length };
      for (const { pluginId, value } of ordered) {
        if (current.some((m) => m.pluginId === pluginId && m.id === value.id && m.state === 'applied')) continue;
        const started = performance.now();
        await connection.query('BEGIN');
        try {
          for (const statement of value.up) await connection.query(statement);
          const durationMs = Math.round(performance.now() - started);
          await connection.query(
            `INSERT INTO ${MIGRATIONS_TABLE} (plugin_id, migration_id, description, checksum, duration_ms) VALUES ($1, $2, $3, $4, $5)`,
            [pluginId, value.id, value.description ?? null, checksumOf(value), durationMs],
          );
          await connection.query('COMMIT');
          report.applied.push({ pluginId, id: value.id, durationMs });
        } catch (error) {
          await connection.query('ROLLBACK').catch(() => undefined);
          const message = error instanceof Error ? error.message : String(error);
          throw storageError(`migration '${pluginId}/${value.id}' failed on ${target.label} and was rolled back: ${message}`, target, error);
        }
      }
      return report;
    },
    options.lockTimeoutMs,
  );
}
