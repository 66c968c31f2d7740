import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedUpstream, type ScriptedUpstream } from '@llm-bawt/sdk/testing';
import { cliEnv, cliProject, lastingCliProject, runCli, startHost, type CliRun, type RunningHost } from './cli-helpers.js';

// The admin commands, run as the real binary against a real host: `llm-bawt host` started in
// a project of its own (most tests), and a host booted inside the command (no --service).

/** The start of an ANSI escape sequence (colours, cursor moves). */
const ESCAPE = '\u001b[';

interface BotJson {
  slug: string;
  name: string;
  uses_tools: boolean;
  default_model: string | null;
  settings: Record<string, unknown>;
  updated_at: string;
}

interface MemoryJson {
  id: string;
  content: string;
  status?: string;
}

let upstream: ScriptedUpstream;
beforeAll(async () => {
  upstream = await createScriptedUpstream();
});
afterAll(async () => {
  await upstream.close();
});

const json = <T>(run: CliRun): T => {
  expect(run.stderr.includes('unexpected error')).toBe(false);
  return JSON.parse(run.stdout) as T;
};

// Every command is a process of its own (a second or so each on a busy machine); tests run several.
const SLOW = { timeout: 90_000 };

describe('admin commands against a running host (--service)', SLOW, () => {
  let dir: string;
  let remove: () => void;
  let host: RunningHost;

  beforeAll(async () => {
    ({ dir, remove } = lastingCliProject(upstream));
    host = await startHost(dir);
  }, 60_000);
  afterAll(async () => {
    await host.stop();
    remove();
  });

  const admin = (args: string[], env: Record<string, string> = {}) => runCli([...args, '--service', host.url], { cwd: dir, env: cliEnv(dir, env) });

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${host.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as T;
  }

  const showBot = async (slug: string) => json<BotJson>(await admin(['bots', 'show', slug, '--json']));

  describe('bots', () => {
    it('list: an aligned table with the default bot marked, and the bots as JSON', async () => {
      const text = await admin(['bots', 'list']);
      expect(text.code).toBe(0);
      expect(text.stderr).toBe('');
      const lines = text.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^SLUG\s+NAME\s+MODEL\s+MEMORY/);
      expect(lines.find((l) => l.startsWith('tracer'))).toMatch(/^tracer \(default\)\s+Tracer\s/);
      expect(lines.find((l) => l.startsWith('plain'))).toMatch(/^plain\s+Plain\s/);
      // Columns line up: every row's NAME starts where the header's does.
      const nameAt = lines[0]?.indexOf('NAME');
      expect(lines.slice(1).map((l) => l.search(/Plain|Tracer|Clock/))).toEqual(lines.slice(1).map(() => nameAt));

      const bots = json<BotJson[]>(await admin(['bots', 'list', '--json']));
      expect(bots.map((b) => b.slug).sort()).toEqual(['clock', 'plain', 'tracer']);
    });

    it('show: fields and the system prompt; --json is the bot', async () => {
      const text = await admin(['bots', 'show', 'tracer']);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^slug:\s+tracer$/m);
      expect(text.stdout).toMatch(/^memory:\s+yes$/m);
      expect(text.stdout).toMatch(/system prompt\n {2}You trace\.\n$/);
      expect((await showBot('tracer')).name).toBe('Tracer');
    });

    it('show of an unknown bot exits 3 with the server message; a missing SLUG is a usage error', async () => {
      const unknown = await admin(['bots', 'show', 'nobody']);
      expect(unknown.code).toBe(3);
      expect(unknown.stdout).toBe('');
      expect(unknown.stderr).toContain("llm-bawt bots show: The bot 'nobody' does not exist");
      const missing = await admin(['bots', 'show']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('llm-bawt bots show SLUG');
    });

    it('edit --set changes only the fields given; the same edit again is "no changes"', async () => {
      const edit = await admin(['bots', 'edit', 'plain', '--set', 'settings.color=teal', '--set', 'uses_tools=true']);
      expect(edit.stderr).toBe('');
      expect(edit.code).toBe(0);
      expect(edit.stdout).toBe('updated bot plain: uses_tools, settings\n');
      const bot = await showBot('plain');
      expect(bot.uses_tools).toBe(true);
      expect(bot.settings.color).toBe('teal');
      expect(bot.name).toBe('Plain');

      const again = await admin(['bots', 'edit', 'plain', '--set', 'uses_tools=true']);
      expect(again.code).toBe(0);
      expect(again.stdout).toBe('no changes to bot plain\n');
      expect((await showBot('plain')).updated_at).toBe(bot.updated_at);
    });

    it('edit refuses an unknown field and a value the server rejects (exit 2), saving nothing', async () => {
      const before = await showBot('plain');
      const field = await admin(['bots', 'edit', 'plain', '--set', 'colour=red']);
      expect(field.code).toBe(2);
      expect(field.stderr).toContain("'colour' is not an editable field");
      const model = await admin(['bots', 'edit', 'plain', '--set', 'default_model=gpt-9', '--set', 'name=Renamed']);
      expect(model.code).toBe(2);
      expect(model.stderr).toContain('gpt-9');
      expect(await showBot('plain')).toEqual(before);
    });

    it('edit opens $EDITOR on the YAML fields and saves what the editor changed', async () => {
      const script = join(dir, 'edit.cjs');
      writeFileSync(
        script,
        [
          "const fs = require('node:fs');",
          'const file = process.argv[2];',
          "const text = fs.readFileSync(file, 'utf8');",
          "if (!text.includes('name: Tracer\\n')) process.exit(5);",
          "fs.writeFileSync(file, text.replace('name: Tracer\\n', 'name: Tracer Two\\n').replace('default_model: null', 'default_model: other'));",
        ].join('\n'),
      );
      const edit = await admin(['bots', 'edit', 'tracer'], { EDITOR: `node ${script}` });
      expect(edit.stderr).toBe('');
      expect(edit.code).toBe(0);
      expect(edit.stdout).toBe('updated bot tracer: name, default_model\n');
      const bot = await showBot('tracer');
      expect(bot.name).toBe('Tracer Two');
      expect(bot.default_model).toBe('other');
    });

    it('edit: invalid YAML from the editor is exit 2 and saves nothing; no editor without a terminal is a usage error', async () => {
      const before = await showBot('tracer');
      const script = join(dir, 'break.cjs');
      writeFileSync(script, "require('node:fs').writeFileSync(process.argv[2], 'name: [Tracer\\nsystem_prompt: x\\n');");
      const broken = await admin(['bots', 'edit', 'tracer'], { VISUAL: `node ${script}` });
      expect(broken.code).toBe(2);
      expect(broken.stderr).toMatch(/not valid YAML.*nothing was saved/);
      expect(await showBot('tracer')).toEqual(before);

      const none = await admin(['bots', 'edit', 'tracer']);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('no editor: set $VISUAL or $EDITOR, or change fields with --set FIELD=VALUE');
    });
  });

  it('models list: the usable aliases, as a table and as JSON', async () => {
    const text = await admin(['models', 'list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ALIAS\s+PROVIDER\s+MODEL/);
    expect(text.stdout).toMatch(/^local\s+openai-compatible\s+scripted\b/m);
    const models = json<Array<{ id: string; model_id: string }>>(await admin(['models', 'list', '--json']));
    expect(models.map((m) => m.id).sort()).toEqual(['local', 'other']);
  });

  describe('memory', () => {
    const user = 'mem-user';
    const store = (content: string, tags: string[]) => api<{ memory: MemoryJson }>('POST', '/v1/memory', { user, content, tags, importance: 0.8 });

    it('list, search and forget, scoped by --user', async () => {
      const lisbon = (await store('User lives in Lisbon', ['location'])).memory;
      await store('User plays the cello', ['hobby']);

      const list = json<MemoryJson[]>(await admin(['memory', 'list', '--user', user, '--json']));
      expect(list.map((m) => m.content).sort()).toEqual(['User lives in Lisbon', 'User plays the cello']);
      const text = await admin(['memory', 'list', '-u', user]);
      expect(text.stdout).toMatch(/^ID\s+IMPORTANCE\s+TAGS\s+CREATED\s+CONTENT/);
      expect(text.stdout).toMatch(new RegExp(`^${lisbon.id.slice(0, 8)}\\s+0\\.8\\s+location\\s.*User lives in Lisbon$`, 'm'));
      expect(json<MemoryJson[]>(await admin(['memory', 'list', '--json']))).toEqual([]);

      const hits = json<MemoryJson[]>(await admin(['memory', 'search', 'where', 'does', 'the', 'user', 'live', '--user', user, '--json']));
      expect(hits[0]?.content).toBe('User lives in Lisbon');

      const forget = await admin(['memory', 'forget', lisbon.id.slice(0, 8), '--user', user]);
      expect(forget.code).toBe(0);
      expect(forget.stdout).toBe(`forgot ${lisbon.id.slice(0, 8)}  User lives in Lisbon\n`);
      const after = json<MemoryJson[]>(await admin(['memory', 'list', '--user', user, '--json']));
      expect(after.map((m) => m.content)).toEqual(['User plays the cello']);
    });

    it('forget: an unknown id is exit 3 and forgets nothing; none given is a usage error', async () => {
      const kept = (await store('User has two sisters', ['family'])).memory;
      const run = await admin(['memory', 'forget', kept.id, randomUUID(), '--user', user]);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/llm-bawt memory forget: no memory/);
      const list = json<MemoryJson[]>(await admin(['memory', 'list', '--user', user, '--json']));
      expect(list.map((m) => m.id)).toContain(kept.id);
      const none = await admin(['memory', 'forget', '--user', user]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('llm-bawt memory forget ID');
    });

    it('consolidate: a dry run shows the plan (progress on stderr, JSON on stdout) and changes nothing; --apply merges', async () => {
      const scope = 'consolidate-user';
      for (const content of ['User is allergic to peanuts', 'User is allergic to peanuts and cashews']) {
        await api('POST', '/v1/memory', { user: scope, content, tags: ['health'], importance: 0.9 });
      }
      await api('POST', '/v1/memory', { user: scope, content: 'User lives in Porto', tags: ['location'] });

      const dry = await admin(['memory', 'consolidate', '--user', scope, '--json']);
      expect(dry.code).toBe(0);
      expect(dry.stderr).toContain('planning consolidation');
      const plan = json<{ dry_run: boolean; considered: number; clusters: Array<{ members: MemoryJson[] }> }>(dry);
      expect(plan.dry_run).toBe(true);
      expect(plan.considered).toBe(3);
      expect(plan.clusters).toHaveLength(1);
      expect(plan.clusters[0]?.members.map((m) => m.content).sort()).toEqual(['User is allergic to peanuts', 'User is allergic to peanuts and cashews']);
      expect(json<MemoryJson[]>(await admin(['memory', 'list', '--user', scope, '--json']))).toHaveLength(3);

      const text = await admin(['memory', 'consolidate', '--user', scope]);
      expect(text.stdout).toContain('3 memories considered; 1 cluster would merge (2 memories)');
      expect(text.stdout).toContain('dry run: nothing changed');

      const applied = await admin(['memory', 'consolidate', '--apply', '--user', scope]);
      expect(applied.code).toBe(0);
      expect(applied.stdout).toContain('1 cluster merged (2 memories)');
      expect(json<MemoryJson[]>(await admin(['memory', 'list', '--user', scope, '--json']))).toHaveLength(2);
    });

    it('reembed embeds the memories again with --all', async () => {
      const run = await admin(['memory', 'reembed', '--all', '--user', user, '--json']);
      expect(run.code).toBe(0);
      const result = json<{ embedder: string; embedded: number }>(run);
      expect(result.embedder).toBe('embeddings-local');
      expect(result.embedded).toBeGreaterThanOrEqual(2);
    });
  });

  describe('history', () => {
    const user = 'hist-user';

    it('show after a chat turn; forget --last then restore brings it back', async () => {
      upstream.reset();
      upstream.setDefault({ text: 'Noted: oat milk.' });
      await api('POST', '/v1/chat/completions', { user, messages: [{ role: 'user', content: 'Remember to buy oat milk' }] });

      const text = await admin(['history', 'show', '--user', user]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/user\s+[0-9a-f-]{36}\n {2}Remember to buy oat milk\n/);
      expect(text.stdout).toMatch(/assistant\s+[0-9a-f-]{36}\n {2}Noted: oat milk\.\n/);
      const shown = json<Array<{ role: string; content: string }>>(await admin(['history', 'show', '--user', user, '--json']));
      expect(shown.map((m) => [m.role, m.content])).toEqual([
        ['user', 'Remember to buy oat milk'],
        ['assistant', 'Noted: oat milk.'],
      ]);

      const forget = await admin(['history', 'forget', '--last', '2', '--user', user]);
      expect(forget.code).toBe(0);
      expect(forget.stdout).toMatch(/^forgot 2 messages\n/);
      expect(forget.stderr).toContain('llm-bawt history restore --last 2');
      expect((await admin(['history', 'show', '--user', user])).stdout).toBe('no messages\n');

      const restore = await admin(['history', 'restore', '--user', user]);
      expect(restore.code).toBe(0);
      expect(restore.stdout).toMatch(/^restored 2 messages\n/);
      expect(json<unknown[]>(await admin(['history', 'show', '--user', user, '--json']))).toHaveLength(2);
    });

    it('forget needs exactly one of --last, --minutes, --id', async () => {
      const none = await admin(['history', 'forget', '--user', user]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('exactly one of --last N, --minutes N or --id ID');
      const two = await admin(['history', 'forget', '--last', '1', '--minutes', '5', '--user', user]);
      expect(two.code).toBe(2);
      const bad = await admin(['history', 'forget', '--last', 'many', '--user', user]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--last must be a whole number');
    });
  });

  it('sessions: new starts the active one (with its title), and list shows it', async () => {
    const user = 'sess-user';
    const first = json<{ id: string; status: string }>(await admin(['sessions', 'new', '--user', user, '--json']));
    const made = await admin(['sessions', 'new', 'Kitchen', 'remodel', '--user', user]);
    expect(made.code).toBe(0);
    const id = /^started session ([0-9a-f-]{36}) "Kitchen remodel" \(active\)$/m.exec(made.stdout)?.[1];
    expect(id).toBeDefined();
    expect(made.stdout).toContain(`archived session ${first.id}`);

    const sessions = json<Array<{ id: string; status: string; title: string | null }>>(await admin(['sessions', 'list', '--user', user, '--json']));
    expect(sessions.find((s) => s.status === 'active')).toMatchObject({ id, title: 'Kitchen remodel' });
    expect(sessions.find((s) => s.id === first.id)?.status).toBe('archived');
    const text = await admin(['sessions', 'list', '--user', user]);
    expect(text.stdout).toMatch(new RegExp(`^${id}\\s+active\\s.*Kitchen remodel$`, 'm'));
  });

  it('status: host, database, Redis, models and plugins; --json has the checks', async () => {
    const text = await admin(['status']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^host:\s+ok {2}llm-bawt \d+\.\d+\.\d+/m);
    expect(text.stdout).toMatch(/^database:\s+ok {2}PGlite/m);
    expect(text.stdout).toMatch(/^redis:\s+not used \(no loaded plugin reports it\)$/m);
    expect(text.stdout).toMatch(/^models:\s+2 of 2 usable$/m);
    expect(text.stdout).toMatch(/^store-postgres\s+\d+\.\d+\.\d+\s+@llm-bawt\/plugin-store-postgres/m);
    const status = json<{ state: string; plugins: Array<{ id: string; version: string }>; checks: Array<{ id: string; state: string }> }>(await admin(['status', '--json']));
    expect(status.state).toBe('ok');
    expect(status.checks.find((c) => c.id === 'database')?.state).toBe('ok');
    expect(status.plugins.map((p) => p.id)).toContain('memory-semantic');
  });

  it('output has no escape codes when it is not a terminal or NO_COLOR is set, and has them when colour is forced', async () => {
    const { NO_COLOR: _, ...plainEnv } = cliEnv(dir);
    const piped = await runCli(['status', '--service', host.url], { cwd: dir, env: plainEnv });
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toContain(ESCAPE);
    const forced = await runCli(['bots', 'list', '--service', host.url], { cwd: dir, env: { ...plainEnv, FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain(ESCAPE);
    const off = await admin(['bots', 'list']);
    expect(off.stdout).not.toContain(ESCAPE);
    expect(off.stdout).toMatch(/^SLUG/);
  });
});

describe('admin commands with a host inside the command (no --service)', SLOW, () => {
  it('bots list --json and status boot the configured host and print its answer', async () => {
    const dir = cliProject(upstream);
    const bots = await runCli(['bots', 'list', '--json'], { cwd: dir });
    expect(bots.code).toBe(0);
    expect((JSON.parse(bots.stdout) as BotJson[]).map((b) => b.slug).sort()).toEqual(['clock', 'plain', 'tracer']);
    const status = await runCli(['status'], { cwd: dir });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^host:\s+ok .*in-process host$/m);
  });

  it('memory of a bot that keeps none is refused with the server message (exit 2)', async () => {
    const dir = cliProject(upstream);
    const run = await runCli(['memory', 'list', '--bot', 'plain'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("The bot 'plain' keeps no memory");
  });
});
