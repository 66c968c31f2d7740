import type { MikroORM } from '@mikro-orm/postgresql';

/** A single pooled pg connection, held for session-level work (advisory locks). */
export interface RawConnection {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

interface KnexClient {
  acquireConnection(): Promise<RawConnection>;
  releaseConnection(connection: RawConnection): Promise<unknown>;
}

/**
 * Runs `work` on one connection taken from the ORM's pool and gives it back afterwards.
 * Session state (advisory locks, `SET`) stays on that connection for the whole call.
 */
export async function withRawConnection<T>(orm: MikroORM, work: (connection: RawConnection) => Promise<T>): Promise<T> {
  const client = (orm.em.getConnection().getKnex() as unknown as { client: KnexClient }).client;
  const connection = await client.acquireConnection();
  try {
    return await work(connection);
  } finally {
    await client.releaseConnection(connection);
  }
}
