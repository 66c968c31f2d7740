import providerOpenai from '@llm-bawt/plugin-provider-openai';
import transportOpenai from '@llm-bawt/plugin-transport-openai';
import { createScriptedUpstream, type ScriptedUpstream, type TestHost } from '@llm-bawt/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, bootHost } from './backends.js';
import { apiOf, echoAgentPlugin, errorOf } from './http.js';

const bots = [
  { slug: 'nova', agent_backend: 'echo' },
  { slug: 'spark', agent_backend: 'echo' },
  { slug: 'mira', agent_backend: 'echo', settings: { greeting: 'from bots.yaml' } },
  // No agent backend: its turns go to the model the request names.
  { slug: 'plain' },
];
const fileModels = [{ alias: 'local', provider: 'openai-compatible', model: 'from-file', base_url: 'http://127.0.0.1:9/v1' }];

describe.each(backends)('settings and model definition routes on $name', (backend) => {
  let host: TestHost;
  let api: ReturnType<typeof apiOf>;
  let upstream: ScriptedUpstream;
  const boot = async () => {
    host = await bootHost(backend, { slot: 'settings', bots, models: fileModels, plugins: [echoAgentPlugin, providerOpenai, transportOpenai], transports: true });
    api = apiOf(host);
  };
  const greeting = async (bot: string) => /greeting=([^;]*);/.exec((await api.chat({ bot_id: bot })).text ?? '')?.[1];
  const settings = async (query = '') => (await api.get(`/v1/settings${query}`)).body.data as Record<string, unknown>[];
  const definitions = async () => (await api.get('/v1/model-definitions')).body.data as Record<string, unknown>[];
  const listedModels = async () => (await api.get('/v1/models')).body.data as { id: string; model_id: string }[];

  beforeAll(async () => {
    upstream = await createScriptedUpstream();
    await boot();
  });
  afterAll(async () => {
    await host?.close();
    await upstream?.close();
    await backend.cleanup();
  });

  it('runtime settings reach the next turn: bot row, then the bot own settings, then the global row', async () => {
    expect(await greeting('nova')).toBe('none');
    const global = await api.put('/v1/settings/greeting', { value: 'hello' });
    expect(global.status).toBe(200);
    expect(global.body).toEqual({ object: 'setting', scope: 'global', bot_id: null, key: 'greeting', value: 'hello', updated_at: expect.any(String) });
    const forNova = await api.put('/v1/settings/greeting', { value: 'hey nova', bot_id: 'nova' });
    expect(forNova.body).toMatchObject({ scope: 'bot', bot_id: 'nova', value: 'hey nova' });
    expect(await greeting('nova')).toBe('hey nova');
    expect(await greeting('spark')).toBe('hello');
    expect(await greeting('mira')).toBe('from bots.yaml');
    await api.put('/v1/settings/greeting', { value: 'hi mira', scope: 'bot', bot_id: 'mira' });
    expect(await greeting('mira')).toBe('hi mira');
  });

  it('lists settings by scope and pages through them', async () => {
    await api.put('/v1/settings/turn_log', { value: 'off', scope: 'global' });
    expect((await settings('?scope=global')).map((s) => s.key)).toEqual(['greeting', 'turn_log']);
    expect(await settings('?bot_id=nova')).toEqual([expect.objectContaining({ scope: 'bot', bot_id: 'nova', key: 'greeting', value: 'hey nova' })]);
    expect((await settings('?scope=bot')).map((s) => s.bot_id)).toEqual(['mira', 'nova']);
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { scope: string; bot_id: string | null; key: string }[]; next_cursor: string | null } } = await api.get(`/v1/settings?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.data).toHaveLength(1);
      all.push(...page.body.data.map((s) => `${s.scope}/${s.bot_id ?? '*'}/${s.key}`));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(all).toEqual(['bot/mira/greeting', 'bot/nova/greeting', 'global/*/greeting', 'global/*/turn_log']);
  });

  it('deletes a setting (204) so the next source answers again; 404 when there is none', async () => {
    expect((await api.delete('/v1/settings/greeting?bot_id=nova')).status).toBe(204);
    expect(await greeting('nova')).toBe('hello');
    expect(await api.delete('/v1/settings/greeting?bot_id=nova')).toMatchObject({ status: 404, body: errorOf('LLMB_ERR_NOT_FOUND', 'key') });
    expect((await api.delete('/v1/settings/greeting?scope=global')).status).toBe(204);
    expect(await greeting('spark')).toBe('none');
  });

  it('answers bad settings input with a 4xx naming the field, and writes nothing', async () => {
    const before = await settings();
    const cases: [string, unknown, number, string, string][] = [
      ['greeting', { value: null }, 400, 'LLMB_ERR_INVALID_REQUEST', 'value'],
      ['greeting', {}, 400, 'LLMB_ERR_INVALID_REQUEST', 'value'],
      ['turn_log', { value: 'verbose' }, 400, 'LLMB_ERR_INVALID_REQUEST', 'value'],
      ['greeting', { value: 'x', bot_id: 'ghost' }, 404, 'LLMB_ERR_UNKNOWN_BOT', 'bot_id'],
      ['greeting', { value: 'x', scope: 'global', bot_id: 'nova' }, 400, 'LLMB_ERR_INVALID_REQUEST', 'bot_id'],
      ['greeting', { value: 'x', scope: 'bot' }, 400, 'LLMB_ERR_INVALID_REQUEST', 'bot_id'],
      ['greeting', { value: 'x', scope: 'team' }, 400, 'LLMB_ERR_INVALID_REQUEST', 'scope'],
      ['9lives', { value: 'x' }, 400, 'LLMB_ERR_INVALID_REQUEST', 'key'],
    ];
    for (const [key, body, status, code, param] of cases) {
      const response = await api.put(`/v1/settings/${key}`, body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.body).toMatchObject(errorOf(code, param));
    }
    expect((await api.get('/v1/settings?scope=everywhere')).body).toMatchObject(errorOf('LLMB_ERR_INVALID_REQUEST', 'scope'));
    expect(await settings()).toEqual(before);
    expect(await greeting('spark')).toBe('none');
  });

  it('a model definition PUT is usable at once: listed by /v1/models and answering chat turns', async () => {
    upstream.setDefault({ text: 'from the upstream' });
    const created = await api.put('/v1/model-definitions/remote', { provider: 'openai-compatible', model: 'qwen', base_url: upstream.openaiBaseUrl, context_window: 32768 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: 'model_definition', alias: 'remote', provider: 'openai-compatible', model: 'qwen', context_window: 32768, fallbacks: null, usable: true });
    expect(await listedModels()).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'remote', model_id: 'qwen' })]));
    const turn = await api.chat({ model: 'remote', bot_id: 'plain' });
    expect(turn.text).toBe('from the upstream');
    expect(upstream.requests.at(-1)?.body).toMatchObject({ model: 'qwen' });

    const replaced = await api.put('/v1/model-definitions/remote', { provider: 'openai-compatible', model: 'qwen-2', base_url: upstream.openaiBaseUrl });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ model: 'qwen-2', context_window: null });
    expect((await api.get('/v1/model-definitions/remote')).body).toMatchObject({ model: 'qwen-2' });
    expect((await definitions()).map((d) => d.alias)).toEqual(['remote']);
  });

  it('a row overrides a models.yaml alias; deleting it brings the file definition back', async () => {
    await api.put('/v1/model-definitions/local', { provider: 'openai-compatible', model: 'from-db', base_url: 'http://127.0.0.1:9/v1' });
    expect((await listedModels()).find((m) => m.id === 'local')?.model_id).toBe('from-db');
    expect((await api.delete('/v1/model-definitions/local')).status).toBe(204);
    expect((await listedModels()).find((m) => m.id === 'local')?.model_id).toBe('from-file');
    expect(await api.delete('/v1/model-definitions/local')).toMatchObject({ status: 404, body: errorOf('LLMB_ERR_NOT_FOUND', 'alias') });
  });

  it('refuses to delete an alias a bot still uses; deletes it (204) once free', async () => {
    expect((await api.patch('/v1/bots/nova/profile', { default_model: 'remote' })).status).toBe(200);
    const refused = await api.delete('/v1/model-definitions/remote');
    expect(refused).toMatchObject({ status: 409, body: errorOf('LLMB_ERR_CONFLICT', 'alias') });
    expect(refused.body.error.message).toContain("bot 'nova'");
    await api.patch('/v1/bots/nova/profile', { default_model: null });
    expect((await api.delete('/v1/model-definitions/remote')).status).toBe(204);
    expect((await listedModels()).map((m) => m.id)).not.toContain('remote');
    expect(await api.chat({ model: 'remote', bot_id: 'plain' })).toMatchObject({ status: 404, body: errorOf('LLMB_ERR_UNKNOWN_MODEL', 'model') });
  });

  it('answers bad model definitions with a 400 naming the field, and writes nothing', async () => {
    const before = await definitions();
    const cases: [string, unknown, string][] = [
      ['x', { provider: 'openai-compatible' }, 'model'],
      ['x', { provider: 'openai-compatible', model: 'm', context_window: -1 }, 'context_window'],
      ['x', { provider: 'openai-compatible', model: 'm', base_url: 'not a url' }, 'base_url'],
      ['x', { provider: 'openai-compatible', model: 'm', tool_support: 'sometimes' }, 'tool_support'],
      ['x', { provider: 'openai-compatible', model: 'm', fallbacks: ['nowhere'] }, 'fallbacks'],
      ['x', { provider: 'openai-compatible', model: 'm', api_key: 'sk-inline' }, 'api_key'],
      ['-bad', { provider: 'openai-compatible', model: 'm' }, 'alias'],
    ];
    for (const [alias, body, param] of cases) {
      const response = await api.put(`/v1/model-definitions/${alias}`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body).toMatchObject(errorOf('LLMB_ERR_INVALID_REQUEST', param));
    }
    expect(await definitions()).toEqual(before);
    expect((await listedModels()).map((m) => m.id)).not.toContain('x');
  });

  it('keeps settings and model definitions across a restart', async () => {
    await api.put('/v1/settings/greeting', { value: 'persisted', bot_id: 'spark' });
    await api.put('/v1/model-definitions/kept', { provider: 'openai-compatible', model: 'k', base_url: upstream.openaiBaseUrl });
    await host.close();
    await boot();
    expect(await greeting('spark')).toBe('persisted');
    expect((await listedModels()).find((m) => m.id === 'kept')?.model_id).toBe('k');
  });
});
