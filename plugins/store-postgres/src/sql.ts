import type { EntityManager } from '@mikro-orm/postgresql';
import type { Store } from './store.js';

/** Raw SQL on one EntityManager (inside its transaction, if it has one); `?` placeholders. @public */
export interface Sql {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  one<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement; returns the number of rows it touched. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

function sqlOn(em: EntityManager): Sql {
  const connection = em.getConnection();
  const ctx = em.getTransactionContext();
  const all = async <T>(sql: string, params: readonly unknown[] = []) => (await connection.execute(sql, [...params], 'all', ctx)) as T[];
  return {
    all,
    one: async <T>(sql: string, params: readonly unknown[] = []) => (await all<T>(sql, params))[0],
    run: async (sql, params = []) => ((await connection.execute(sql, [...params], 'run', ctx)) as { affectedRows: number }).affectedRows,
  };
}

/** The store's database as raw SQL: one-off statements and transactions. @public */
export interface Database {
  sql(): Sql;
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
}

/** Raw SQL on a store; each call takes a fresh EntityManager fork. @public */
export function databaseOf(store: Pick<Store, 'em'>): Database {
  return {
    sql: () => sqlOn(store.em()),
    transaction: (work) => store.em().transactional((tx) => work(sqlOn(tx as EntityManager))),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in canonical text form (what a `uuid` column accepts). @public */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
