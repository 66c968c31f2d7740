import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { silentLogger, type AnyPlugin, type BotConfig, type ModelSpec } from '@llm-bawt/sdk';
import { createTestHost, type TestHost } from '@llm-bawt/sdk/testing';
import { withRawConnection } from '../src/migrations/raw-connection.js';
import { openOrm } from '../src/orm.js';
import { openStore, storePostgresPlugin, type OpenedStore } from '../src/index.js';

/** The server the PostgreSQL backend creates its throwaway databases on. */
export const POSTGRES_URL = process.env.LLMB_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** One database backend the same storage tests run against. */
export interface Backend {
  readonly name: 'pglite' | 'postgres';
  /**
   * store-postgres config for a database named `slot` (same slot, same database). An
   * `ephemeral` slot need not survive its host: PGlite then keeps it in memory (faster to start).
   */
  config(slot?: string, options?: { ephemeral?: boolean }): Promise<{ url?: string; dataDir?: string }>;
  /** Drops every database and folder this backend made. */
  cleanup(): Promise<void>;
}

async function admin<T>(work: (query: (sql: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  const orm = await openOrm({ url: POSTGRES_URL, entities: [], poolSize: 1, keepOne: false, logger: silentLogger });
  try {
    return await withRawConnection(orm, (connection) => work((sql) => connection.query(sql)));
  } finally {
    await orm.close(true);
  }
}

const PGLITE_VERSION = (
  JSON.parse(readFileSync(join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as { version: string }
).version;

/**
 * An empty, initialised PGlite cluster to copy: PGlite's initdb takes seconds, reopening a
 * directory about one. Made once through the real embedded path (worker, socket, ORM) and
 * kept in the temp folder per PGlite version; migrations and all else still run per slot.
 * Fresh initialisation stays covered by the in-memory (ephemeral) slots, which always init.
 */
async function pgliteTemplate(): Promise<string> {
  const cached = join(tmpdir(), `llmb-pglite-template-${PGLITE_VERSION}`);
  if (existsSync(join(cached, 'PG_VERSION'))) return cached;
  const scratch = mkdtempSync(join(tmpdir(), 'llmb-pglite-template-'));
  await (await openStore({ dataDir: scratch })).close();
  try {
    renameSync(join(scratch, 'pgdata'), cached);
  } catch {
    // Another test process won the race; its copy is as good.
  }
  rmSync(scratch, { recursive: true, force: true });
  return cached;
}

/** PGlite in a temp folder per slot (a copy of the template), or in memory when ephemeral. */
function pgliteBackend(): Backend {
  let root: string | undefined;
  let template: Promise<string> | undefined;
  return {
    name: 'pglite',
    async config(slot = 'main', options = {}) {
      if (options.ephemeral) return { dataDir: 'memory://' };
      const base = (root ??= mkdtempSync(join(tmpdir(), 'llmb-store-')));
      const dataDir = join(base, slot);
      if (!existsSync(dataDir)) {
        template ??= pgliteTemplate();
        cpSync(await template, join(dataDir, 'pgdata'), { recursive: true });
      }
      return { dataDir };
    },
    async cleanup() {
      if (root) rmSync(root, { recursive: true, force: true });
    },
  };
}

async function createDatabase(): Promise<string> {
  const name = `llmb_test_${randomBytes(6).toString('hex')}`;
  await admin((query) => query(`CREATE DATABASE ${name}`));
  return name;
}

function postgresBackend(): Backend {
  // Promises, so hosts booting at once on one slot share one database.
  const made = new Map<string, Promise<string>>();
  return {
    name: 'postgres',
    async config(slot = 'main') {
      let name = made.get(slot);
      if (!name) made.set(slot, (name = createDatabase()));
      const url = new URL(POSTGRES_URL);
      url.pathname = `/${await name}`;
      return { url: url.toString() };
    },
    async cleanup() {
      if (made.size === 0) return;
      const names = await Promise.all(made.values());
      made.clear();
      await admin(async (query) => {
        for (const name of names) await query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

/**
 * PGlite always; PostgreSQL + pgvector when it answers. With `CI` set, an unreachable
 * PostgreSQL fails the run instead of being skipped.
 */
async function availableBackends(): Promise<Backend[]> {
  try {
    await admin((query) => query('SELECT 1'));
    return [pgliteBackend(), postgresBackend()];
  } catch (error) {
    const reason = `PostgreSQL at ${new URL(POSTGRES_URL).host} is unreachable (${(error as Error).message})`;
    if (process.env.CI) throw new Error(`${reason}; CI needs it (run .ci/services.sh and .ci/pgvector.sh)`, { cause: error });
    console.warn(`${reason}: running the storage tests on PGlite only`);
    return [pgliteBackend()];
  }
}

export const backends = await availableBackends();

/** Boots a real host with store-postgres on `slot` of the backend, plus extra plugins. */
export async function bootHost(
  backend: Backend,
  options: {
    slot?: string;
    plugins?: AnyPlugin[];
    bots?: (Partial<BotConfig> & { slug: string })[];
    env?: Record<string, string>;
    config?: Record<string, unknown>;
    ephemeral?: boolean;
    models?: ModelSpec[];
    /** Start the transports among `plugins`, listening on a free port. */
    transports?: boolean;
  } = {},
): Promise<TestHost> {
  const config = await backend.config(options.slot, { ephemeral: options.ephemeral ?? false });
  return createTestHost({
    plugins: [storePostgresPlugin, ...(options.plugins ?? [])],
    bots: options.bots ?? [{ slug: 'test' }],
    models: options.models ?? [],
    pluginConfig: { 'store-postgres': { ...config, ...options.config } },
    env: options.env ?? {},
    ...(options.transports ? { transports: true, listen: { port: 0 } } : {}),
  });
}

/** Opens the backend's `slot` database without a host (no migrations run). */
export async function open(backend: Backend, slot?: string, options: { ephemeral?: boolean } = {}): Promise<OpenedStore> {
  return openStore(await backend.config(slot, options));
}

/** Row counts of every table in the public schema. */
export async function tableCounts(store: { em(): { getConnection(): { execute(sql: string): Promise<unknown> } } }): Promise<Record<string, number>> {
  const connection = store.em().getConnection();
  const tables = (await connection.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1")) as { table_name: string }[];
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = (await connection.execute(`SELECT count(*)::int AS n FROM "${table_name}"`)) as { n: number }[];
    counts[table_name] = row?.n ?? 0;
  }
  return counts;
}

/** Polls until `probe` returns something truthy (POST_PROCESS runs detached). */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
