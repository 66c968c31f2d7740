import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { coreRefs, definePlugin, isLlmbError, type TurnEvent } from '@llm-bawt/sdk';
import { createScriptedUpstream, createTestHost, type ScriptedUpstream, type TestHost } from '@llm-bawt/sdk/testing';
import providerOpenai from '@llm-bawt/plugin-provider-openai';

// The one resilience policy in core, exercised through a real provider against the scripted upstream.
let upstream: ScriptedUpstream;
let host: TestHost;
let postTurns: { status: string; error?: { code: string } }[] = [];

const watcher = definePlugin({ id: 'watcher', version: '1.0.0', sdk: '^0.1.0', hooks: { POST_PROCESS: (turn) => void postTurns.push(turn) } });

beforeAll(async () => {
  upstream = await createScriptedUpstream();
  host = await createTestHost({
    plugins: [providerOpenai, watcher],
    models: [
      { alias: 'main', provider: 'openai-compatible', model: 'main-model', base_url: upstream.openaiBaseUrl },
      { alias: 'backed', provider: 'openai-compatible', model: 'primary', base_url: upstream.openaiBaseUrl, fallbacks: ['spare'] },
      { alias: 'spare', provider: 'openai-compatible', model: 'spare-model', base_url: upstream.openaiBaseUrl },
    ],
    defaultModel: 'main',
    settings: { upstream_backoff_ms: 10, upstream_idle_timeout_ms: 300, upstream_first_token_timeout_ms: 300 },
  });
});
afterAll(async () => {
  await host.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.reset();
  postTurns = [];
});

async function collect(stream: AsyncIterable<TurnEvent>): Promise<{ events: TurnEvent[]; error?: unknown }> {
  const events: TurnEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

describe('upstream resilience', () => {
  it('retries a 429, waiting at least the Retry-After it was given', async () => {
    upstream.script({ fault: { kind: 'status', status: 429, retryAfter: 1 } }, { text: 'after the wait' });
    const started = Date.now();
    const { text } = await host.ask('hello');
    expect(text).toBe('after the wait');
    expect(upstream.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('retries a 503 with backoff and succeeds', async () => {
    upstream.script({ fault: { kind: 'status', status: 503 } }, { fault: { kind: 'status', status: 502 } }, { text: 'third time' });
    expect((await host.ask('hello')).text).toBe('third time');
    expect(upstream.requests).toHaveLength(3);
  });

  it('does not retry a 401, and says which model failed', async () => {
    upstream.script({ fault: { kind: 'status', status: 401 } }, { text: 'should not be reached' });
    const stream = await host.runTurn({ messages: [{ role: 'user', content: 'hi' }] });
    const { error } = await collect(stream.events);
    expect(isLlmbError(error) && error.code).toBe('LLMB_ERR_UPSTREAM');
    expect((error as Error).message).toMatch(/alias main/);
    expect(upstream.requests).toHaveLength(1);
  });

  it('gives up after the retry budget with the last error', async () => {
    upstream.script(...Array.from({ length: 5 }, () => ({ fault: { kind: 'status' as const, status: 500 } })));
    const stream = await host.runTurn({ messages: [{ role: 'user', content: 'hi' }] });
    const { error } = await collect(stream.events);
    expect(error).toMatchObject({ code: 'LLMB_ERR_UPSTREAM', origin: { upstreamStatus: 500 } });
    expect(upstream.requests).toHaveLength(3);
  });

  it('ends a stream that stalls mid-way with an error, after what was relayed, and cancels the upstream', async () => {
    upstream.script({ text: ['one ', 'two ', 'three'], fault: { kind: 'stall', afterChunks: 2 } });
    const stream = await host.runTurn({ messages: [{ role: 'user', content: 'hi' }], stream: true });
    const { events, error } = await collect(stream.events);
    expect(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join('')).toBe('one ');
    expect(error).toMatchObject({ code: 'LLMB_ERR_UPSTREAM_TIMEOUT' });
    const request = upstream.requests[0];
    if (!request) throw new Error('no upstream request');
    await upstream.settled(request);
    expect(request.aborted).toBe(true);
    expect((await stream.done).status).toBe('error');
  });

  it('reports a reset mid-stream instead of hanging', async () => {
    upstream.script({ text: ['a', 'b', 'c', 'd'], fault: { kind: 'reset', afterChunks: 3 } });
    const stream = await host.runTurn({ messages: [{ role: 'user', content: 'hi' }], stream: true });
    const { error } = await collect(stream.events);
    expect(error).toMatchObject({ code: 'LLMB_ERR_UPSTREAM' });
  });

  it('retries when the first token does not come in time', async () => {
    upstream.script({ fault: { kind: 'delay', ms: 2_000 } }, { text: 'prompt answer' });
    expect((await host.ask({ messages: [{ role: 'user', content: 'hi' }], stream: true })).text).toBe('prompt answer');
    expect(upstream.requests).toHaveLength(2);
    await upstream.settled(upstream.requests[0] as never);
    expect(upstream.requests[0]?.aborted).toBe(true);
  });

  it('falls back to the next alias and says so in a warning', async () => {
    upstream.script({ fault: { kind: 'status', status: 400 } }, { text: 'from the spare' });
    const { text, events } = await host.ask({ model: 'backed', messages: [{ role: 'user', content: 'hi' }] });
    expect(text).toBe('from the spare');
    expect(upstream.requests.map((r) => r.body.model)).toEqual(['primary', 'spare-model']);
    expect(events.find((e) => e.type === 'warning')).toMatchObject({ message: expect.stringMatching(/falling back to 'spare'/) });
  });

  it('cancels the upstream request when the client goes away', async () => {
    upstream.script({ text: ['x', 'y', 'z', 'w'], chunkDelayMs: 200 });
    const controller = new AbortController();
    const stream = await host.runTurn({ messages: [{ role: 'user', content: 'hi' }], stream: true }, { signal: controller.signal });
    const consumed = collect(stream.events);
    await upstream.waitForRequest(1);
    controller.abort();
    const { error } = await consumed;
    expect(error).toMatchObject({ code: 'LLMB_ERR_ABORTED' });
    await upstream.settled(upstream.requests[0] as never);
    expect(upstream.requests[0]?.aborted).toBe(true);
    await stream.done;
    await new Promise((r) => setTimeout(r, 20));
    expect(postTurns.at(-1)?.status).toBe('aborted');
  });
});

describe('background model calls', () => {
  it('complete through the providers with the same retry policy, choosing the bot background model', async () => {
    upstream.script({ fault: { kind: 'status', status: 503 } }, { text: '{"facts": []}' });
    const llm = host.get(coreRefs.llm);
    const bot = { ...host.bots.get('test')!, settings: { background_model: 'spare' } };
    expect(llm.modelFor(bot)).toBe('spare');
    expect(llm.modelFor()).toBe('main');
    const result = await llm.complete({ bot, messages: [{ role: 'user', content: 'extract' }] });
    expect(result).toMatchObject({ text: '{"facts": []}', model: 'spare' });
    expect(upstream.requests.map((r) => r.body.model)).toEqual(['spare-model', 'spare-model']);
    expect(upstream.requests[1]?.stream).toBe(false);
  });
});
