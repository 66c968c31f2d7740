import { randomBytes } from 'node:crypto';
import { isLlmbError, silentLogger, type LlmbError } from '@llm-bawt/sdk';
import { createTestHost } from '@llm-bawt/sdk/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTarget, sslOf } from '../src/config.js';
import { startEmbedded } from '../src/embedded/server.js';
import { connectionError, scrub } from '../src/errors.js';
import { ensureExtension } from '../src/migrations/bootstrap.js';
import { withRawConnection } from '../src/migrations/raw-connection.js';
import { openStore, storePostgresPlugin } from '../src/index.js';
import { openOrm } from '../src/orm.js';
import { createRedactor, secretsOf } from '../src/redact.js';
import { backends, open, POSTGRES_URL } from './backends.js';

async function failure(promise: Promise<unknown>): Promise<LlmbError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isLlmbError(error)) throw new Error(`expected a coded error, got ${String(error)}`);
  return error;
}

function expectOneLine(error: Error, secret?: string) {
  expect(error.message).not.toContain('\n');
  if (secret) expect(error.message).not.toContain(secret);
}

const PASSWORD = 's3cret-pass-word';

describe('database target and messages', () => {
  it('picks config url, then DATABASE_URL, then the data dir, then LLM_BAWT_DATA_DIR, then the host dir', () => {
    const env = { DATABASE_URL: `postgres://app:${PASSWORD}@db.internal:6543/llm`, LLM_BAWT_DATA_DIR: '/var/lib/llm-bawt' };
    expect(resolveTarget({ url: 'postgresql://x@h:1/d', env })).toMatchObject({ kind: 'external', host: 'h', port: 1, database: 'd' });
    const external = resolveTarget({ env });
    expect(external).toMatchObject({ kind: 'external', host: 'db.internal', port: 6543, database: 'llm', user: 'app', label: 'PostgreSQL at db.internal:6543/llm' });
    expect(external.label).not.toContain(PASSWORD);
    expect(resolveTarget({ dataDir: '/data/db', env: { LLM_BAWT_DATA_DIR: '/x' } })).toMatchObject({ kind: 'embedded', dataDir: '/data/db' });
    expect(resolveTarget({ env: { LLM_BAWT_DATA_DIR: '/var/lib/llm-bawt' }, fallbackDataDir: '/ignored' })).toMatchObject({ dataDir: '/var/lib/llm-bawt/store-postgres' });
    expect(resolveTarget({ fallbackDataDir: '/host/store-postgres' })).toMatchObject({ dataDir: '/host/store-postgres' });
  });

  it('reads TLS settings from sslmode', () => {
    expect(sslOf('postgres://h/d')).toBe(false);
    expect(sslOf('postgres://h/d?sslmode=disable')).toBe(false);
    expect(sslOf('postgres://h/d?sslmode=require')).toEqual({ rejectUnauthorized: false });
    expect(sslOf('postgres://h/d?ssl=true')).toEqual({ rejectUnauthorized: false });
    expect(sslOf('postgres://h/d?sslmode=verify-full')).toEqual({ rejectUnauthorized: true });
  });

  it('turns driver failures into one actionable line without the password', () => {
    const target = resolveTarget({ url: `postgres://app:${PASSWORD}@db.internal:6543/llm` });
    const refused = connectionError(Object.assign(new Error(`connect ECONNREFUSED at postgres://app:${PASSWORD}@db.internal`), { code: 'ECONNREFUSED' }), target);
    expect(refused.message).toMatch(/^cannot reach PostgreSQL at db\.internal:6543 \(.*ECONNREFUSED.*\): start it, fix DATABASE_URL, or unset DATABASE_URL to use the embedded database$/);
    expectOneLine(refused, PASSWORD);
    const login = connectionError(Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' }), target);
    expect(login.message).toMatch(/refused user 'app'.*check the user and password in DATABASE_URL/);
    const missing = connectionError(Object.assign(new Error('database "llm" does not exist'), { code: '3D000' }), target);
    expect(missing.message).toMatch(/has no database 'llm': create it \(createdb llm\)/);
    expect(scrub(`a\nb postgres://u:${PASSWORD}@h/d`, target)).toBe('a b postgres://u:***@h/d');
  });

  it('redacts environment secrets and well-known key shapes', () => {
    const secrets = secretsOf({ OPENAI_API_KEY: 'plain-secret-value', LLM_BAWT_API_KEYS: 'key-one-12345,key-two-67890', DATABASE_URL: `postgres://u:${PASSWORD}@h/d`, HOME: '/root', SHORT_TOKEN: 'abc' });
    expect(secrets).toEqual(expect.arrayContaining(['plain-secret-value', 'key-one-12345', 'key-two-67890', PASSWORD]));
    expect(secrets).not.toContain('/root');
    expect(secrets).not.toContain('abc');
    const redact = createRedactor(secrets);
    expect(redact.text('use plain-secret-value and sk-ant-abcdefghijklmnop1234 with Bearer abcdefghijklmnopqrstu')).toBe('use [redacted] and [redacted] with Bearer [redacted]');
    expect(redact.value({ messages: [{ content: `go to https://me:${PASSWORD}@example.org now` }], n: 1 })).toEqual({ messages: [{ content: 'go to https://me:[redacted]@example.org now' }], n: 1 });
  });
});

describe('an unreachable database', () => {
  const url = `postgresql://llmb:${PASSWORD}@127.0.0.1:1/llmb`;

  it('fails openStore with one line naming host:port and the cause', async () => {
    const error = await failure(openStore({ url }));
    expect(error.code).toBe('LLMB_ERR_PLUGIN_SETUP');
    expect(error.message).toMatch(/^cannot reach PostgreSQL at 127\.0\.0\.1:1 \(.*ECONNREFUSED.*\): start it, fix DATABASE_URL, or unset DATABASE_URL/);
    expectOneLine(error, PASSWORD);
  });

  it('fails the host boot (DATABASE_URL from the environment) with the same line', async () => {
    const error = await failure(createTestHost({ plugins: [storePostgresPlugin], env: { DATABASE_URL: url } }));
    expect(error.code).toBe('LLMB_ERR_PLUGIN_SETUP');
    expect(error.message).toMatch(/^plugin 'store-postgres' setup failed: cannot reach PostgreSQL at 127\.0\.0\.1:1/);
    expectOneLine(error, PASSWORD);
  });
});

describe.each(backends)('missing pieces on $name', (backend) => {
  afterAll(() => backend.cleanup());

  // The server here does have pgvector; asking the same check for an extension nobody has
  // exercises the code path and the message a server without pgvector gets.
  it('reports an extension the server does not offer in one line', async () => {
    const store = await open(backend, 'main', { ephemeral: true });
    try {
      const target = resolveTarget(await backend.config('main', { ephemeral: true }));
      const error = await failure(withRawConnection(store.orm, (connection) => ensureExtension(connection, target, 'llmb_no_such_extension')));
      expectOneLine(error);
      if (backend.name === 'postgres') {
        expect(error.message).toMatch(/^PostgreSQL at 127\.0\.0\.1:5432 has no llmb_no_such_extension extension: install it \(apt install postgresql-15-pgvector or build from source\) or unset DATABASE_URL to use the embedded database$/);
      } else {
        expect(error.message).toMatch(/has no llmb_no_such_extension extension: reinstall @electric-sql\/pglite/);
      }
    } finally {
      await store.close();
    }
  });

  if (backend.name === 'pglite') {
    it('lets no other client into the embedded database without its per-start password', async () => {
      const server = await startEmbedded('memory://');
      try {
        const stranger = await openOrm({ url: `postgresql://postgres@127.0.0.1:${server.port}/postgres`, entities: [], poolSize: 1, keepOne: false, logger: silentLogger });
        const refused = await withRawConnection(stranger, (connection) => connection.query('SELECT 1')).catch((error: unknown) => error as { code?: string; message: string });
        await stranger.close(true);
        expect(refused).toMatchObject({ code: '28P01', message: expect.stringMatching(/password authentication failed/) });
        const owner = await openOrm({ url: server.url, entities: [], poolSize: 1, keepOne: false, logger: silentLogger });
        expect(await withRawConnection(owner, async (connection) => (await connection.query('SELECT 1 AS one')).rows)).toEqual([{ one: 1 }]);
        await owner.close(true);
      } finally {
        await server.stop();
      }
    });
  }

  if (backend.name === 'postgres') {
    it('reports a database that does not exist', async () => {
      const missing = new URL(POSTGRES_URL);
      missing.pathname = '/llmb_no_such_database';
      const error = await failure(openStore({ url: missing.toString() }));
      expect(error.message).toMatch(/^PostgreSQL at 127\.0\.0\.1:5432 has no database 'llmb_no_such_database': create it/);
      expectOneLine(error);
    });

    it('reports a role that may not create pgvector, at boot', async () => {
      const role = `llmb_test_role_${randomBytes(4).toString('hex')}`;
      const { url } = await backend.config('unprivileged');
      const admin = await openStore({ url: url as string });
      await admin.em().getConnection().execute(`CREATE ROLE ${role} LOGIN; GRANT ALL ON SCHEMA public TO ${role}`);
      try {
        const asRole = new URL(url as string);
        asRole.username = role;
        const error = await failure(createTestHost({ plugins: [storePostgresPlugin], pluginConfig: { 'store-postgres': { url: asRole.toString() } } }));
        expect(error.message).toMatch(/cannot create the vector extension in PostgreSQL at 127\.0\.0\.1:5432\/llmb_test_\w+ \(.*permission denied.*\): ask a superuser to run CREATE EXTENSION vector in llmb_test_\w+$/);
        expectOneLine(error);
      } finally {
        await admin.em().getConnection().execute(`REVOKE ALL ON SCHEMA public FROM ${role}; DROP ROLE ${role}`);
        await admin.close();
      }
    });
  }
});
