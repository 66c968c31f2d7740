import { createError } from '@llm-bawt/sdk';
import { APIError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aborted, boot, dataOf, events, failing, gate, post, sseFrames, type Booted } from './helpers.js';

let t: Booted;
beforeAll(async () => {
  t = await boot();
});
afterAll(() => t.host.close());
beforeEach(() => {
  t.scripted.calls.length = 0;
});

const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };

describe('POST /v1/chat/completions, non-streaming', () => {
  it('answers a chat.completion with content, finish_reason and usage', async () => {
    t.scripted.set(events({ type: 'text', text: 'Hel' }, { type: 'text', text: 'lo' }, { type: 'usage', usage }, { type: 'finish', reason: 'stop' }));
    const completion = await t.client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2, max_tokens: 50, stop: 'END' });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('m');
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Hello' });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject(usage);
    const call = t.scripted.calls[0];
    expect(call?.stream).toBe(false);
    expect(call?.params).toMatchObject({ temperature: 0.2, max_tokens: 50, stop: ['END'] });
    expect(call?.messages.at(-1)).toEqual({ role: 'user', content: 'Hi' });
  });

  it('returns reasoning_content and reassembled tool calls', async () => {
    t.scripted.set(
      events(
        { type: 'reasoning', text: 'Think' },
        { type: 'reasoning', text: 'ing' },
        { type: 'tool_call_delta', index: 0, id: 'call_1', name: 'get_weather', arguments: '{"ci' },
        { type: 'tool_call_delta', index: 0, arguments: 'ty":"Oslo"}' },
        { type: 'finish', reason: 'tool_calls' },
      ),
    );
    const completion = await t.client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    const message = completion.choices[0]?.message as unknown as Record<string, unknown>;
    expect(message.reasoning_content).toBe('Thinking');
    expect(message.content).toBeNull();
    expect(message.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }]);
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('reports the overhead header and the turn id', async () => {
    t.scripted.set(events({ type: 'text', text: 'x' }));
    const res = await post(`${t.url}/v1/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('x-llm-bawt-overhead-ms'))).toBeGreaterThanOrEqual(0);
    expect(res.headers.get('x-llm-bawt-turn-id')).toMatch(/^turn_/);
  });

  it('uses the default model when none is named and echoes the resolved alias', async () => {
    t.scripted.set(events({ type: 'text', text: 'x' }));
    const res = await post(`${t.url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'Hi' }] });
    expect(res.json.model).toBe('m');
  });

  it('routes a model named after an agent bot to that bot', async () => {
    t.scripted.set(events({ type: 'text', text: 'from the agent' }));
    const completion = await t.client.chat.completions.create({ model: 'helper', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]?.message.content).toBe('from the agent');
    expect(completion.model).toBe('helper');
    expect(t.scripted.calls[0]?.model).toBe('helper');
  });

  it('fails with the turn error status when the turn fails', async () => {
    t.scripted.set(failing(createError('LLMB_ERR_UPSTREAM', 'upstream said 400: bad things', { upstreamStatus: 400 })));
    const res = await post(`${t.url}/v1/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
    expect(res.status).toBe(502);
    expect(res.json).toEqual({ error: { message: expect.stringContaining('bad things'), type: 'upstream_error', code: 'LLMB_ERR_UPSTREAM', param: null } });
  });

  it('answers an unexpected failure with a generic 500 that leaks nothing', async () => {
    t.scripted.set(failing(new TypeError('connect ECONNREFUSED postgres://admin:hunter2@db')));
    for (const stream of [false, true]) {
      const res = await post(`${t.url}/v1/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream });
      expect(res.status).toBe(500);
      expect(res.json.error).toEqual({ message: 'The server had an error while processing your request.', type: 'server_error', code: 'LLMB_ERR_INTERNAL', param: null });
      expect(res.text).not.toContain('hunter2');
    }
  });
});

describe('POST /v1/chat/completions, streaming', () => {
  it('streams chunks the openai client reads, with usage when asked', async () => {
    t.scripted.set(events({ type: 'text', text: 'Hel' }, { type: 'text', text: 'lo' }, { type: 'finish', reason: 'stop' }, { type: 'usage', usage }));
    const stream = await t.client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const ids = new Set(chunks.map((c) => c.id));
    expect(ids.size).toBe(1);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'm')).toBe(true);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello');
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    expect(finish?.choices[0]?.finish_reason).toBe('stop');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject(usage);
    expect(t.scripted.calls[0]?.params.include_usage).toBe(true);
  });

  it('sends no usage chunk unless include_usage is set, and ends with [DONE]', async () => {
    t.scripted.set(events({ type: 'text', text: 'Hi' }, { type: 'usage', usage }, { type: 'finish', reason: 'length' }));
    const res = await fetch(`${t.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(Number(res.headers.get('x-llm-bawt-overhead-ms'))).toBeGreaterThanOrEqual(0);
    const frames = await sseFrames(res);
    expect(frames[0]).toBe(': connected');
    expect(frames.at(-1)).toBe('data: [DONE]');
    const data = dataOf(frames).filter((d) => d !== '[DONE]');
    expect(data.some((d) => d.usage)).toBe(false);
    expect(data.at(-1).choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'length' });
  });

  it('relays tool-call deltas that the client reassembles', async () => {
    t.scripted.set(
      events(
        { type: 'text', text: 'Let me check. ' },
        { type: 'tool_call_delta', index: 0, id: 'call_a', name: 'get_weather', arguments: '' },
        { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
        { type: 'tool_call_delta', index: 0, arguments: '"Oslo"}' },
        { type: 'tool_call_delta', index: 1, id: 'call_b', name: 'get_time', arguments: '{}' },
        { type: 'finish', reason: 'tool_calls' },
      ),
    );
    const runner = t.client.chat.completions.stream({
      model: 'm',
      messages: [{ role: 'user', content: 'Weather and time?' }],
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
        { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
      ],
    });
    const final = await runner.finalChatCompletion();
    const message = final.choices[0]?.message;
    expect(message?.content).toBe('Let me check. ');
    expect(message?.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('passes reasoning_content and warnings (as frames standard clients skip)', async () => {
    t.scripted.set(
      events(
        { type: 'warning', message: "model 'x' failed; falling back to 'm'", code: 'LLMB_ERR_UPSTREAM' },
        { type: 'reasoning', text: 'Hmm' },
        { type: 'text', text: 'Answer' },
        { type: 'finish', reason: 'stop' },
      ),
    );
    const stream = await t.client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Q' }], stream: true });
    const chunks: any[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const warning = chunks.find((c) => c.object === 'service.warning');
    expect(warning).toMatchObject({ choices: [], warnings: ["model 'x' failed; falling back to 'm'"], code: 'LLMB_ERR_UPSTREAM' });
    expect(chunks.map((c) => c.choices[0]?.delta?.reasoning_content ?? '').join('')).toBe('Hmm');
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Answer');

    const runner = t.client.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'Q' }] });
    expect((await runner.finalChatCompletion()).choices[0]?.message.content).toBe('Answer');
  });

  it('answers a failure before any output with its status, not a 200 stream', async () => {
    t.scripted.set(failing(createError('LLMB_ERR_RATE_LIMITED', 'upstream rate limit', { upstreamStatus: 429, retryAfterMs: 2000 })));
    const res = await post(`${t.url}/v1/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.json.error).toMatchObject({ type: 'rate_limit_error', code: 'LLMB_ERR_RATE_LIMITED' });

    const failed = await t.client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(APIError);
    expect((failed as APIError).status).toBe(429);
  });

  it('ends a stream that fails mid-way with an in-band error and no [DONE]', async () => {
    t.scripted.set(async function* () {
      yield { type: 'text', text: 'partial' };
      throw createError('LLMB_ERR_UPSTREAM_TIMEOUT', 'no data from the upstream for 50 ms');
    });
    const res = await fetch(`${t.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    expect(res.status).toBe(200);
    const frames = await sseFrames(res);
    expect(frames).not.toContain('data: [DONE]');
    const data = dataOf(frames);
    expect(data[0].choices[0].delta.content).toBe('partial');
    expect(data.at(-1)).toEqual({
      error: { message: 'no data from the upstream for 50 ms', type: 'upstream_error', code: 'LLMB_ERR_UPSTREAM_TIMEOUT', param: null },
    });

    const stream = await t.client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const got: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) got.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(got.join('')).toBe('partial');
    expect(failure).toBeInstanceOf(APIError);
  });

  it('aborts the turn when the client aborts mid-stream', async () => {
    let turnSignal: AbortSignal | undefined;
    t.scripted.set(async function* ({ signal }) {
      turnSignal = signal;
      yield { type: 'text', text: 'one' };
      await aborted(signal);
      yield { type: 'text', text: 'never read' };
    });
    const controller = new AbortController();
    const stream = await t.client.chat.completions.create(
      { model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true },
      { signal: controller.signal },
    );
    const got: string[] = [];
    await (async () => {
      for await (const chunk of stream) {
        got.push(chunk.choices[0]?.delta.content ?? '');
        controller.abort();
      }
    })().catch(() => undefined);
    expect(got).toEqual(['one']);
    await expect.poll(() => turnSignal?.aborted).toBe(true);
  });

  it('aborts the turn when the client goes away before the first token', async () => {
    let turnSignal: AbortSignal | undefined;
    const started = gate();
    t.scripted.set(async function* ({ signal }) {
      turnSignal = signal;
      started.open();
      await aborted(signal);
      yield { type: 'text', text: 'never' };
    });
    const controller = new AbortController();
    const request = fetch(`${t.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
      signal: controller.signal,
    }).catch(() => undefined);
    await started.opened;
    controller.abort();
    await request;
    await expect.poll(() => turnSignal?.aborted).toBe(true);
  });
});

describe('keepalive', () => {
  let k: Booted;
  beforeAll(async () => {
    k = await boot({ config: { keepaliveMs: 150 } });
  });
  afterAll(() => k.host.close());

  it('writes a keepalive comment when the turn is silent', async () => {
    const release = gate();
    k.scripted.set(async function* () {
      yield { type: 'text', text: 'a' };
      await release.opened;
      yield { type: 'text', text: 'b' };
    });
    const res = await fetch(`${k.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    while (!seen.includes(': keepalive')) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += decoder.decode(value, { stream: true });
    }
    release.open();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += decoder.decode(value, { stream: true });
    }
    expect(seen).toContain(': keepalive\n\n');
    expect(seen.indexOf(': keepalive')).toBeGreaterThan(seen.indexOf('"content":"a"'));
    expect(seen).toContain('"content":"b"');
    expect(seen.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('commits the stream with : connected when the first event is slower than the keepalive', async () => {
    const release = gate();
    k.scripted.set(async function* () {
      await release.opened;
      yield { type: 'text', text: 'late' };
    });
    const res = await fetch(`${k.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first.startsWith(': connected\n\n')).toBe(true);
    release.open();
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toContain('"content":"late"');
  });
});
