import providerOpenai from '@llm-bawt/plugin-provider-openai';
import { createScriptedUpstream, type ScriptedUpstream } from '@llm-bawt/sdk/testing';
import { APIError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boot, dataOf, jsonOf, sseFrames, type Booted } from './helpers.js';

/** End to end: openai client -> transport -> host -> provider-openai -> scripted upstream. */
let up: ScriptedUpstream;
let t: Booted;
beforeAll(async () => {
  up = await createScriptedUpstream();
  t = await boot({
    plugins: [providerOpenai],
    models: [{ alias: 'up', provider: 'openai-compatible', model: 'x', base_url: up.openaiBaseUrl }],
    settings: { upstream_idle_timeout_ms: 300 },
  });
});
afterAll(async () => {
  await t.host.close();
  await up.close();
});
beforeEach(() => up.reset());

const messages = [{ role: 'user' as const, content: 'Hi' }];

function streamRequest(body: Record<string, unknown>, signal?: AbortSignal) {
  return fetch(`${t.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'up', messages, stream: true, ...body }),
    ...(signal ? { signal } : {}),
  });
}

describe('through provider-openai and the scripted upstream', () => {
  it('answers non-streaming with content and usage', async () => {
    up.script({ text: ['Hel', 'lo'], usage: { prompt_tokens: 3, completion_tokens: 2 } });
    const completion = await t.client.chat.completions.create({ model: 'up', messages });
    expect(completion.choices[0]?.message.content).toBe('Hello');
    expect(completion.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect(completion.model).toBe('up');
    expect(up.requests[0]?.stream).toBe(false);
  });

  it('streams every upstream chunk in order, then usage and [DONE]', async () => {
    up.script({ text: ['Hel', 'lo', ', ', 'world'], usage: { prompt_tokens: 3, completion_tokens: 4 } });
    const stream = await t.client.chat.completions.create({ model: 'up', messages, stream: true, stream_options: { include_usage: true } });
    const deltas: string[] = [];
    let usage;
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) deltas.push(content);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(deltas).toEqual(['Hel', 'lo', ', ', 'world']);
    expect(usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
    expect(up.requests[0]?.stream).toBe(true);
  });

  it('relays tool calls the client reassembles', async () => {
    up.script({ toolCalls: [{ id: 'call_9', name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const runner = t.client.chat.completions.stream({
      model: 'up',
      messages,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call).toMatchObject({ id: 'call_9', type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '')).toEqual({ city: 'Oslo' });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(up.requests[0]?.body.tools[0].function.name).toBe('get_weather');
  });

  it('passes reasoning_content, streaming and not', async () => {
    up.script({ reasoning: ['Thi', 'nking'], text: ['Answer'] });
    const stream = await t.client.chat.completions.create({ model: 'up', messages, stream: true });
    let reasoning = '';
    let content = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string; content?: string | null } | undefined;
      reasoning += delta?.reasoning_content ?? '';
      content += delta?.content ?? '';
    }
    expect(reasoning).toBe('Thinking');
    expect(content).toBe('Answer');

    up.script({ reasoning: 'Thinking', text: 'Answer' });
    const completion = await t.client.chat.completions.create({ model: 'up', messages });
    const message = completion.choices[0]?.message as unknown as { reasoning_content?: string } | undefined;
    expect(message?.reasoning_content).toBe('Thinking');
  });

  it('cancels the upstream request when the client aborts mid-stream', async () => {
    up.script({ text: ['a', 'b', 'c', 'd', 'e', 'f'], chunkDelayMs: 150 });
    const controller = new AbortController();
    const stream = await t.client.chat.completions.create({ model: 'up', messages, stream: true }, { signal: controller.signal });
    const got: string[] = [];
    await (async () => {
      for await (const chunk of stream) {
        const content = chunk.choices[0]?.delta.content;
        if (content) {
          got.push(content);
          controller.abort();
        }
      }
    })().catch(() => undefined);
    expect(got).toEqual(['a']);
    const request = up.requests[0];
    if (!request) throw new Error('the upstream saw no request');
    await up.settled(request, 5_000);
    expect(request.aborted).toBe(true);
    expect(request.completed).toBe(false);
  });

  it('answers an upstream 429 before output with 429, not a 200 stream', async () => {
    up.script({ fault: { kind: 'status', status: 429, retryAfter: 1 } });
    const res = await streamRequest({});
    expect(res.status).toBe(429);
    const body = await jsonOf(res);
    expect(body.error).toMatchObject({ type: 'rate_limit_error', code: 'LLMB_ERR_RATE_LIMITED' });
    expect(res.headers.get('retry-after')).toBe('1');
  });

  it('ends a stalled stream with an in-band error and no [DONE]', async () => {
    up.script({ text: ['one', 'two', 'three', 'four'], fault: { kind: 'stall', afterChunks: 2 } });
    const res = await streamRequest({});
    expect(res.status).toBe(200);
    const frames = await sseFrames(res);
    expect(frames).not.toContain('data: [DONE]');
    const data = dataOf(frames);
    expect(data.at(-1).error).toMatchObject({ type: 'upstream_error', code: 'LLMB_ERR_UPSTREAM_TIMEOUT' });
  });

  it('ends a reset stream with an in-band error the openai client raises', async () => {
    up.script({ text: ['one', 'two', 'three', 'four'], fault: { kind: 'reset', afterChunks: 2 } });
    const stream = await t.client.chat.completions.create({ model: 'up', messages, stream: true });
    const got: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) got.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    // What arrived before the reset is kept; nothing after it is invented.
    expect(got.join('')).toMatch(/^one/);
    expect(got.join('')).not.toContain('four');
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).error).toMatchObject({ code: expect.stringMatching(/^LLMB_ERR_UPSTREAM/) });
  });
});
