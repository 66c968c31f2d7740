import { coreRefs, isLlmbError, type LlmbError } from '@llm-bawt/sdk';
import type { TestHost } from '@llm-bawt/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeRef, type Store } from '../src/index.js';
import { backends, bootHost } from './backends.js';

async function rejection(promise: Promise<unknown>): Promise<LlmbError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isLlmbError(error)) throw new Error(`expected a coded error, got ${String(error)}`);
  return error;
}

const yamlV1 = [
  { slug: 'nova', name: 'Nova', system_prompt: 'You are Nova.', requires_memory: true, uses_tools: true, settings: { history_tokens: 8000 } },
  { slug: 'spark', name: 'Spark', system_prompt: 'You are Spark.', requires_memory: false },
];

describe.each(backends)('shared tables on $name', (backend) => {
  let host: TestHost;
  let store: Store;
  beforeAll(async () => {
    host = await bootHost(backend, { bots: yamlV1 });
    store = host.get(storeRef);
  });
  afterAll(async () => {
    await host?.close();
    await backend.cleanup();
  });

  it('seeds the bots of bots.yaml on first boot', async () => {
    const bots = await store.bots.list();
    expect(bots.map((bot) => bot.slug)).toEqual(['nova', 'spark']);
    expect(bots[0]).toMatchObject({ name: 'Nova', requires_memory: true, uses_tools: true, uses_search: false, settings: { history_tokens: 8000 } });
    expect(bots[1]).toMatchObject({ name: 'Spark', requires_memory: false });
    expect(bots[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('refuses a duplicate slug with LLMB_ERR_CONFLICT (409) and keeps the first bot', async () => {
    const error = await rejection(store.bots.create({ slug: 'nova', name: 'Other', system_prompt: 'x' }));
    expect(error.code).toBe('LLMB_ERR_CONFLICT');
    expect(error.status).toBe(409);
    expect((await store.bots.get('nova'))?.name).toBe('Nova');
  });

  it('creates, replaces, patches and deletes bots', async () => {
    const created = await store.bots.create({ slug: 'mira', name: 'Mira', system_prompt: 'You are Mira.', voice_optimized: true, settings: { a: 1, b: 2 } });
    expect(created).toMatchObject({ slug: 'mira', requires_memory: true, voice_optimized: true, settings: { a: 1, b: 2 } });

    const replaced = await store.bots.update('mira', { name: 'Mira 2', system_prompt: 'New prompt', description: 'companion' });
    expect(replaced).toMatchObject({ name: 'Mira 2', system_prompt: 'New prompt', description: 'companion', voice_optimized: false, settings: {} });

    await store.bots.patch('mira', { settings: { a: 1, b: 2 } });
    const patched = await store.bots.patch('mira', { name: 'Mira 3', description: null, settings: { b: null, c: 3 } });
    expect(patched.name).toBe('Mira 3');
    expect(patched.description).toBeUndefined();
    expect(patched.settings).toEqual({ a: 1, c: 3 });
    expect(patched.system_prompt).toBe('New prompt');
    expect(patched.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    expect((await rejection(store.bots.patch('ghost', { name: 'x' }))).code).toBe('LLMB_ERR_NOT_FOUND');
    expect((await rejection(store.bots.update('ghost', { name: 'x', system_prompt: 'y' }))).code).toBe('LLMB_ERR_NOT_FOUND');
    expect(await store.bots.delete('mira')).toBe(true);
    expect(await store.bots.delete('mira')).toBe(false);
    expect(await store.bots.get('mira')).toBeUndefined();
  });

  it('stores model definitions that override models.yaml aliases', async () => {
    await store.models.upsert({ alias: 'local', provider: 'openai-compatible', model: 'qwen', base_url: 'http://127.0.0.1:8080/v1', context_window: 32768 });
    await store.models.upsert({ alias: 'local', provider: 'openai-compatible', model: 'qwen-2', tool_support: 'react', pricing: { input_per_mtok: 0.1 } });
    await store.models.upsert({ alias: 'gpt', provider: 'openai', model: 'gpt-4o', api_key_env: 'OPENAI_API_KEY', fallbacks: ['local'] });
    expect(await store.models.list()).toEqual([
      { alias: 'gpt', provider: 'openai', model: 'gpt-4o', api_key_env: 'OPENAI_API_KEY', fallbacks: ['local'] },
      { alias: 'local', provider: 'openai-compatible', model: 'qwen-2', tool_support: 'react', pricing: { input_per_mtok: 0.1 } },
    ]);
    expect(await store.models.delete('gpt')).toBe(true);
    expect(await store.models.get('gpt')).toBeUndefined();
  });

  it('resolves runtime settings bot row, then global row', async () => {
    await store.settings.set({ type: 'global' }, 'history_tokens', 12000);
    await store.settings.set({ type: 'global' }, 'turn_log', 'metadata');
    await store.settings.set({ type: 'bot', id: 'nova' }, 'turn_log', 'full');
    await store.settings.set({ type: 'bot', id: 'nova' }, 'summarization_job', { session_gap_seconds: 60 });
    await store.settings.set({ type: 'bot', id: 'nova' }, 'summarization_job', { session_gap_seconds: 120 });
    expect(await store.settings.resolve('nova', 'turn_log')).toBe('full');
    expect(await store.settings.resolve('spark', 'turn_log')).toBe('metadata');
    expect(await store.settings.resolve('nova', 'history_tokens')).toBe(12000);
    expect(await store.settings.resolve('nova', 'missing')).toBeUndefined();
    expect(await store.settings.get({ type: 'bot', id: 'nova' }, 'summarization_job')).toEqual({ session_gap_seconds: 120 });
    expect((await store.settings.list({ type: 'bot', id: 'nova' })).map((s) => s.key)).toEqual(['summarization_job', 'turn_log']);
    expect(await store.settings.delete({ type: 'global' }, 'turn_log')).toBe(true);
    expect(await store.settings.resolve('spark', 'turn_log')).toBeUndefined();
  });

  it('serves runtime settings to turns through coreRefs.settings, updated by every repository write', async () => {
    const source = host.get(coreRefs.settings);
    expect(source).toBe(store.settingsSource);
    expect(source.get({ type: 'bot', id: 'nova' }, 'turn_log')).toBe('full');
    await store.settings.set({ type: 'bot', id: 'nova' }, 'memory_n_results', 6);
    expect(source.get({ type: 'bot', id: 'nova' }, 'memory_n_results')).toBe(6);
    expect(source.get({ type: 'global' }, 'memory_n_results')).toBeUndefined();
    await store.settings.set({ type: 'global' }, 'memory_n_results', 9);
    expect(source.get({ type: 'global' }, 'memory_n_results')).toBe(9);
    await store.settings.delete({ type: 'bot', id: 'nova' }, 'memory_n_results');
    expect(source.get({ type: 'bot', id: 'nova' }, 'memory_n_results')).toBeUndefined();
    await store.settings.delete({ type: 'global' }, 'memory_n_results');
    expect(source.get({ type: 'global' }, 'memory_n_results')).toBeUndefined();
  });

  it('resolves prompt templates bot scope, then global scope', async () => {
    await store.prompts.set({ name: 'chat.response_style.tldr', scope: { type: 'global' }, body: 'Be brief.', category: 'style' });
    await store.prompts.set({ name: 'chat.response_style.tldr', scope: { type: 'bot', id: 'nova' }, body: 'Very brief, {user}.', category: 'style', title: 'TL;DR' });
    expect((await store.prompts.resolve('chat.response_style.tldr', 'nova'))?.body).toBe('Very brief, {user}.');
    expect((await store.prompts.resolve('chat.response_style.tldr', 'spark'))?.body).toBe('Be brief.');
    expect(await store.prompts.resolve('unknown', 'nova')).toBeUndefined();
    expect(await store.prompts.list({ category: 'style' })).toHaveLength(2);
  });

  it('keeps everything across a restart, and the database wins over a changed bots.yaml', async () => {
    await host.close();
    const yamlV2 = [
      { slug: 'nova', name: 'Nova from a newer yaml', system_prompt: 'Changed.', requires_memory: false },
      { slug: 'sage', name: 'Sage', system_prompt: 'You are Sage.' },
    ];
    host = await bootHost(backend, { bots: yamlV2 });
    store = host.get(storeRef);
    const bots = await store.bots.list();
    expect(bots.map((bot) => bot.slug)).toEqual(['nova', 'sage', 'spark']);
    expect(bots[0]).toMatchObject({ name: 'Nova', system_prompt: 'You are Nova.', requires_memory: true });
    expect(await store.settings.resolve('nova', 'turn_log')).toBe('full');
    expect((await store.models.get('local'))?.model).toBe('qwen-2');
    expect((await store.prompts.get('chat.response_style.tldr', { type: 'global' }))?.body).toBe('Be brief.');
  });
});
