import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, makeProject, REPO_ROOT } from './helpers.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built binary with only PATH, HOME and the given variables (no DATABASE_URL of the machine). */
function run(args: string[], cwd: string, extra: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH, HOME: cwd, NO_COLOR: '1', ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

// A plugin with a migration of its own, so the commands must read the config's plugin list.
const PROBE_PLUGIN = `import { definePlugin } from ${JSON.stringify(join(REPO_ROOT, 'sdk/dist/index.js'))};
export default definePlugin({
  id: 'probe',
  version: '0.1.0',
  sdk: '^0.1.0',
  contributes: { migrations: [{ id: '0001-probe', description: 'probe table', up: ['CREATE TABLE probe (id int PRIMARY KEY)'] }] },
});
`;

const CONFIG = 'plugins:\n  - "@llm-bawt/plugin-store-postgres"\n  - ./probe-plugin.ts\n';

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, 'host/dist/cli.js'))) throw new Error('host/dist/cli.js is missing: run `npm run build` before these tests');
});

describe('llm-bawt db', () => {
  it('status lists pending migrations, migrate applies them once, status then shows them applied', async () => {
    const dir = makeProject({ 'llm-bawt.config.yaml': CONFIG, 'probe-plugin.ts': PROBE_PLUGIN });
    const env = { LLM_BAWT_DATA_DIR: join(dir, 'data') };

    const before = await run(['db', 'status'], dir, env);
    expect(before.stderr).toBe('');
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(`database: the embedded database in ${join(dir, 'data', 'store-postgres')}`);
    expect(before.stdout).toMatch(/^migrations: 3 pending$/m);
    expect(before.stdout).toMatch(/^ {2}pending +store-postgres\/0001-shared-tables +bots, model definitions/m);
    expect(before.stdout).toMatch(/^ {2}pending +probe\/0001-probe +probe table$/m);
    expect(before.stdout).toContain("run 'llm-bawt db migrate' to apply the pending migrations");

    const migrated = await run(['db', 'migrate', '--config', 'llm-bawt.config.yaml'], dir, env);
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/^applied 3 migrations:$/m);
    expect(migrated.stdout.indexOf('store-postgres/0002-turn-logs')).toBeLessThan(migrated.stdout.indexOf('probe/0001-probe'));
    expect(migrated.stdout).toMatch(/^ {2}probe\/0001-probe +\d+ ms$/m);

    const again = await run(['db', 'migrate'], dir, env);
    expect(again.stdout).toContain('nothing to apply: 3 migrations were already applied');

    const after = await run(['db', 'status', '--json'], dir, env);
    expect(after.code).toBe(0);
    const report = JSON.parse(after.stdout) as { pending: number; migrations: { pluginId: string; id: string; state: string; appliedAt: string }[] };
    expect(report.pending).toBe(0);
    expect(report.migrations.map((m) => `${m.pluginId}/${m.id}:${m.state}`)).toEqual([
      'store-postgres/0001-shared-tables:applied',
      'store-postgres/0002-turn-logs:applied',
      'probe/0001-probe:applied',
    ]);
    expect(Number.isNaN(Date.parse(report.migrations[2]?.appliedAt ?? ''))).toBe(false);
    // Four processes, the first of which initialises a new embedded database.
  }, 120_000);

  it('exits 1 with one line, without the password, when the database cannot be reached', async () => {
    const dir = makeProject({});
    const result = await run(['db', 'status'], dir, { DATABASE_URL: 'postgres://app:hunter2-secret@127.0.0.1:1/llm' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^llm-bawt db status: cannot reach PostgreSQL at 127\.0\.0\.1:1 \(.*ECONNREFUSED.*\): start it, fix DATABASE_URL, or unset DATABASE_URL to use the embedded database\n$/);
    expect(result.stderr).not.toContain('hunter2');
    const migrate = await run(['db', 'migrate'], dir, { DATABASE_URL: 'postgres://app:hunter2-secret@127.0.0.1:1/llm' });
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toMatch(/^llm-bawt db migrate: cannot reach PostgreSQL at 127\.0\.0\.1:1/);
  }, 60_000);

  it('says so when the configured plugins include no database', async () => {
    const dir = makeProject({ 'llm-bawt.config.yaml': 'plugins:\n  - "@llm-bawt/plugin-provider-openai"\n' });
    const result = await run(['db', 'status'], dir, { LLM_BAWT_DATA_DIR: join(dir, 'data') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('store-postgres is not among the plugins (llm-bawt.config.yaml): this host uses no database');
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });
});
