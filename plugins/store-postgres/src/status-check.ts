import { defineStatusCheck, type StatusReport } from '@llm-bawt/sdk';
import type { DatabaseHealth } from './health.js';
import { storeRef } from './refs.js';
import type { Store } from './store.js';

const ms = (value: number) => Math.round(value * 100) / 100;

/** Where the database is, as details: the embedded one's directory, or the server's URL without its password. */
function whereIs(target: Store['target']): Record<string, unknown> {
  return target.kind === 'embedded' ? { backend: 'pglite', data_dir: target.location } : { backend: 'postgresql', url: target.location };
}

function describe(target: Store['target'], health: DatabaseHealth): string {
  const server = target.kind === 'embedded' ? `PGlite (PostgreSQL ${health.serverVersion}) in ${target.location}` : `PostgreSQL ${health.serverVersion} at ${target.location}`;
  const vector = health.pgvector ? `pgvector ${health.pgvector}` : 'no pgvector';
  const { applied, pending, changed } = health.migrations;
  const migrations = `${applied} migrations applied, ${pending} pending${changed > 0 ? `, ${changed} changed since applied` : ''}`;
  return `${server}, ${vector}; ${migrations}; select 1 in ${ms(health.roundTripMs)} ms`;
}

/**
 * The `database` status check: where the database is, its server and pgvector versions,
 * migration counts and one `SELECT 1`'s round trip. Down when the database does not answer;
 * degraded with pending or changed migrations, or without pgvector. @public
 */
export const databaseStatusCheck = defineStatusCheck({
  id: 'database',
  async check(ctx): Promise<StatusReport> {
    const store = ctx.get(storeRef);
    let health: DatabaseHealth;
    try {
      health = await store.health();
    } catch (error) {
      return { state: 'down', summary: `${store.target.label} does not answer: ${(error as Error).message}`, details: whereIs(store.target) };
    }
    const { pending, changed } = health.migrations;
    return {
      state: pending > 0 || changed > 0 || !health.pgvector ? 'degraded' : 'ok',
      summary: describe(store.target, health),
      details: {
        ...whereIs(store.target),
        server_version: health.serverVersion,
        pgvector: health.pgvector,
        migrations: health.migrations,
        round_trip_ms: ms(health.roundTripMs),
      },
    };
  },
});
