import transportOpenai from '@llm-bawt/plugin-transport-openai';
import { definePlugin } from '@llm-bawt/sdk';
import type { TestHost } from '@llm-bawt/sdk/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { urlWithoutPassword } from '../src/config.js';
import { storeRef, type OpenedStore } from '../src/index.js';
import { backends, bootHost, type Backend } from './backends.js';
import { apiOf } from './http.js';

const PASSWORD = 'status-secret-pw';

/** The slot's config; on PostgreSQL with a password in the URL (the test server trusts any), so the report must hide it. */
async function configOf(backend: Backend, slot: string): Promise<{ url?: string; dataDir?: string }> {
  const config = await backend.config(slot);
  if (!config.url) return config;
  const url = new URL(config.url);
  url.password = PASSWORD;
  return { url: url.toString() };
}

async function databaseCheck(host: TestHost) {
  const { status, body } = await apiOf(host).get('/v1/status');
  expect(status).toBe(200);
  expect(JSON.stringify(body)).not.toContain(PASSWORD);
  return { body, check: body.checks.find((c: { id: string }) => c.id === 'database') };
}

const probe = definePlugin({
  id: 'probe',
  version: '0.1.0',
  sdk: '^0.1.0',
  contributes: { migrations: [{ id: '0001-probe', up: ['CREATE TABLE status_probe (id int PRIMARY KEY)'] }] },
});

describe.each(backends)('the database status check on $name', (backend) => {
  afterAll(() => backend.cleanup());

  it('reports where the database is, its versions, migrations and one round trip', async () => {
    const config = await configOf(backend, 'status');
    const host = await bootHost(backend, { slot: 'status', config, plugins: [transportOpenai], transports: true });
    try {
      const { body, check } = await databaseCheck(host);
      const known = (await host.get(storeRef).status()).migrations.length;
      expect(body.state).toBe('ok');
      expect(check).toEqual({
        id: 'database',
        plugin: 'store-postgres',
        state: 'ok',
        summary: expect.stringMatching(new RegExp(`pgvector \\d+\\.\\d+\\.\\d+; ${known} migrations applied, 0 pending; select 1 in [\\d.]+ ms$`)),
        details: {
          ...(config.url ? { backend: 'postgresql', url: urlWithoutPassword(config.url) } : { backend: 'pglite', data_dir: config.dataDir }),
          server_version: expect.stringMatching(/^\d+(\.\d+)?/),
          pgvector: expect.stringMatching(/^\d+\.\d+\.\d+$/),
          migrations: { applied: known, pending: 0, changed: 0, orphaned: 0 },
          round_trip_ms: expect.any(Number),
        },
        duration_ms: expect.any(Number),
      });
      expect(check.summary).toMatch(config.url ? /^PostgreSQL \d+/ : /^PGlite \(PostgreSQL \d+/);
      expect(body.plugins.map((p: { id: string }) => p.id)).toContain('store-postgres');
    } finally {
      await host.close();
    }
  });

  it('is degraded while a migration is pending (migrateOnBoot off)', async () => {
    const config = await configOf(backend, 'pending');
    await (await bootHost(backend, { slot: 'pending', config })).close();
    const host = await bootHost(backend, { slot: 'pending', config: { ...config, migrateOnBoot: false }, plugins: [transportOpenai, probe], transports: true });
    try {
      const { body, check } = await databaseCheck(host);
      expect(body.state).toBe('degraded');
      expect(check.state).toBe('degraded');
      expect(check.details.migrations).toMatchObject({ pending: 1, changed: 0 });
      expect(check.summary).toContain('1 pending');
    } finally {
      await host.close();
    }
  });

  it('is down, and so is the host, when the database does not answer', async () => {
    const config = await configOf(backend, 'gone');
    const host = await bootHost(backend, { slot: 'gone', config, plugins: [transportOpenai], transports: true });
    try {
      // The database goes away under the running host.
      await (host.get(storeRef) as OpenedStore).close();
      const { body, check } = await databaseCheck(host);
      expect(body.state).toBe('down');
      expect(check).toMatchObject({ id: 'database', plugin: 'store-postgres', state: 'down', details: { backend: config.url ? 'postgresql' : 'pglite' } });
      expect(check.summary).toMatch(/ does not answer: /);
    } finally {
      await host.close();
    }
  });
});

describe('urlWithoutPassword', () => {
  it('drops the password from the userinfo and the query, and keeps the rest', () => {
    expect(urlWithoutPassword('postgresql://llm:hunter2@db.internal:5433/llm?sslmode=require')).toBe('postgresql://llm@db.internal:5433/llm?sslmode=require');
    expect(urlWithoutPassword('postgres://db/llm?user=llm&password=hunter2')).toBe('postgres://db/llm?user=llm');
    expect(urlWithoutPassword('postgres://db/llm')).toBe('postgres://db/llm');
  });
});
