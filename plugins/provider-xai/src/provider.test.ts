import { isBranded, isLlmbError, silentLogger, type TurnEvent } from '@llm-bawt/sdk';
import { createProviderTest, eventsOfType, reassembleToolCalls } from '@llm-bawt/sdk/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import plugin, { providerXaiPlugin, xaiProvider } from './index.js';

const KEY = 'xai-test-0123456789abcdef';
const env = { env: { XAI_API_KEY: KEY }, logger: silentLogger };

const { upstream, spec, request, client, collect, failure } = await createProviderTest({
  provider: xaiProvider,
  format: 'xai',
  model: { alias: 'grok', provider: 'xai', model: 'grok-4' },
  env,
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

describe('provider-xai plugin', () => {
  it('default-exports the branded plugin contributing the provider', () => {
    expect(plugin).toBe(providerXaiPlugin);
    expect(isBranded(plugin, 'plugin')).toBe(true);
    expect(plugin.contributes?.providers).toEqual([xaiProvider]);
    expect(xaiProvider.kinds).toEqual(['xai']);
  });
});

describe('text, reasoning and function calls', () => {
  it('relays each streamed delta as its own event, then usage and finish with the upstream model', async () => {
    upstream.script({ text: ['Hel', 'lo, ', 'world'], model: 'grok-4-0709' });
    const events = await collect(true);
    expect(eventsOfType(events, 'text').map((event) => event.text)).toEqual(['Hel', 'lo, ', 'world']);
    expect(events.at(-2)?.type).toBe('usage');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop', model: 'grok-4-0709' });
  });

  it('yields a non-streaming answer as whole events', async () => {
    upstream.script({ text: 'Hello there, friend', usage: { prompt_tokens: 9, completion_tokens: 4 } });
    expect(await collect(false)).toEqual([
      { type: 'text', text: 'Hello there, friend' },
      { type: 'usage', usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13, cached_tokens: 0, reasoning_tokens: 0 } },
      { type: 'finish', reason: 'stop', model: 'grok-4' },
    ]);
    expect(upstream.requests[0]?.path).toBe('/v1/responses');
  });

  it.each([true, false])('maps reasoning summaries to reasoning events (stream: %s)', async (stream) => {
    upstream.script({ reasoning: ['Consider ', 'this.'], text: 'Answer' });
    const events = await collect(stream);
    expect(eventsOfType(events, 'reasoning').map((event) => event.text).join('')).toBe('Consider this.');
    expect(eventsOfType(events, 'text').map((event) => event.text).join('')).toBe('Answer');
    if (stream) expect(eventsOfType(events, 'reasoning')).toHaveLength(2);
  });

  it.each([true, false])('reassembles function calls keyed by call_id (stream: %s)', async (stream) => {
    upstream.script({
      reasoning: 'Need tools.',
      toolCalls: [
        { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } },
        { id: 'call_b', name: 'get_time', arguments: { zone: 'Europe/Paris' } },
      ],
    });
    const events = await collect(stream);
    // The reasoning item takes output index 0; tool calls still count from 0.
    expect(reassembleToolCalls(events)).toEqual([
      { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
      { id: 'call_b', name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'tool_calls' });
  });

  it.each([true, false])('maps usage with cached and reasoning tokens (stream: %s)', async (stream) => {
    upstream.script({ text: 'x', usage: { prompt_tokens: 120, completion_tokens: 30, cached_tokens: 100, reasoning_tokens: 12 } });
    const [usage] = eventsOfType(await collect(stream), 'usage');
    expect(usage?.usage).toEqual({ prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, cached_tokens: 100, reasoning_tokens: 12 });
  });

  it.each([true, false])('maps an incomplete response (max_output_tokens) to a length finish (stream: %s)', async (stream) => {
    upstream.script({ text: 'cut sho', finishReason: 'length' });
    expect((await collect(stream)).at(-1)).toMatchObject({ type: 'finish', reason: 'length' });
  });
});

describe('request mapping', () => {
  it('sends instructions, input items, tools and parameters as the Responses API expects', async () => {
    await collect(
      true,
      request({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Weather here?' }, { type: 'image_url', image_url: { url: 'https://example.com/sky.jpg' } }] },
          {
            role: 'assistant',
            content: 'Checking.',
            reasoning_content: 'private',
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '18C' },
        ],
        tools: [{ type: 'function', function: { name: 'weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
        params: {
          temperature: 0.4,
          top_p: 0.8,
          max_tokens: 300,
          reasoning_effort: 'high',
          tool_choice: { type: 'function', function: { name: 'weather' } },
        },
      }),
    );
    const { body, headers } = upstream.requests[0]!;
    expect(headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(body.instructions).toBe('Be brief.');
    expect(body.input).toEqual([
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'Weather here?' },
          { type: 'input_image', image_url: 'https://example.com/sky.jpg', detail: 'auto' },
        ],
      },
      { role: 'assistant', content: 'Checking.' },
      { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '18C' },
    ]);
    expect(body).toMatchObject({
      model: 'grok-4',
      stream: true,
      store: false,
      tools: [{ type: 'function', name: 'weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }],
      tool_choice: { type: 'function', name: 'weather' },
      temperature: 0.4,
      top_p: 0.8,
      max_output_tokens: 300,
      reasoning: { effort: 'high' },
    });
  });

  it('sends no optional parameter it was not given', async () => {
    await collect(false);
    expect(Object.keys(upstream.requests[0]!.body).sort()).toEqual(['input', 'model', 'store']);
  });

  it('maps a json_schema response_format to text.format', async () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    await collect(false, request({ params: { response_format: { type: 'json_schema', json_schema: { name: 'verdict', schema, strict: true } } } }));
    expect(upstream.requests[0]!.body.text).toEqual({ format: { type: 'json_schema', name: 'verdict', schema, strict: true } });
  });
});

describe('errors', () => {
  it('maps 429 with Retry-After to LLMB_ERR_RATE_LIMITED with retryAfterMs', async () => {
    upstream.script({ fault: { kind: 'status', status: 429, retryAfter: 4 } });
    const error = await failure(true);
    expect(error.code).toBe('LLMB_ERR_RATE_LIMITED');
    expect(error.origin).toMatchObject({ upstreamStatus: 429, retryAfterMs: 4000 });
  });

  it('maps 401 to LLMB_ERR_UPSTREAM with the status, naming provider and alias', async () => {
    upstream.script({ fault: { kind: 'status', status: 401 } });
    const error = await failure(false);
    expect(error.code).toBe('LLMB_ERR_UPSTREAM');
    expect(error.origin.upstreamStatus).toBe(401);
    expect(error.message).toBe('xai (alias grok): 401 Scripted upstream error (status 401)');
  });

  it('maps a connection reset mid-stream to LLMB_ERR_UPSTREAM', async () => {
    upstream.script({ text: ['a', 'b', 'c', 'd'], fault: { kind: 'reset', afterChunks: 5 } });
    const error = await failure(true);
    expect(error.code).toBe('LLMB_ERR_UPSTREAM');
    expect(error.origin.upstreamStatus).toBeUndefined();
  });

  it('maps an unparseable event to LLMB_ERR_UPSTREAM', async () => {
    upstream.script({ text: ['a', 'b'], fault: { kind: 'malformed', afterChunks: 5 } });
    const error = await failure(true);
    expect(error.code).toBe('LLMB_ERR_UPSTREAM');
    expect(error.message).toContain('unparseable');
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
});

describe('check and capabilities', () => {
  it('needs a key and says which variable to set', () => {
    expect(xaiProvider.check(spec(), { env: {}, logger: silentLogger })).toMatchObject({
      usable: false,
      hint: expect.stringContaining('set XAI_API_KEY'),
    });
    expect(xaiProvider.check(spec(), env)).toEqual({ usable: true });
  });

  it('reports tools and reasoning, honouring tool_support', () => {
    expect(client().capabilities).toMatchObject({ nativeTools: true, reasoning: true });
    expect(client(spec({ tool_support: 'none' })).capabilities.nativeTools).toBe(false);
  });
});
