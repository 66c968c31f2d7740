import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aborted, boot, gate, jsonOf, post, type Booted } from './helpers.js';

describe('GET /v1/models', () => {
  let t: Booted;
  beforeAll(async () => {
    t = await boot();
  });
  afterAll(() => t.host.close());

  it('lists usable aliases and agent bots in OpenAI list shape', async () => {
    const res = await fetch(`${t.url}/v1/models`);
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('x-llm-bawt-overhead-ms'))).toBeGreaterThanOrEqual(0);
    const body = await jsonOf(res);
    expect(body.object).toBe('list');
    expect(body.data.map((m: { id: string }) => m.id)).toEqual(['m', 'helper']);
    expect(body.data[0]).toEqual({
      id: 'm',
      object: 'model',
      created: expect.any(Number),
      owned_by: 'llm-bawt',
      type: 'fake',
      model_id: 'fake-1',
      pricing: { input: 1, output: 2 },
    });
    expect(body.data[1]).toMatchObject({ id: 'helper', object: 'model', owned_by: 'llm-bawt-agent', type: 'agent_backend', description: 'A scripted agent' });
  });

  it('works with the openai client, including retrieve', async () => {
    const ids = [];
    for await (const model of t.client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['m', 'helper']);
    expect((await t.client.models.retrieve('helper')).owned_by).toBe('llm-bawt-agent');
    await expect(t.client.models.retrieve('locked')).rejects.toMatchObject({ status: 404 });
  });
});

describe('probes', () => {
  it('/health is always 200; /ready follows the host state', async () => {
    const t = await boot();
    expect(await jsonOf(await fetch(`${t.url}/health`))).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await jsonOf(ready)).toEqual({ status: 'ready' });

    // Hold one turn open, start shutting down: the host drains while it finishes.
    const release = gate();
    const started = gate();
    t.scripted.set(async function* ({ signal }) {
      started.open();
      await Promise.race([release.opened, aborted(signal)]);
      yield { type: 'text', text: 'finished while draining' };
    });
    const pending = post(`${t.url}/v1/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
    await started.opened;
    const closing = t.host.close();

    const draining = await fetch(`${t.url}/ready`);
    expect(draining.status).toBe(503);
    const body = await jsonOf(draining);
    expect(body.status).toBe('draining');
    expect(body.error).toMatchObject({ code: 'LLMB_ERR_NOT_READY' });
    expect((await fetch(`${t.url}/health`)).status).toBe(200);

    const refused = await post(`${t.url}/v1/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe('LLMB_ERR_NOT_READY');

    release.open();
    const answered = await pending;
    expect(answered.status).toBe(200);
    expect(answered.json.choices[0].message.content).toBe('finished while draining');
    await closing;
    await expect(fetch(`${t.url}/health`)).rejects.toThrow();
  });
});

describe('x-llm-bawt-overhead-ms', () => {
  it('leaves the time spent waiting for the turn out', async () => {
    const t = await boot();
    try {
      t.scripted.set(async function* () {
        await new Promise((resolve) => setTimeout(resolve, 300));
        yield { type: 'text', text: 'slow' };
      });
      const started = performance.now();
      const res = await post(`${t.url}/v1/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
      const elapsed = performance.now() - started;
      expect(res.status).toBe(200);
      // The turn waited 300 ms for its "upstream"; the header counts only the rest.
      expect(Number(res.headers.get('x-llm-bawt-overhead-ms'))).toBeLessThan(elapsed - 250);
    } finally {
      await t.host.close();
    }
  });
});
