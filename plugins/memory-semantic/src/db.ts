import type { Db as EntityManager, Store } from '@llm-bawt/plugin-store-postgres';
import type { Memory, MemoryStatus } from './types.js';

/** A row as the driver returns it. */
export type Row = Record<string, unknown>;

/** Raw SQL over store-postgres's connection (knex `?` placeholders). */
export interface Sql {
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Rows affected. */
  run(sql: string, params?: unknown[]): Promise<number>;
  /** Runs `work` in one transaction (nested calls join the outer one). */
  tx<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /**
   * Runs `setup` statements and then `sql` (with its parameters inlined by the driver's own
   * escaping) as one multi-statement query: one round trip, one implicit transaction, so
   * `set_config(..., true)` in `setup` applies to `sql` and ends with it. Returns `sql`'s rows.
   */
  withSettings(setup: string, sql: string, params?: unknown[]): Promise<Row[]>;
}

function bound(em: EntityManager, ctx: unknown): Sql {
  const connection = em.getConnection();
  const knex = () => (ctx ?? connection.getKnex()) as ReturnType<typeof connection.getKnex>;
  const self: Sql = {
    all: async (sql, params = []) => (await connection.execute(sql, params, 'all', ctx as never)) as Row[],
    run: async (sql, params = []) => ((await connection.execute(sql, params, 'run', ctx as never)) as { affectedRows: number }).affectedRows,
    tx: (work) => (ctx ? work(self) : em.transactional((tx) => work(bound(tx, tx.getTransactionContext())))),
    async withSettings(setup, sql, params = []) {
      const text = `${setup}; ${knex().raw(sql, params as never).toQuery()}`;
      const results = (await knex().raw(text)) as { rows: Row[] } | { rows: Row[] }[];
      return (Array.isArray(results) ? results.at(-1)?.rows : results.rows) ?? [];
    },
  };
  return self;
}

/** Raw SQL on a store; each call takes a fresh EntityManager fork. */
export function sqlOf(store: Pick<Store, 'em'>): Sql {
  return {
    all: (sql, params) => bound(store.em(), undefined).all(sql, params),
    run: (sql, params) => bound(store.em(), undefined).run(sql, params),
    tx: (work) => bound(store.em(), undefined).tx(work),
    withSettings: (setup, sql, params) => bound(store.em(), undefined).withSettings(setup, sql, params),
  };
}

/** Columns every memory query selects; times as epoch milliseconds (double precision). */
export const MEMORY_COLUMNS = `id, bot_id, user_id, content, tags, importance, source_message_ids, access_count,
  superseded_by, embedding IS NOT NULL AS has_embedding,
  (extract(epoch FROM last_accessed) * 1000)::float8 AS last_accessed_ms,
  (extract(epoch FROM superseded_at) * 1000)::float8 AS superseded_at_ms,
  (extract(epoch FROM created_at) * 1000)::float8 AS created_ms,
  (extract(epoch FROM updated_at) * 1000)::float8 AS updated_ms`;

/**
 * The columns retrieval needs, and no more: candidates are fetched `n·4` at a time on every
 * turn, and each column costs encoding and parsing on both sides of the socket.
 */
export const CANDIDATE_COLUMNS = `id, bot_id, user_id, content, tags, importance, access_count,
  (extract(epoch FROM created_at) * 1000)::float8 AS created_ms`;

/** What a memory says and whose it is: the fields every row mapping reads first. */
type MemoryHead = Pick<Memory, 'id' | 'botId' | 'userId' | 'content' | 'tags' | 'importance'>;

/** A retrieval candidate: the fields scoring reads. */
export interface Candidate extends MemoryHead, Pick<Memory, 'accessCount'> {
  createdMs: number;
}

function headOf(row: Row): MemoryHead {
  return {
    id: String(row.id),
    botId: String(row.bot_id),
    userId: String(row.user_id),
    content: String(row.content),
    tags: strings(row.tags),
    importance: Number(row.importance),
  };
}

/** A row selected with {@link CANDIDATE_COLUMNS}. */
export function toCandidate(row: Row): Candidate {
  return { ...headOf(row), accessCount: Number(row.access_count), createdMs: Number(row.created_ms) };
}

const isoOf = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

function strings(value: unknown): string[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list) ? list.map(String) : [];
}

/** A row selected with {@link MEMORY_COLUMNS} as a {@link Memory}. */
export function toMemory(row: Row): Memory {
  const supersededAt = isoOf(row.superseded_at_ms);
  const supersededBy = (row.superseded_by as string | null) ?? null;
  const status: MemoryStatus = supersededAt === null ? 'active' : supersededBy ? 'superseded' : 'deleted';
  return {
    ...headOf(row),
    sourceMessageIds: strings(row.source_message_ids),
    accessCount: Number(row.access_count),
    lastAccessed: isoOf(row.last_accessed_ms),
    supersededBy,
    supersededAt,
    createdAt: isoOf(row.created_ms) as string,
    updatedAt: isoOf(row.updated_ms) as string,
    hasEmbedding: row.has_embedding === true,
    status,
  };
}

/** `{a,b}`: a PostgreSQL array literal of uuids (callers pass checked uuids only). */
export function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}
