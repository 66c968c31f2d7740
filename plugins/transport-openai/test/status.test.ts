import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRef, definePlugin, defineStatusCheck } from '@llm-bawt/sdk';
import { createTestHost } from '@llm-bawt/sdk/testing';
import transportOpenai, { transportOpenaiRef } from '../src/index.js';
import { aborted, BOTS, boot, gate, jsonOf, MODELS, scriptedPlugin, type Booted } from './helpers.js';

const cacheRef = createRef<{ entries: number }>({ id: 'cache.state' });

/** A plugin whose check reads its own state through `get`, as a real one reads its client. */
const cachePlugin = definePlugin({
  id: 'cache',
  version: '2.3.4',
  sdk: '^0.1.0',
  provides: [cacheRef],
  contributes: {
    status: [
      defineStatusCheck({
        id: 'cache',
        check: async (ctx) => ({ state: 'ok', summary: `${ctx.get(cacheRef).entries} entries`, details: { entries: ctx.get(cacheRef).entries, host_ready: ctx.host.state === 'ready' } }),
      }),
    ],
  },
  setup: (ctx) => ctx.provide(cacheRef, () => ({ entries: 42 })),
});

describe('GET /v1/status', () => {
  let t: Booted;
  beforeAll(async () => {
    t = await boot({ plugins: [cachePlugin] });
  });
  afterAll(() => t.host.close());

  it('reports plugins with versions, bots, models with why they cannot answer, and each check', async () => {
    const res = await fetch(`${t.url}/v1/status`);
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body).toEqual({
      object: 'status',
      state: 'ok',
      version: null,
      uptime_s: expect.any(Number),
      plugins: expect.any(Array),
      bots: { count: 2, default: 'test' },
      models: [
        { alias: 'm', provider: 'fake', usable: true },
        { alias: 'locked', provider: 'fake', usable: false, reason: 'FAKE_KEY is not set' },
        { alias: 'orphan', provider: 'nowhere', usable: false, reason: "no loaded plugin serves provider 'nowhere'" },
      ],
      checks: [{ id: 'cache', plugin: 'cache', state: 'ok', summary: '42 entries', details: { entries: 42, host_ready: true }, duration_ms: expect.any(Number) }],
    });
    expect(body.plugins.map((p: { id: string; version: string }) => `${p.id}@${p.version}`)).toEqual(['cache@2.3.4', 'scripted-test@0.1.0', 'transport-openai@0.1.0']);
    expect(body.plugins[0]).toEqual({ id: 'cache', version: '2.3.4', source: '(inline)', setup_ms: expect.any(Number) });
  });

  it('answers 405 with Allow for other methods', async () => {
    const res = await fetch(`${t.url}/v1/status`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });
});

describe('checks that fail', () => {
  it('a check past its time is down with the timeout, a throwing one down with its message; the others stay ok', async () => {
    let slowSignal: AbortSignal | undefined;
    const arrived = { left: gate(), right: gate() };
    const meet = async (side: 'left' | 'right') => {
      arrived[side].open();
      await arrived[side === 'left' ? 'right' : 'left'].opened;
      return { state: 'ok' as const, summary: `${side} met its partner` };
    };
    const checks = definePlugin({
      id: 'checks',
      version: '0.1.0',
      sdk: '^0.1.0',
      contributes: {
        status: [
          defineStatusCheck({ id: 'fine', check: async () => ({ state: 'ok', summary: 'fine' }) }),
          defineStatusCheck({
            id: 'slow',
            check: async ({ signal }) => {
              slowSignal = signal;
              await aborted(signal);
              return { state: 'ok', summary: 'too late' };
            },
          }),
          defineStatusCheck({
            id: 'broken',
            check: async () => {
              throw new Error('connection refused by redis at 127.0.0.1:6390');
            },
          }),
          defineStatusCheck({ id: 'tired', check: async () => ({ state: 'degraded', summary: '3 of 4 replicas' }) }),
          // Each waits for the other to start: run one after the other, the first would time out.
          defineStatusCheck({ id: 'left', check: async () => meet('left') }),
          defineStatusCheck({ id: 'right', check: async () => meet('right') }),
        ],
      },
    });
    const t = await boot({ plugins: [checks] });
    try {
      const body = await jsonOf(await fetch(`${t.url}/v1/status`));
      expect(body.state).toBe('down');
      const byId = Object.fromEntries(body.checks.map((c: { id: string }) => [c.id, c]));
      expect(byId.fine).toMatchObject({ plugin: 'checks', state: 'ok', summary: 'fine' });
      expect(byId.slow).toMatchObject({ plugin: 'checks', state: 'down', summary: 'timed out after 2000 ms' });
      expect(byId.broken).toMatchObject({ plugin: 'checks', state: 'down', summary: 'connection refused by redis at 127.0.0.1:6390' });
      expect(byId.tired).toMatchObject({ state: 'degraded', summary: '3 of 4 replicas' });
      expect(byId.left).toMatchObject({ state: 'ok', summary: 'left met its partner' });
      expect(byId.right).toMatchObject({ state: 'ok', summary: 'right met its partner' });
      expect(slowSignal?.aborted).toBe(true);
    } finally {
      await t.host.close();
    }
  });

  it('the worst state wins: degraded without a down check', async () => {
    const checks = definePlugin({
      id: 'checks',
      version: '0.1.0',
      sdk: '^0.1.0',
      contributes: { status: [defineStatusCheck({ id: 'tired', timeoutMs: 500, check: async () => ({ state: 'degraded', summary: 'slow disk' }) })] },
    });
    const t = await boot({ plugins: [checks] });
    try {
      expect((await jsonOf(await fetch(`${t.url}/v1/status`))).state).toBe('degraded');
    } finally {
      await t.host.close();
    }
  });
});

describe('version and auth', () => {
  it('reports the host version it was booted with, behind the API key like every /v1 route', async () => {
    const scripted = scriptedPlugin();
    const host = await createTestHost({
      plugins: [transportOpenai, scripted.plugin],
      bots: BOTS,
      models: MODELS,
      defaultModel: 'm',
      pluginConfig: { 'transport-openai': { apiKeys: ['sk-status-test-key-0123456789'] } },
      version: '1.2.3',
      transports: true,
      listen: { port: 0 },
    });
    try {
      const url = `${host.get(transportOpenaiRef).url as string}/v1/status`;
      expect((await fetch(url)).status).toBe(401);
      const res = await fetch(url, { headers: { authorization: 'Bearer sk-status-test-key-0123456789' } });
      expect(res.status).toBe(200);
      expect(await jsonOf(res)).toMatchObject({ object: 'status', state: 'ok', version: '1.2.3', checks: [] });
    } finally {
      await host.close();
    }
  });
});
