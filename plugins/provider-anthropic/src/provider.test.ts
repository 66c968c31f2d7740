import { isBranded, isLlmbError, silentLogger, type ProviderRequest, type TurnEvent } from '@llm-bawt/sdk';
import { createProviderTest, eventsOfType, reassembleToolCalls } from '@llm-bawt/sdk/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import plugin, { anthropicProvider, providerAnthropicPlugin } from './index.js';

const KEY = 'sk-ant-test-0123456789abcdef';
const env = { env: { ANTHROPIC_API_KEY: KEY }, logger: silentLogger };

const { upstream, spec, request, client, collect, failure } = await createProviderTest({
  provider: anthropicProvider,
  format: 'anthropic',
  model: { alias: 'claude', provider: 'anthropic', model: 'claude-sonnet-4-6' },
  env,
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

/** The body the upstream received for the given request. */
async function sent(req: ProviderRequest, stream = false) {
  await collect(stream, req);
  return upstream.requests.at(-1)!.body;
}

describe('provider-anthropic plugin', () => {
  it('default-exports the branded plugin contributing the provider', () => {
    expect(plugin).toBe(providerAnthropicPlugin);
    expect(isBranded(plugin, 'plugin')).toBe(true);
    expect(plugin.contributes?.providers).toEqual([anthropicProvider]);
    expect(anthropicProvider.kinds).toEqual(['anthropic']);
  });
});

describe('text, thinking and tool use', () => {
  it('relays each streamed delta as its own event, then usage and finish with the upstream model', async () => {
    upstream.script({ text: ['Hel', 'lo, ', 'world'], model: 'claude-sonnet-4-6-20260101' });
    const events = await collect(true);
    expect(eventsOfType(events, 'text').map((event) => event.text)).toEqual(['Hel', 'lo, ', 'world']);
    expect(events.at(-2)?.type).toBe('usage');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop', model: 'claude-sonnet-4-6-20260101' });
  });

  it('yields a non-streaming answer as whole events', async () => {
    upstream.script({ text: 'Hello there, friend', usage: { prompt_tokens: 9, completion_tokens: 4 } });
    expect(await collect(false)).toEqual([
      { type: 'text', text: 'Hello there, friend' },
      { type: 'usage', usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13, cached_tokens: 0, cache_creation_tokens: 0 } },
      { type: 'finish', reason: 'stop', model: 'claude-sonnet-4-6' },
    ]);
  });

  it.each([true, false])('maps thinking blocks to reasoning events (stream: %s)', async (stream) => {
    upstream.script({ reasoning: ['Let me ', 'think.'], text: 'Answer' });
    const events = await collect(stream);
    expect(eventsOfType(events, 'reasoning').map((event) => event.text).join('')).toBe('Let me think.');
    expect(eventsOfType(events, 'text').map((event) => event.text).join('')).toBe('Answer');
    if (stream) expect(eventsOfType(events, 'reasoning')).toHaveLength(2);
  });

  it.each([true, false])('reassembles tool_use blocks into numbered tool calls (stream: %s)', async (stream) => {
    upstream.script({
      text: 'Checking.',
      toolCalls: [
        { id: 'toolu_a', name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } },
        { id: 'toolu_b', name: 'get_time', arguments: { zone: 'Europe/Paris' } },
      ],
    });
    const events = await collect(stream);
    // The text block is content block 0; tool calls still count from 0.
    expect(reassembleToolCalls(events)).toEqual([
      { id: 'toolu_a', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
      { id: 'toolu_b', name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'tool_calls' });
  });

  it.each([true, false])('counts cache reads and writes into prompt_tokens (stream: %s)', async (stream) => {
    upstream.script({ text: 'x', usage: { prompt_tokens: 1000, completion_tokens: 50, cached_tokens: 600, cache_creation_tokens: 300 } });
    const [usage] = eventsOfType(await collect(stream), 'usage');
    expect(usage?.usage).toEqual({
      prompt_tokens: 1000,
      completion_tokens: 50,
      total_tokens: 1050,
      cached_tokens: 600,
      cache_creation_tokens: 300,
    });
  });

  it('maps max_tokens to a length finish', async () => {
    upstream.script({ text: 'cut sho', finishReason: 'length' });
    expect((await collect(true)).at(-1)).toMatchObject({ type: 'finish', reason: 'length' });
  });
});

describe('request mapping', () => {
  it('moves system messages to system, tool calls to tool_use and results to tool_result', async () => {
    const body = await sent(
      request({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
          { role: 'user', content: 'Weather in Paris and Rome?' },
          {
            role: 'assistant',
            content: 'Looking.',
            reasoning_content: 'private',
            tool_calls: [
              { id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
              { id: 'toolu_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'toolu_1', content: '18C' },
          { role: 'tool', tool_call_id: 'toolu_2', content: '24C' },
          { role: 'user', content: 'Thanks' },
        ],
      }),
    );
    expect(body.system).toBe('Be brief.\n\nUse metric units.');
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Looking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '18C' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: '24C' },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
  });

  it('turns data URLs into base64 image sources and http URLs into url sources', async () => {
    const body = await sent(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            ],
          },
        ],
      }),
    );
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'Compare' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('maps tools, tool_choice and stop, and defaults max_tokens', async () => {
    const body = await sent(
      request({
        tools: [{ type: 'function', function: { name: 'lookup', description: 'Look up', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
        params: { tool_choice: 'required', stop: ['END', '\n'] },
      }),
      true,
    );
    expect(body).toMatchObject({
      model: 'claude-sonnet-4-6',
      stream: true,
      max_tokens: 4096,
      tools: [{ name: 'lookup', description: 'Look up', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }],
      tool_choice: { type: 'any' },
      stop_sequences: ['END'],
    });
    expect(body).not.toHaveProperty('thinking');
  });

  it('takes max_tokens from the request, then the alias', async () => {
    expect((await sent(request({ params: { max_tokens: 100 } }))).max_tokens).toBe(100);
    expect((await sent(request({ model: spec({ max_output_tokens: 2000 }) }))).max_tokens).toBe(2000);
  });

  it('turns reasoning_effort into a thinking budget only when the alias allows thinking', async () => {
    const thinking = spec({ options: { thinking: true }, max_output_tokens: 4000 });
    const body = await sent(request({ model: thinking, params: { reasoning_effort: 'medium' } }));
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 8192 });
    expect(body.max_tokens).toBeGreaterThan(8192);
    expect(await sent(request({ params: { reasoning_effort: 'medium' } }))).not.toHaveProperty('thinking');
  });

  it('asks for adaptive thinking with an effort when the alias says so', async () => {
    const body = await sent(request({ model: spec({ options: { thinking: 'adaptive' } }), params: { reasoning_effort: 'minimal' } }));
    expect(body.thinking).toEqual({ type: 'adaptive' });
    expect(body.output_config).toEqual({ effort: 'low' });
  });

  it('leaves thinking off while a tool loop runs (the signed thinking block cannot be replayed)', async () => {
    const body = await sent(
      request({
        model: spec({ options: { thinking: true } }),
        params: { reasoning_effort: 'high' },
        messages: [
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'weather', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 't1', content: 'sunny' },
        ],
      }),
    );
    expect(body).not.toHaveProperty('thinking');
  });
});

describe('errors', () => {
  it('maps 429 with Retry-After to LLMB_ERR_RATE_LIMITED with retryAfterMs', async () => {
    upstream.script({ fault: { kind: 'status', status: 429, retryAfter: 2 } });
    const error = await failure(true);
    expect(error.code).toBe('LLMB_ERR_RATE_LIMITED');
    expect(error.origin).toMatchObject({ upstreamStatus: 429, retryAfterMs: 2000 });
  });

  it('maps 401 to LLMB_ERR_UPSTREAM with the status and the API message', async () => {
    upstream.script({ fault: { kind: 'status', status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } } });
    const error = await failure(false);
    expect(error.code).toBe('LLMB_ERR_UPSTREAM');
    expect(error.origin.upstreamStatus).toBe(401);
    expect(error.message).toBe('anthropic (alias claude): 401 invalid x-api-key');
  });

  it('maps 529 overloaded to LLMB_ERR_UPSTREAM with the status', async () => {
    upstream.script({ fault: { kind: 'status', status: 529 } });
    const error = await failure(true);
    expect(error.code).toBe('LLMB_ERR_UPSTREAM');
    expect(error.origin.upstreamStatus).toBe(529);
  });

  it('maps a connection reset mid-stream to LLMB_ERR_UPSTREAM', async () => {
    upstream.script({ text: ['a', 'b', 'c', 'd'], fault: { kind: 'reset', afterChunks: 4 } });
    const error = await failure(true);
    expect(error.code).toBe('LLMB_ERR_UPSTREAM');
    expect(error.origin.upstreamStatus).toBeUndefined();
  });

  it('maps an unparseable event to LLMB_ERR_UPSTREAM', async () => {
    upstream.script({ text: ['a', 'b'], fault: { kind: 'malformed', afterChunks: 4 } });
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
    expect(anthropicProvider.check(spec(), { env: {}, logger: silentLogger })).toMatchObject({
      usable: false,
      hint: expect.stringContaining('set ANTHROPIC_API_KEY'),
    });
    expect(anthropicProvider.check(spec({ api_key_env: 'ZAI_KEY' }), env)).toMatchObject({ usable: false, hint: expect.stringContaining('ZAI_KEY') });
    expect(anthropicProvider.check(spec(), env)).toEqual({ usable: true });
  });

  it('reports tools, vision and reasoning, honouring tool_support', () => {
    expect(client().capabilities).toEqual({ nativeTools: true, vision: true, reasoning: true });
    expect(client(spec({ tool_support: 'react' })).capabilities.nativeTools).toBe(false);
  });
});
