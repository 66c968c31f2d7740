import type { Db, Store } from '@llm-bawt/plugin-store-postgres';

/** Raw SQL on one EntityManager (inside its transaction, if it has one); `?` placeholders. */
export interface Sql {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  one<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement; returns the number of rows it touched. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

function sqlOn(em: Db): Sql {
  const connection = em.getConnection();
  const ctx = em.getTransactionContext();
  const all = async <T>(sql: string, params: readonly unknown[] = []) => (await connection.execute(sql, [...params], 'all', ctx)) as T[];
  return {
    all,
    one: async <T>(sql: string, params: readonly unknown[] = []) => (await all<T>(sql, params))[0],
    run: async (sql, params = []) => ((await connection.execute(sql, [...params], 'run', ctx)) as { affectedRows: number }).affectedRows,
  };
}

/** The store's database as raw SQL: one-off statements and transactions. */
export interface Database {
  sql(): Sql;
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
}

export function databaseOf(store: Pick<Store, 'em'>): Database {
  return {
    sql: () => sqlOn(store.em()),
    transaction: (work) => store.em().transactional((tx) => work(sqlOn(tx as Db))),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in canonical text form (what a `uuid` column accepts). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** A timestamp column as an ISO string (the driver may hand back a Date or text). */
export function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/** `?, ?, ?` for a list. */
export const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');
