import { isBranded, isLlmbError, silentLogger, type TurnEvent } from '@llm-bawt/sdk';
import { createProviderTest, eventsOfType, reassembleToolCalls } from '@llm-bawt/sdk/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import plugin, { openaiProvider, providerOpenaiPlugin } from './index.js';
import { retryAfterMs } from './upstream-error.js';

const KEY = 'sk-test-0123456789abcdef';
const env = { env: { OPENAI_API_KEY: KEY }, logger: silentLogger };

const { upstream, spec, request, client, collect, failure } = await createProviderTest({
  provider: openaiProvider,
  format: 'openai',
  model: { alias: 'gpt', provider: 'openai', model: 'gpt-4o' },
  env,
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

describe('provider-openai plugin', () => {
  it('default-exports the branded plugin contributing the provider', () => {
    expect(plugin).toBe(providerOpenaiPlugin);
    expect(isBranded(plugin, 'plugin')).toBe(true);
    expect(plugin.contributes?.providers).toEqual([openaiProvider]);
    expect(openaiProvider.kinds).toEqual(['openai', 'openai-compatible']);
  });
});

describe('text, reasoning and tool calls', () => {
  it('relays each streamed delta as its own event, then usage and finish with the upstream model', async () => {
    upstream.script({ text: ['Hel', 'lo, ', 'world'], model: 'gpt-4o-2024-08-06' });
    const events = await collect(true);
    expect(eventsOfType(events, 'text').map((event) => event.text)).toEqual(['Hel', 'lo, ', 'world']);
    expect(events.at(-2)?.type).toBe('usage');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop', model: 'gpt-4o-2024-08-06' });
  });

  it('yields a non-streaming answer as whole events', async () => {
    upstream.script({ text: 'Hello there, friend', usage: { prompt_tokens: 9, completion_tokens: 4 } });
    const events = await collect(false);
    expect(events).toEqual([
      { type: 'text', text: 'Hello there, friend' },
      { type: 'usage', usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } },
      { type: 'finish', reason: 'stop', model: 'gpt-4o' },
    ]);
    expect(upstream.requests[0]?.stream).toBe(false);
  });

  it.each([true, false])('maps reasoning_content to reasoning events (stream: %s)', async (stream) => {
    upstream.script({ reasoning: ['Think', 'ing...'], text: 'Answer' });
    const events = await collect(stream);
    expect(eventsOfType(events, 'reasoning').map((event) => event.text).join('')).toBe('Thinking...');
    expect(eventsOfType(events, 'text').map((event) => event.text).join('')).toBe('Answer');
    expect(events.findIndex((event) => event.type === 'reasoning')).toBeLessThan(events.findIndex((event) => event.type === 'text'));
  });

  it.each([true, false])('reassembles tool calls and finishes with tool_calls (stream: %s)', async (stream) => {
    upstream.script({
      toolCalls: [
        { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } },
        { id: 'call_b', name: 'get_time', arguments: { zone: 'Europe/Paris' } },
      ],
    });
    const events = await collect(stream);
    const calls = reassembleToolCalls(events);
    expect(calls).toEqual([
      { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
      { id: 'call_b', name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
    ]);
    if (stream) expect(eventsOfType(events, 'tool_call_delta').length).toBeGreaterThan(2);
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'tool_calls' });
  });

  it.each([true, false])('maps usage with cached and reasoning tokens (stream: %s)', async (stream) => {
    upstream.script({ text: 'x', usage: { prompt_tokens: 120, completion_tokens: 30, cached_tokens: 100, reasoning_tokens: 12 } });
    const [usage] = eventsOfType(await collect(stream), 'usage');
    expect(usage?.usage).toEqual({ prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, cached_tokens: 100, reasoning_tokens: 12 });
  });

  it('reports a length finish', async () => {
    upstream.script({ text: 'cut sho', finishReason: 'length' });
    expect((await collect(true)).at(-1)).toMatchObject({ type: 'finish', reason: 'length' });
  });
});

describe('request mapping', () => {
  it('sends messages, tools and the set parameters as OpenAI receives them', async () => {
    const tools = [
      { type: 'function' as const, function: { name: 'lookup', description: 'Look up', parameters: { type: 'object', properties: { q: { type: 'string' } } } } },
    ];
    await collect(
      true,
      request({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Find cats' },
          {
            role: 'assistant',
            content: null,
            reasoning_content: 'private thoughts',
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cats"}' } }],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'many cats' },
          { role: 'assistant', content: 'Done.', tool_calls: [] },
        ],
        tools,
        params: { temperature: 0.3, top_p: 0.9, max_tokens: 256, stop: ['END'], seed: 7, tool_choice: 'auto', reasoning_effort: 'low' },
      }),
    );
    const { body, headers } = upstream.requests[0]!;
    expect(headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Find cats' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cats"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'many cats' },
      { role: 'assistant', content: 'Done.' },
    ]);
    expect(body).toMatchObject({
      model: 'gpt-4o',
      stream: true,
      stream_options: { include_usage: true },
      tools,
      tool_choice: 'auto',
      temperature: 0.3,
      top_p: 0.9,
      max_completion_tokens: 256,
      stop: ['END'],
      seed: 7,
      reasoning_effort: 'low',
    });
    expect(body).not.toHaveProperty('max_tokens');
  });

  it('sends nothing it was not given', async () => {
    await collect(false);
    expect(Object.keys(upstream.requests[0]!.body).sort()).toEqual(['messages', 'model']);
  });

  it('sends max_tokens to openai-compatible servers, and no OpenAI key', async () => {
    const model = spec({ alias: 'local', provider: 'openai-compatible', model: 'llama3' });
    await collect(false, request({ model, params: { max_tokens: 64 } }));
    const { body, headers } = upstream.requests[0]!;
    expect(body.max_tokens).toBe(64);
    expect(body).not.toHaveProperty('max_completion_tokens');
    expect(headers['authorization']).not.toContain(KEY);
  });

  it('leaves out sampling parameters that o-series models reject', async () => {
    await collect(false, request({ model: spec({ model: 'o3-mini' }), params: { temperature: 0.5, top_p: 0.5 } }));
    expect(upstream.requests[0]!.body).not.toHaveProperty('temperature');
    expect(upstream.requests[0]!.body).not.toHaveProperty('top_p');
  });
});

describe('errors', () => {
  it('maps 429 with Retry-After to LLMB_ERR_RATE_LIMITED with retryAfterMs', async () => {
    upstream.script({ fault: { kind: 'status', status: 429, retryAfter: 3 } });
    const error = await failure(true);
    expect(error.code).toBe('LLMB_ERR_RATE_LIMITED');
    expect(error.origin).toMatchObject({ upstreamStatus: 429, retryAfterMs: 3000 });
    expect(upstream.requests).toHaveLength(1);
  });

  it('maps 401 to LLMB_ERR_UPSTREAM with the status, naming provider and alias but not the key', async () => {
    upstream.script({ fault: { kind: 'status', status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}` } } } });
    const error = await failure(false);
    expect(error.code).toBe('LLMB_ERR_UPSTREAM');
    expect(error.origin.upstreamStatus).toBe(401);
    expect(error.message).toMatch(/^openai \(alias gpt\): 401 Incorrect API key provided/);
    expect(error.message).not.toContain(KEY);
  });

  it('maps 503 to LLMB_ERR_UPSTREAM with upstreamStatus and retryAfterMs', async () => {
    upstream.script({ fault: { kind: 'status', status: 503, retryAfter: 1 } });
    const error = await failure(false);
    expect(error.code).toBe('LLMB_ERR_UPSTREAM');
    expect(error.origin).toMatchObject({ upstreamStatus: 503, retryAfterMs: 1000 });
  });

  it('maps a connection reset mid-stream to LLMB_ERR_UPSTREAM without a status', async () => {
    upstream.script({ text: ['a', 'b', 'c', 'd'], fault: { kind: 'reset', afterChunks: 2 } });
    const error = await failure(true);
    expect(error.code).toBe('LLMB_ERR_UPSTREAM');
    expect(error.origin.upstreamStatus).toBeUndefined();
    expect(error.message).toContain('openai (alias gpt)');
  });

  it('maps an unparseable chunk to LLMB_ERR_UPSTREAM', async () => {
    upstream.script({ text: ['a', 'b', 'c'], fault: { kind: 'malformed', afterChunks: 2 } });
    const error = await failure(true);
    expect(error.code).toBe('LLMB_ERR_UPSTREAM');
    expect(error.message).toContain('unparseable');
  });

  it('maps a refused connection to LLMB_ERR_UPSTREAM', async () => {
    // Nothing listens on port 1.
    const error = await failure(false, request({ model: spec({ base_url: 'http://127.0.0.1:1/v1' }) }));
    expect(error.code).toBe('LLMB_ERR_UPSTREAM');
    expect(error.message).toContain('connection failed');
  });

  it('maps a client-side timeout to LLMB_ERR_UPSTREAM_TIMEOUT', async () => {
    upstream.script({ fault: { kind: 'delay', ms: 2_000 } });
    const error = await failure(false, request({ model: spec({ options: { timeout_ms: 100 } }) }));
    expect(error.code).toBe('LLMB_ERR_UPSTREAM_TIMEOUT');
  });

  it('cancels the upstream request when the signal aborts mid-stream', async () => {
    upstream.script({ text: Array.from({ length: 50 }, (_, i) => `w${i} `), chunkDelayMs: 20 });
    const controller = new AbortController();
    const seen: TurnEvent[] = [];
    const error = await (async () => {
      for await (const event of client().generate(request(), { signal: controller.signal, stream: true })) {
        seen.push(event);
        if (event.type === 'text') controller.abort();
      }
    })().catch((caught: unknown) => caught);
    expect(isLlmbError(error) && error.code).toBe('LLMB_ERR_ABORTED');
    expect(seen.some((event) => event.type === 'finish')).toBe(false);
    const recorded = upstream.requests[0]!;
    await upstream.settled(recorded);
    expect(recorded.aborted).toBe(true);
  });

  it('cancels the upstream request when the consumer stops reading', async () => {
    upstream.script({ text: Array.from({ length: 50 }, (_, i) => `w${i} `), chunkDelayMs: 20 });
    for await (const event of client().generate(request(), { signal: new AbortController().signal, stream: true })) {
      if (event.type === 'text') break;
    }
    const recorded = upstream.requests[0]!;
    await upstream.settled(recorded);
    expect(recorded.aborted).toBe(true);
  });

  it('cancels a request that is still waiting for headers', async () => {
    upstream.script({ fault: { kind: 'delay', ms: 5_000 } });
    const controller = new AbortController();
    const pending = collect(false, request(), controller.signal).catch((caught: unknown) => caught);
    const recorded = await upstream.waitForRequest(1);
    controller.abort();
    const error = await pending;
    expect(isLlmbError(error) && error.code).toBe('LLMB_ERR_ABORTED');
    await upstream.settled(recorded);
    expect(recorded.aborted).toBe(true);
  });
});

describe('check and capabilities', () => {
  it('needs a key for kind openai and says which variable to set', () => {
    const verdict = openaiProvider.check(spec(), { env: {}, logger: silentLogger });
    expect(verdict).toMatchObject({ usable: false, hint: expect.stringContaining('set OPENAI_API_KEY') });
    const named = openaiProvider.check(spec({ api_key_env: 'MY_KEY' }), { env: {}, logger: silentLogger });
    expect(named).toMatchObject({ usable: false, hint: expect.stringContaining('MY_KEY') });
    expect(openaiProvider.check(spec(), env)).toEqual({ usable: true });
    expect(() => openaiProvider.create(spec(), { env: {}, logger: silentLogger })).toThrow(/OPENAI_API_KEY/);
  });

  it('needs a base_url for openai-compatible, but no key', () => {
    const verdict = openaiProvider.check(spec({ provider: 'openai-compatible', base_url: undefined }), env);
    expect(verdict).toMatchObject({ usable: false, hint: expect.stringContaining('base_url') });
    expect(openaiProvider.check(spec({ provider: 'openai-compatible' }), { env: {}, logger: silentLogger })).toEqual({ usable: true });
  });

  it('derives capabilities from kind, tool_support and options', () => {
    expect(client().capabilities).toEqual({ nativeTools: true, vision: true, reasoning: false });
    expect(client(spec({ model: 'o3-mini', tool_support: 'react' })).capabilities).toEqual({ nativeTools: false, vision: true, reasoning: true });
    const local = spec({ provider: 'openai-compatible', tool_support: 'none' });
    expect(client(local).capabilities).toEqual({ nativeTools: false, vision: false, reasoning: false });
    expect(client({ ...local, options: { vision: true } }).capabilities.vision).toBe(true);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, HTTP dates and retry-after-ms', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });
});
