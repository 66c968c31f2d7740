import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import transportOpenai, { transportOpenaiRef } from '@llm-bawt/plugin-transport-openai';
import type { TestHost } from '@llm-bawt/sdk/testing';
import { backends } from '../../plugins/store-postgres/test/backends.js';
import { freshUser, knowledgeRows, memoryHost, memoryPlugins } from './knowledge-kit.js';

const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

describe.each(backends)('/v1/memory and /v1/profiles on $name', (backend) => {
  let host: TestHost;
  let base: string;
  beforeAll(async () => {
    host = await memoryHost(backend, { slot: 'knowledge-http', plugins: [transportOpenai, ...memoryPlugins], transports: true });
    base = host.get(transportOpenaiRef).url as string;
  });
  afterAll(() => host?.close());

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const response = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  it('stores, lists, searches, updates, supersedes and deletes memories for one bot and user', async () => {
    const user = freshUser();
    const scope = { bot_id: 'nova', user };
    const created = await call('POST', '/v1/memory', { ...scope, content: 'User likes jazz records', tags: ['preference'], importance: 0.7 });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ action: 'added', memory: { object: 'memory', bot_id: 'nova', user_id: user, content: 'User likes jazz records', tags: ['preference'], importance: 0.7, status: 'active', has_embedding: true } });
    const id = created.json.memory.id as string;
    const merged = await call('POST', '/v1/memory', { ...scope, content: 'user likes jazz records!', importance: 0.9 });
    expect(merged.status).toBe(200);
    expect(merged.json).toMatchObject({ action: 'merged', memory: { id, importance: 0.9 } });

    expect((await call('GET', `/v1/memory${q(scope)}`)).json.data.map((m: { id: string }) => m.id)).toEqual([id]);
    const search = await call('GET', `/v1/memory/search${q({ ...scope, q: 'Which records do I like?' })}`);
    expect(search.status).toBe(200);
    expect(search.json.method).toBe('vector');
    expect(search.json.data[0]).toMatchObject({ id, via: 'vector', score: expect.any(Number), similarity: expect.any(Number), decay: expect.closeTo(1, 5), access_boost: 1 });
    expect((await call('GET', `/v1/memory/${id}${q(scope)}`)).json.content).toBe('User likes jazz records');
    expect((await call('GET', `/v1/memory/${id.slice(0, 8)}${q(scope)}`)).json.id).toBe(id);

    const patched = await call('PATCH', `/v1/memory/${id}`, { ...scope, content: 'User loves jazz and blues records' });
    expect(patched.status).toBe(200);
    expect(patched.json.superseded).toMatchObject({ id, status: 'superseded', superseded_by: patched.json.memory.id });
    const second = patched.json.memory.id as string;
    const retagged = await call('PATCH', `/v1/memory/${second}`, { ...scope, tags: ['preference', 'music'], importance: 0.8 });
    expect(retagged.json).toEqual({ memory: expect.objectContaining({ id: second, tags: ['preference', 'music'], importance: 0.8 }) });

    const superseded = await call('POST', `/v1/memory/${second}/supersede`, { ...scope, content: 'User collects vinyl jazz records' });
    expect(superseded.status).toBe(201);
    const third = superseded.json.replacement.id as string;
    expect((await call('POST', `/v1/memory/${second}/supersede`, { ...scope, content: 'again' })).status).toBe(409);
    const chain = await call('GET', `/v1/memory/${third}/chain${q(scope)}`);
    expect(chain.json.data.map((m: { id: string; depth: number; status: string }) => [m.id, m.depth, m.status])).toEqual([
      [id, -2, 'superseded'],
      [second, -1, 'superseded'],
      [third, 0, 'active'],
    ]);

    const deleted = await call('DELETE', `/v1/memory/${third}${q(scope)}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json.memory).toMatchObject({ id: third, status: 'deleted' });
    expect((await call('GET', `/v1/memory${q(scope)}`)).json.data).toEqual([]);
    expect((await call('GET', `/v1/memory${q({ ...scope, include_superseded: 'true' })}`)).json.data).toHaveLength(3);
  });

  it('lists by importance or recency, a page at a time', async () => {
    const scope = { bot_id: 'nova', user: freshUser() };
    for (const [content, importance] of [['User rows boats', 0.3], ['User fixes clocks', 0.9], ['User bakes bread', 0.6]] as const) {
      expect((await call('POST', '/v1/memory', { ...scope, content, importance })).status).toBe(201);
    }
    const contents = async (params: Record<string, string>) => (await call('GET', `/v1/memory${q({ ...scope, ...params })}`)).json.data.map((m: { content: string }) => m.content);
    expect(await contents({})).toEqual(['User fixes clocks', 'User bakes bread', 'User rows boats']);
    expect(await contents({ offset: '1', limit: '1' })).toEqual(['User bakes bread']);
    expect(await contents({ order: 'recent' })).toEqual(['User bakes bread', 'User fixes clocks', 'User rows boats']);
    expect(await contents({ order: 'recent', offset: '2' })).toEqual(['User rows boats']);
  });

  it('consolidates (dry run by default), decays and re-embeds over HTTP', async () => {
    const scope = { bot_id: 'nova', user: freshUser() };
    await call('POST', '/v1/memory', { ...scope, content: 'User likes green tea', tags: ['preference'], importance: 0.6 });
    await call('POST', '/v1/memory', { ...scope, content: 'User likes green tea in the morning', tags: ['preference'], importance: 0.7 });
    const plan = await call('POST', '/v1/memory/consolidate', scope);
    expect(plan.status).toBe(200);
    expect(plan.json).toMatchObject({ dry_run: true, considered: 2, clusters: [{ merged: { content: 'User likes green tea in the morning', importance: 0.7 + 0.05 } }] });
    expect((await call('GET', `/v1/memory${q(scope)}`)).json.data).toHaveLength(2);
    const applied = await call('POST', '/v1/memory/consolidate', { ...scope, dry_run: false });
    expect(applied.json.clusters[0].merged_id).toEqual(expect.any(String));
    expect((await call('GET', `/v1/memory${q(scope)}`)).json.data.map((m: { id: string }) => m.id)).toEqual([applied.json.clusters[0].merged_id]);
    expect((await call('POST', '/v1/memory/decay', scope)).json).toEqual({ dry_run: true, threshold: 0.05, retired: [] });
    expect((await call('POST', '/v1/memory/regenerate-embeddings', { ...scope, all: true })).json).toEqual({ embedder: 'embeddings-local', embedded: 3 });
  });

  it('never shows one bot or user another’s memories', async () => {
    const x = freshUser('x');
    const created = await call('POST', '/v1/memory', { bot_id: 'nova', user: x, content: 'User hides the key under the mat' });
    const id = created.json.memory.id as string;
    for (const scope of [{ bot_id: 'nova', user: freshUser('y') }, { bot_id: 'mira', user: x }]) {
      expect((await call('GET', `/v1/memory${q(scope)}`)).json.data).toEqual([]);
      expect((await call('GET', `/v1/memory/search${q({ ...scope, q: 'Where is the key?' })}`)).json.data).toEqual([]);
      expect((await call('GET', `/v1/memory/${id}${q(scope)}`)).status).toBe(404);
      expect((await call('PATCH', `/v1/memory/${id}`, { ...scope, content: 'hijack' })).status).toBe(404);
      expect((await call('DELETE', `/v1/memory/${id}${q(scope)}`)).status).toBe(404);
      expect((await call('POST', `/v1/memory/${id}/supersede`, { ...scope, content: 'hijack' })).status).toBe(404);
    }
    expect((await call('GET', `/v1/memory/${id}${q({ bot_id: 'nova', user: x })}`)).json.status).toBe('active');
  });

  const memoryId = '6b0f6c4e-2f7a-4d1e-9a57-3f1c2f0a9e11';
  const badMemoryRequests: [string, string, unknown, number, string][] = [
    ['POST', '/v1/memory', { bot_id: 'nova' }, 400, 'content'],
    ['POST', '/v1/memory', { content: 5 }, 400, 'content'],
    ['POST', '/v1/memory', { content: '   ' }, 400, 'content'],
    ['POST', '/v1/memory', { content: 'x'.repeat(2001) }, 400, 'content'],
    ['POST', '/v1/memory', { content: 'User x', importance: 2 }, 400, 'importance'],
    ['POST', '/v1/memory', { content: 'User x', tags: 'fact' }, 400, 'tags'],
    ['POST', '/v1/memory', { content: 'User x', tags: ['no good!'] }, 400, 'tags.0'],
    ['POST', '/v1/memory', { content: 'User x', source_message_ids: ['nope'] }, 400, 'source_message_ids.0'],
    ['POST', '/v1/memory', { content: 'User x', bot_id: 'ghost' }, 404, 'bot_id'],
    ['POST', '/v1/memory', { content: 'User x', bot_id: 'spark' }, 400, 'bot_id'],
    ['POST', '/v1/memory', { content: 'User x', user: '' }, 400, 'user'],
    ['GET', '/v1/memory/search?bot_id=nova', undefined, 400, 'q'],
    ['GET', '/v1/memory/search?q=x&limit=500', undefined, 400, 'limit'],
    ['GET', '/v1/memory?limit=0', undefined, 400, 'limit'],
    ['GET', '/v1/memory?order=random', undefined, 400, 'order'],
    ['GET', '/v1/memory?include_superseded=maybe', undefined, 400, 'include_superseded'],
    ['GET', '/v1/memory?bot_id=spark', undefined, 400, 'bot_id'],
    ['GET', '/v1/memory/not-an-id', undefined, 400, 'id'],
    ['GET', `/v1/memory/${memoryId}`, undefined, 404, 'id'],
    ['PATCH', `/v1/memory/${memoryId}`, { bot_id: 'nova' }, 400, 'content'],
    ['PATCH', `/v1/memory/${memoryId}`, { importance: 'high' }, 400, 'importance'],
    ['PATCH', '/v1/memory/zzz', { content: 'x' }, 400, 'id'],
    ['DELETE', '/v1/memory/zzz', undefined, 400, 'id'],
    ['DELETE', `/v1/memory/${memoryId}`, undefined, 404, 'id'],
    ['POST', `/v1/memory/${memoryId}/supersede`, {}, 400, 'content'],
    ['POST', `/v1/memory/${memoryId}/supersede`, { content: 'a', memory_id: memoryId }, 400, 'memory_id'],
    ['POST', `/v1/memory/${memoryId}/supersede`, { memory_id: 'nope' }, 400, 'memory_id'],
    ['POST', '/v1/memory/consolidate', { dry_run: 'yes' }, 400, 'dry_run'],
    ['POST', '/v1/memory/decay', { threshold: -1 }, 400, 'threshold'],
    ['POST', '/v1/memory/regenerate-embeddings', { all: 1 }, 400, 'all'],
  ];

  it.each(badMemoryRequests)('%s %s %j -> %i naming %s, nothing written', async (method, path, body, status, param) => {
    const before = await knowledgeRows(host);
    const answer = await call(method, path, body);
    expect(answer.status).toBe(status);
    expect(answer.json.error.param).toBe(param);
    expect(await knowledgeRows(host)).toEqual(before);
  });

  it('rejects a body that is not JSON without writing', async () => {
    const before = await knowledgeRows(host);
    expect((await call('POST', '/v1/memory', '{"content": ')).status).toBe(400);
    expect((await call('PUT', '/v1/profiles/user/alice', 'nope')).status).toBe(400);
    expect(await knowledgeRows(host)).toEqual(before);
  });

  it('keeps user profiles per bot and bot traits per bot', async () => {
    const alice = freshUser('alice');
    const put = await call('PUT', `/v1/profiles/user/${alice}${q({ bot_id: 'nova' })}`, { category: 'preference', key: 'Favourite Food', value: 'ramen' });
    expect(put.status).toBe(201);
    expect(put.json).toMatchObject({ category: 'preference', key: 'favourite_food', value: 'ramen', confidence: 1, source: 'explicit', changed: true });
    const replaced = await call('PUT', `/v1/profiles/user/${alice}${q({ bot_id: 'nova' })}`, { category: 'preference', key: 'favourite_food', value: ['ramen', 'pho'], confidence: 0.9 });
    expect(replaced.status).toBe(200);
    const got = await call('GET', `/v1/profiles/user/${alice}${q({ bot_id: 'nova' })}`);
    expect(got.json).toMatchObject({ object: 'profile', entity_type: 'user', entity_id: alice, bot_id: 'nova', attributes: [{ key: 'favourite_food', value: ['ramen', 'pho'], confidence: 0.9 }] });
    expect((await call('GET', `/v1/profiles/user/${alice}${q({ bot_id: 'mira' })}`)).json.attributes).toEqual([]);
    expect((await call('GET', `/v1/profiles/user/${freshUser('bob')}${q({ bot_id: 'nova' })}`)).json.attributes).toEqual([]);

    expect((await call('PUT', '/v1/profiles/bot/nova', { category: 'personality', key: 'humor', value: 'dry' })).status).toBe(201);
    expect((await call('GET', '/v1/profiles/bot/nova')).json.attributes.map((a: { key: string }) => a.key)).toContain('humor');
    expect((await call('GET', '/v1/profiles/bot/mira')).json.attributes).toEqual([]);

    expect((await call('DELETE', `/v1/profiles/user/${alice}${q({ bot_id: 'nova', category: 'preference', key: 'favourite_food' })}`)).status).toBe(204);
    expect((await call('DELETE', `/v1/profiles/user/${alice}${q({ bot_id: 'nova', category: 'preference', key: 'favourite_food' })}`)).status).toBe(404);
    expect((await call('DELETE', '/v1/profiles/bot/nova?category=personality&key=humor')).status).toBe(204);
  });

  const attribute = { category: 'fact', key: 'name', value: 'Ada' };
  const badProfileRequests: [string, string, unknown, number, string][] = [
    ['PUT', '/v1/profiles/robot/x', attribute, 400, 'entity_type'],
    ['GET', '/v1/profiles/robot/x', undefined, 400, 'entity_type'],
    ['PUT', '/v1/profiles/user/a%20b', attribute, 400, 'entity_id'],
    ['PUT', `/v1/profiles/user/${'u'.repeat(201)}`, attribute, 400, 'entity_id'],
    ['PUT', '/v1/profiles/user/alice', { ...attribute, category: 'hobby' }, 400, 'category'],
    ['PUT', '/v1/profiles/user/alice', { category: 'fact', value: 'Ada' }, 400, 'key'],
    ['PUT', '/v1/profiles/user/alice', { ...attribute, key: '!!!' }, 400, 'key'],
    ['PUT', '/v1/profiles/user/alice', { ...attribute, value: null }, 400, 'value'],
    ['PUT', '/v1/profiles/user/alice', { ...attribute, value: 'x'.repeat(5000) }, 400, 'value'],
    ['PUT', '/v1/profiles/user/alice', { ...attribute, confidence: 2 }, 400, 'confidence'],
    ['PUT', '/v1/profiles/user/alice', { ...attribute, source: 'guess' }, 400, 'source'],
    ['PUT', '/v1/profiles/user/alice?bot_id=ghost', attribute, 404, 'bot_id'],
    ['PUT', '/v1/profiles/user/alice?bot_id=spark', attribute, 400, 'bot_id'],
    ['PUT', '/v1/profiles/bot/nova?bot_id=mira', attribute, 400, 'bot_id'],
    ['PUT', '/v1/profiles/bot/ghost', attribute, 404, 'entity_id'],
    ['PUT', '/v1/profiles/bot/spark', attribute, 400, 'entity_id'],
    ['DELETE', '/v1/profiles/user/alice?category=fact', undefined, 400, 'key'],
    ['DELETE', '/v1/profiles/user/alice?key=name', undefined, 400, 'category'],
    ['DELETE', '/v1/profiles/user/alice?category=fact&key=name', undefined, 404, 'key'],
    ['GET', '/v1/profiles/user/alice?category=nope', undefined, 400, 'category'],
  ];

  it.each(badProfileRequests)('%s %s %j -> %i naming %s, nothing written', async (method, path, body, status, param) => {
    const before = await knowledgeRows(host);
    const answer = await call(method, path, body);
    expect(answer.status).toBe(status);
    expect(answer.json.error.param).toBe(param);
    expect(await knowledgeRows(host)).toEqual(before);
  });
});
