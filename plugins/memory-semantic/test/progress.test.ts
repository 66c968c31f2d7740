import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import embeddingsLocal from '@llm-bawt/plugin-embeddings-local';
import memoryProfile from '@llm-bawt/plugin-memory-profile';
import { storePostgresPlugin, storeRef } from '@llm-bawt/plugin-store-postgres';
import transportOpenai, { transportOpenaiRef } from '@llm-bawt/plugin-transport-openai';
import { createTestHost, type TestHost } from '@llm-bawt/sdk/testing';
import { backends } from '../../store-postgres/test/backends.js';
import memorySemantic, { createSemanticService } from '../src/index.js';

const progressOf = (data: any[]) => data.filter((d) => d?.object === 'progress');

// The CLI runs consolidation and re-embedding with `Accept: text/event-stream` to show progress.
describe.each(backends)('memory maintenance progress over HTTP on $name', (backend) => {
  let host: TestHost;
  let base: string;
  beforeAll(async () => {
    host = await createTestHost({
      plugins: [storePostgresPlugin, embeddingsLocal, memoryProfile, memorySemantic, transportOpenai],
      bots: [{ slug: 'nova', requires_memory: true }],
      pluginConfig: { 'store-postgres': await backend.config('memory-progress') },
      env: {},
      transports: true,
      listen: { port: 0 },
    });
    base = host.get(transportOpenaiRef).url as string;
  });
  afterAll(async () => {
    await host?.close();
    await backend.cleanup();
  });

  /** POSTs as a progress-showing client does, and returns the `data:` payloads it reads. */
  async function withProgress(path: string, body: unknown): Promise<any[]> {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const frames = (await response.text()).split('\n\n').filter((frame) => frame.startsWith('data: '));
    return frames.map((frame) => (frame === 'data: [DONE]' ? '[DONE]' : JSON.parse(frame.slice(6))));
  }
  it('reports re-embedding as memories embedded of those that need it', async () => {
    const scope = { botId: 'nova', userId: 'embed-user' };
    // Stored without an embedder, as when the embedder was down: no vectors yet.
    const plain = createSemanticService({ store: host.get(storeRef) });
    for (let i = 1; i <= 150; i++) await plain.store(scope, { content: `User fact number ${i}: likes the colour ${i * 7}` });

    const data = await withProgress('/v1/memory/regenerate-embeddings', { bot_id: 'nova', user: 'embed-user' });
    const progress = progressOf(data);
    expect(progress[0]).toEqual({ object: 'progress', done: 0, total: 150, message: '150 memories to embed' });
    expect(progress.at(-1)).toEqual({ object: 'progress', done: 150, total: 150, message: 'embedded 150 of 150 memories' });
    const dones = progress.map((p) => p.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    expect(data.slice(-2)).toEqual([{ object: 'result', status: 200, body: { embedder: 'embeddings-local', embedded: 150 } }, '[DONE]']);

    // Nothing left: the total is zero, and `all` re-embeds every one.
    expect(progressOf(await withProgress('/v1/memory/regenerate-embeddings', { bot_id: 'nova', user: 'embed-user' })).at(-1)).toMatchObject({ done: 0, total: 0 });
    const all = await withProgress('/v1/memory/regenerate-embeddings', { bot_id: 'nova', user: 'embed-user', all: true });
    expect(progressOf(all).at(-1)).toMatchObject({ done: 150, total: 150 });
    expect(all.at(-2)).toMatchObject({ object: 'result', body: { embedded: 150 } });
  });

  it('reports consolidation as memories considered, then clusters merged', async () => {
    const scope = { bot_id: 'nova', user: 'consolidate-user' };
    for (const [content, importance] of [['User likes green tea', 0.6], ['User likes green tea in the morning', 0.7], ['User rows boats on the lake', 0.5], ['User fixes old clocks', 0.4]] as const) {
      const stored = await fetch(`${base}/v1/memory`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...scope, content, importance, tags: ['preference'] }) });
      expect(stored.status).toBe(201);
    }

    const plan = await withProgress('/v1/memory/consolidate', scope);
    expect(progressOf(plan)[0]).toEqual({ object: 'progress', done: 0, total: 4, message: 'planning: 4 memories to consider' });
    expect(progressOf(plan).at(-1)).toEqual({ object: 'progress', done: 4, total: 4, message: 'planning: 4 of 4 memories considered (clusters so far: 1)' });
    expect(plan.slice(-2)).toEqual([
      { object: 'result', status: 200, body: expect.objectContaining({ dry_run: true, considered: 4, clusters: [expect.objectContaining({ merged: expect.objectContaining({ content: 'User likes green tea in the morning' }) })] }) },
      '[DONE]',
    ]);

    const applied = await withProgress('/v1/memory/consolidate', { ...scope, dry_run: false });
    expect(progressOf(applied).at(-1)).toEqual({ object: 'progress', done: 1, total: 1, message: 'merging: 1 of 1 clusters merged' });
    const result = applied.at(-2);
    expect(result).toMatchObject({ object: 'result', status: 200, body: { dry_run: false, considered: 4, clusters: [{ merged_id: expect.any(String) }] } });
    // The same route without the header answers the plain JSON report.
    const again = await fetch(`${base}/v1/memory/consolidate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(scope) });
    expect(await again.json()).toEqual({ dry_run: true, considered: 3, clusters: [] });
  });
});
