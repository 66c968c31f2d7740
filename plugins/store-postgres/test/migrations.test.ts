import { definePlugin, isLlmbError, type MigrationDefinition } from '@llm-bawt/sdk';
import type { TestHost } from '@llm-bawt/sdk/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, status, storeRef, MIGRATIONS_TABLE } from '../src/index.js';
import { backends, bootHost, open } from './backends.js';

// Not idempotent on purpose: applied twice, the probe table would hold two rows (or the
// CREATE TABLE would fail), so "applied once" is observable.
const probeMigrations: MigrationDefinition[] = [
  { id: '0002-probe-row', up: ["INSERT INTO migration_probe (note) VALUES ('second')"] },
  { id: '0001-probe-table', description: 'probe table', up: ['CREATE TABLE migration_probe (id serial PRIMARY KEY, note text NOT NULL)', "INSERT INTO migration_probe (note) VALUES ('first')"] },
];

const probePlugin = (migrations: MigrationDefinition[] = probeMigrations) =>
  definePlugin({ id: 'probe', version: '0.1.0', sdk: '^0.1.0', contributes: { migrations } });

async function probeNotes(host: Pick<TestHost, 'get'> | undefined): Promise<string[]> {
  if (!host) throw new Error('no host');
  const rows = (await host.get(storeRef).em().getConnection().execute('SELECT note FROM migration_probe ORDER BY id')) as { note: string }[];
  return rows.map((row) => row.note);
}

describe.each(backends)('migrations on $name', (backend) => {
  afterAll(() => backend.cleanup());

  it('boots with every migration applied, own tables first and plugins in id order', async () => {
    const host = await bootHost(backend, { plugins: [probePlugin()] });
    try {
      const report = await host.get(storeRef).status();
      expect(report.pending).toBe(0);
      expect(report.migrations.map((m) => `${m.pluginId}/${m.id}:${m.state}`)).toEqual([
        'store-postgres/0001-shared-tables:applied',
        'store-postgres/0002-turn-logs:applied',
        'probe/0001-probe-table:applied',
        'probe/0002-probe-row:applied',
      ]);
      expect(await probeNotes(host)).toEqual(['first', 'second']);
      const extension = (await host.get(storeRef).em().getConnection().execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")) as unknown[];
      expect(extension).toHaveLength(1);
    } finally {
      await host.close();
    }
  });

  it('applies nothing again on a second boot of the same database', async () => {
    const store = await open(backend);
    const before = (await store.em().getConnection().execute(`SELECT plugin_id, migration_id, applied_at FROM ${MIGRATIONS_TABLE} ORDER BY 1, 2`)) as unknown[];
    // Opened without the probe plugin: its applied migrations show as orphaned, nothing is pending.
    const withoutProbe = await store.status();
    await store.close();
    expect(withoutProbe.pending).toBe(0);
    expect(withoutProbe.migrations.filter((m) => m.state === 'orphaned').map((m) => m.id)).toEqual(['0001-probe-table', '0002-probe-row']);
    const host = await bootHost(backend, { plugins: [probePlugin()] });
    try {
      expect(await probeNotes(host)).toEqual(['first', 'second']);
      const after = await host.get(storeRef).em().getConnection().execute(`SELECT plugin_id, migration_id, applied_at FROM ${MIGRATIONS_TABLE} ORDER BY 1, 2`);
      expect(after).toEqual(before);
      expect((await host.get(storeRef).migrate()).applied).toEqual([]);
    } finally {
      await host.close();
    }
  });

  it('refuses to boot when an applied migration was edited', async () => {
    const edited = probeMigrations.map((m) => (m.id === '0002-probe-row' ? { ...m, up: ["INSERT INTO migration_probe (note) VALUES ('edited')"] } : m));
    const failure = await bootHost(backend, { plugins: [probePlugin(edited)] }).catch((error: unknown) => error);
    expect(isLlmbError(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/migration 'probe\/0002-probe-row' changed after it was applied/);
    expect((failure as Error).message).not.toContain('\n');
  });

  it('with migrateOnBoot off, refuses a database without its tables; migrate() and status() then work standalone', async () => {
    const config = await backend.config('manual');
    const refused = await bootHost(backend, { slot: 'manual', config: { migrateOnBoot: false } }).catch((error: unknown) => error as Error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/lacks store-postgres's own tables \(migrateOnBoot is off\): run 'llm-bawt db migrate' first/);

    const migrations = [{ pluginId: 'probe', value: probeMigrations[1] as MigrationDefinition }];
    const report = await migrate({ ...config, migrations });
    expect(report.applied.map((m) => `${m.pluginId}/${m.id}`)).toEqual(['store-postgres/0001-shared-tables', 'store-postgres/0002-turn-logs', 'probe/0001-probe-table']);
    expect(report.upToDate).toBe(0);
    const after = await status({ ...config, migrations: [...migrations, { pluginId: 'probe', value: probeMigrations[0] as MigrationDefinition }] });
    expect(after.pending).toBe(1);
    expect(after.migrations.map((m) => `${m.id}:${m.state}`)).toEqual(['0001-shared-tables:applied', '0002-turn-logs:applied', '0001-probe-table:applied', '0002-probe-row:pending']);
    expect(after.migrations[2]?.appliedAt).toBeInstanceOf(Date);
  });

  if (backend.name === 'postgres') {
    it('two hosts booting against one database at once apply each migration once', async () => {
      const hosts = await Promise.all([0, 1].map(() => bootHost(backend, { slot: 'race', plugins: [probePlugin()] })));
      try {
        const databases = await Promise.all(hosts.map((host) => host.get(storeRef).em().getConnection().execute('SELECT current_database() AS db')));
        expect(databases[0]).toEqual(databases[1]);
        expect(await probeNotes(hosts[0])).toEqual(['first', 'second']);
        const rows = (await hosts[1]!.get(storeRef).em().getConnection().execute(`SELECT count(*)::int AS n FROM ${MIGRATIONS_TABLE}`)) as { n: number }[];
        expect(rows[0]?.n).toBe(4);
        const bots = (await hosts[1]!.get(storeRef).bots.list()).map((bot) => bot.slug);
        expect(bots).toEqual(['test']);
      } finally {
        await Promise.all(hosts.map((host) => host.close()));
      }
    });
  } else {
    it('refuses a second host on the same embedded data directory', async () => {
      const first = await bootHost(backend, { slot: 'shared' });
      try {
        const failure = await bootHost(backend, { slot: 'shared' }).catch((error: unknown) => error as Error);
        expect(failure).toBeInstanceOf(Error);
        expect((failure as Error).message).toMatch(/in use by another host in this process/);
      } finally {
        await first.close();
      }
    });
  }
});
