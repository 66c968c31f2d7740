import transportOpenai from '@llm-bawt/plugin-transport-openai';
import type { TestHost } from '@llm-bawt/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeRef } from '../src/index.js';
import { backends, bootHost } from './backends.js';
import { apiOf, echoAgentPlugin, errorOf } from './http.js';

const yamlV1 = [
  { slug: 'nova', name: 'Nova', system_prompt: 'You are Nova.', agent_backend: 'echo', requires_memory: false },
  { slug: 'spark', name: 'Spark', system_prompt: 'You are Spark.', agent_backend: 'echo', requires_memory: false },
];
const models = [{ alias: 'local', provider: 'openai-compatible', model: 'm', base_url: 'http://127.0.0.1:9/v1' }];

describe.each(backends)('bot routes on $name', (backend) => {
  let host: TestHost;
  let api: ReturnType<typeof apiOf>;
  const boot = async (bots: typeof yamlV1) => {
    host = await bootHost(backend, { slot: 'bots', bots, models, plugins: [echoAgentPlugin, transportOpenai], transports: true });
    api = apiOf(host);
  };
  /** The bots as the API lists them, compared whole so that "nothing was written" is checked. */
  const listing = async () => (await api.get('/v1/bots')).body.data as Record<string, unknown>[];

  beforeAll(() => boot(yamlV1));
  afterAll(async () => {
    await host?.close();
    await backend.cleanup();
  });

  it('lists the seeded bots with every field', async () => {
    const { status, body } = await api.get('/v1/bots');
    expect(status).toBe(200);
    expect(body).toMatchObject({ object: 'list', next_cursor: null });
    expect(body.data.map((bot: { slug: string }) => bot.slug)).toEqual(['nova', 'spark']);
    expect(body.data[0]).toEqual({
      object: 'bot',
      slug: 'nova',
      name: 'Nova',
      description: null,
      system_prompt: 'You are Nova.',
      requires_memory: false,
      uses_tools: false,
      uses_search: false,
      voice_optimized: false,
      agent_backend: 'echo',
      agent_backend_config: null,
      default_model: null,
      settings: {},
      plugins: {},
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      updated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
  });

  it('creates a bot (201) that serves the next chat turn, and refuses a duplicate slug with 409', async () => {
    const created = await api.post('/v1/bots', { slug: 'mira', name: 'Mira', system_prompt: 'You are Mira.', agent_backend: 'echo', color: 'magenta', default_model: 'local' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: 'mira', requires_memory: true, settings: { color: 'magenta' }, default_model: 'local' });
    expect((await api.get('/v1/bots/mira')).body).toEqual(created.body);
    expect((await api.get('/v1/bots/mira/profile')).body).toEqual(created.body);
    expect(host.bots.get('mira')?.system_prompt).toBe('You are Mira.');
    const turn = await api.chat({ bot_id: 'mira' });
    expect(turn.status).toBe(200);
    expect(turn.text).toContain('system=You are Mira.');

    const duplicate = await api.post('/v1/bots', { slug: 'mira', name: 'Other', system_prompt: 'Other.' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject(errorOf('LLMB_ERR_CONFLICT', 'slug'));
    expect((await api.get('/v1/bots/mira')).body.name).toBe('Mira');
  });

  it('answers bad bot bodies with a 400 naming the field, and writes nothing', async () => {
    const before = await listing();
    const cases: [unknown, string][] = [
      [{ slug: 'Bad Slug', name: 'x', system_prompt: 'y' }, 'slug'],
      [{ slug: 'ok', system_prompt: 'y' }, 'name'],
      [{ slug: 'ok', name: 'x', system_prompt: '' }, 'system_prompt'],
      [{ slug: 'ok', name: 'x', system_prompt: 'y', uses_tools: 'yes' }, 'uses_tools'],
      [{ slug: 'ok', name: 'x', system_prompt: 'y', favourite: 'tea' }, 'favourite'],
      [{ slug: 'ok', name: 'x', system_prompt: 'y', default_model: 'gpt-9' }, 'default_model'],
      [{ slug: 'ok', name: 'x', system_prompt: 'y', agent_backend: 'nobody' }, 'agent_backend'],
    ];
    for (const [body, param] of cases) {
      const response = await api.post('/v1/bots', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body).toMatchObject(errorOf('LLMB_ERR_INVALID_REQUEST', param));
    }
    expect((await api.post('/v1/bots', '{not json')).status).toBe(400);
    const badPatch = await api.patch('/v1/bots/mira/profile', { name: 'Changed', uses_search: 3 });
    expect(badPatch.body).toMatchObject(errorOf('LLMB_ERR_INVALID_REQUEST', 'uses_search'));
    const badModel = await api.patch('/v1/bots/mira/profile', { name: 'Changed', default_model: 'gpt-9' });
    expect(badModel).toMatchObject({ status: 400, body: errorOf('LLMB_ERR_INVALID_REQUEST', 'default_model') });
    expect((await api.put('/v1/bots/mira/profile', { name: 'Changed' })).body).toMatchObject(errorOf('LLMB_ERR_INVALID_REQUEST', 'system_prompt'));
    expect(await listing()).toEqual(before);
    expect(host.bots.get('ok')).toBeUndefined();
    expect(host.bots.get('mira')?.name).toBe('Mira');
  });

  it('patches fields and merges settings key by key; the next turn uses the new system prompt', async () => {
    await api.patch('/v1/bots/mira/profile', { settings: { a: 1, b: 2 } });
    const patched = await api.patch('/v1/bots/mira/profile', { system_prompt: 'You are Mira, patched.', description: 'companion', settings: { b: null, c: 3 }, color: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Mira', system_prompt: 'You are Mira, patched.', description: 'companion', settings: { a: 1, c: 3 }, default_model: 'local' });
    expect(patched.body.settings).toEqual({ a: 1, c: 3 });
    expect((await api.chat({ bot_id: 'mira' })).text).toContain('system=You are Mira, patched.');
    const cleared = await api.patch('/v1/bots/mira/profile', { description: null, default_model: null, plugins: { 'echo-agent': { verbose: true } } });
    expect(cleared.body).toMatchObject({ description: null, default_model: null, plugins: { 'echo-agent': { verbose: true } } });
    expect(host.bots.get('mira')?.default_model).toBeUndefined();
  });

  it('replaces a profile with PUT: fields left out go back to their defaults', async () => {
    const replaced = await api.put('/v1/bots/mira/profile', { name: 'Mira 2', system_prompt: 'Replaced.', agent_backend: 'echo', uses_tools: true });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ slug: 'mira', name: 'Mira 2', system_prompt: 'Replaced.', uses_tools: true, requires_memory: true, settings: {}, plugins: {}, description: null });
    expect((await api.chat({ bot_id: 'mira' })).text).toContain('system=Replaced.');
    expect(await api.put('/v1/bots/ghost/profile', { name: 'G', system_prompt: 'G.' })).toMatchObject({ status: 404, body: errorOf('LLMB_ERR_UNKNOWN_BOT', 'slug') });
    expect(await api.patch('/v1/bots/ghost/profile', { name: 'G' })).toMatchObject({ status: 404, body: errorOf('LLMB_ERR_UNKNOWN_BOT', 'slug') });
    expect((await api.get('/v1/bots/ghost')).status).toBe(404);
  });

  it('pages through bots with limit and cursor', async () => {
    const slugs: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { slug: string }[]; next_cursor: string | null } } = await api.get(`/v1/bots?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      slugs.push(...page.body.data.map((bot) => bot.slug));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(slugs).toEqual(['mira', 'nova', 'spark']);
    expect((await api.get('/v1/bots?limit=0')).body).toMatchObject(errorOf('LLMB_ERR_INVALID_REQUEST', 'limit'));
    expect((await api.get('/v1/bots?cursor=nope')).body).toMatchObject(errorOf('LLMB_ERR_INVALID_REQUEST', 'cursor'));
  });

  it('deletes a bot (204): it stops serving at once; refuses the default bot with 409', async () => {
    expect((await api.delete('/v1/bots/mira')).status).toBe(204);
    expect((await api.get('/v1/bots/mira')).status).toBe(404);
    expect(host.bots.get('mira')).toBeUndefined();
    expect(await api.chat({ bot_id: 'mira' })).toMatchObject({ status: 404, body: errorOf('LLMB_ERR_UNKNOWN_BOT', 'bot_id') });
    expect(await api.delete('/v1/bots/mira')).toMatchObject({ status: 404, body: errorOf('LLMB_ERR_UNKNOWN_BOT', 'slug') });

    const refused = await api.delete('/v1/bots/nova');
    expect(refused).toMatchObject({ status: 409, body: errorOf('LLMB_ERR_CONFLICT', 'slug') });
    expect(refused.body.error.message).toContain('default bot');
    expect(host.bots.get('nova')).toBeDefined();
  });

  it('on the next boot, the database wins over a changed bots.yaml', async () => {
    await api.patch('/v1/bots/nova/profile', { system_prompt: 'You are Nova, from the database.' });
    await host.close();
    await boot([
      { slug: 'nova', name: 'Nova', system_prompt: 'You are Nova, from a newer yaml.', agent_backend: 'echo', requires_memory: false },
      { slug: 'sage', name: 'Sage', system_prompt: 'You are Sage.', agent_backend: 'echo', requires_memory: false },
    ]);
    expect((await listing()).map((bot) => bot.slug)).toEqual(['nova', 'sage', 'spark']);
    expect(host.bots.list().map((bot) => bot.slug).sort()).toEqual(['nova', 'sage', 'spark']);
    expect((await api.chat({ bot_id: 'nova' })).text).toContain('system=You are Nova, from the database.');
    expect((await api.chat({ bot_id: 'spark' })).text).toContain('system=You are Spark.');
  });

  it('refuses to delete the last bot', async () => {
    // Rows removed behind the API's back leave the default bot served but not stored.
    await host.get(storeRef).bots.delete('nova');
    await host.get(storeRef).bots.delete('sage');
    const refused = await api.delete('/v1/bots/spark');
    expect(refused).toMatchObject({ status: 409, body: errorOf('LLMB_ERR_CONFLICT', 'slug') });
    expect(refused.body.error.message).toContain('only bot');
    expect(host.bots.get('spark')).toBeDefined();
  });

  it('answers 503 LLMB_ERR_DATABASE when the database fails, with no SQL in the message, and changes nothing', async () => {
    await host.get(storeRef).orm.close(true);
    const failed = await api.patch('/v1/bots/spark/profile', { system_prompt: 'never saved' });
    expect(failed.status).toBe(503);
    expect(failed.body.error).toMatchObject({ code: 'LLMB_ERR_DATABASE', type: 'server_error' });
    expect(failed.body.error.message).toMatch(/the change was not saved/);
    expect(failed.body.error.message).not.toMatch(/select|insert|update|postgres(ql)?:\/\//i);
    expect(host.bots.get('spark')?.system_prompt).toBe('You are Spark.');
    expect((await api.get('/v1/bots')).status).toBe(503);
  });
});
