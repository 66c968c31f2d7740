import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedUpstream, type ScriptedUpstream } from '../index.js';

let upstream: ScriptedUpstream;
let client: Anthropic;

beforeAll(async () => {
  upstream = await createScriptedUpstream();
  client = new Anthropic({ baseURL: upstream.anthropicBaseUrl, apiKey: 'test-key', maxRetries: 0, logLevel: 'off' });
});
afterEach(() => upstream.reset());
afterAll(() => upstream.close());

const params = { model: 'claude-test', max_tokens: 256, messages: [{ role: 'user' as const, content: 'hi' }] };

describe('Anthropic Messages through the official SDK', () => {
  it('answers a plain message', async () => {
    upstream.script({ text: 'Hello there', usage: { prompt_tokens: 12, completion_tokens: 2 } });
    const message = await client.messages.create(params);
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: 'Hello there' }],
      usage: { input_tokens: 12, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
    const [request] = upstream.requests;
    expect(request).toMatchObject({ format: 'anthropic', path: '/v1/messages', stream: false });
    expect(request?.headers['anthropic-version']).toBeTruthy();
    expect(request?.body.max_tokens).toBe(256);
  });

  it('returns thinking, tool_use and cache usage without streaming', async () => {
    upstream.script({
      reasoning: 'consider the weather',
      toolCalls: [{ id: 'toolu_x', name: 'weather', arguments: { city: 'Oslo' } }],
      usage: { prompt_tokens: 100, completion_tokens: 9, cached_tokens: 60, cache_creation_tokens: 30 },
    });
    const message = await client.messages.create(params);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toHaveLength(2);
    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: 'consider the weather' });
    expect(message.content[0]?.type === 'thinking' && message.content[0].signature).toBeTruthy();
    expect(message.content[1]).toEqual({ type: 'tool_use', id: 'toolu_x', name: 'weather', input: { city: 'Oslo' } });
    // prompt_tokens counts cached input; Anthropic reports it apart.
    expect(message.usage).toMatchObject({
      input_tokens: 10,
      output_tokens: 9,
      cache_read_input_tokens: 60,
      cache_creation_input_tokens: 30,
    });
  });

  it('maps finish reason length to max_tokens', async () => {
    upstream.script({ text: 'cut', finishReason: 'length' });
    const message = await client.messages.create(params);
    expect(message.stop_reason).toBe('max_tokens');
  });

  it('streams named events that the SDK turns into the exact text chunks', async () => {
    upstream.script({ text: ['Hel', 'lo', '!'], usage: { prompt_tokens: 4, completion_tokens: 3 } });
    const stream = await client.messages.create({ ...params, stream: true });
    const types: string[] = [];
    const deltas: string[] = [];
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') deltas.push(event.delta.text);
      if (event.type === 'message_delta') {
        expect(event.delta.stop_reason).toBe('end_turn');
        expect(event.usage.output_tokens).toBe(3);
      }
    }
    expect(deltas).toEqual(['Hel', 'lo', '!']);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(types).toContain('content_block_start');
    expect(types).toContain('content_block_stop');
    expect(upstream.requests[0]?.stream).toBe(true);
  });

  it('streams thinking, text and tool input that MessageStream accumulates', async () => {
    upstream.script({
      reasoning: ['step one, ', 'step two'],
      text: 'Let me look that up.',
      toolCalls: [{ name: 'search', arguments: { query: 'scripted upstream servers', limit: 5 } }],
      usage: { prompt_tokens: 50, completion_tokens: 25, cached_tokens: 20 },
    });
    const thinking: string[] = [];
    const jsonPieces: string[] = [];
    const stream = client.messages.stream(params);
    stream.on('thinking', (delta) => thinking.push(delta));
    stream.on('inputJson', (piece) => jsonPieces.push(piece));
    const message = await stream.finalMessage();
    expect(thinking).toEqual(['step one, ', 'step two']);
    expect(jsonPieces.length).toBeGreaterThan(1);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(message.content[0]?.type === 'thinking' && message.content[0].signature).toBeTruthy();
    expect(message.content[1]).toMatchObject({ type: 'text', text: 'Let me look that up.' });
    expect(message.content[2]).toMatchObject({
      type: 'tool_use',
      name: 'search',
      input: { query: 'scripted upstream servers', limit: 5 },
    });
    expect(message.usage).toMatchObject({ input_tokens: 30, cache_read_input_tokens: 20, output_tokens: 25 });
  });

  it('surfaces a scripted status with the Anthropic error shape', async () => {
    upstream.script({ fault: { kind: 'status', status: 529 } });
    const error = await client.messages.create(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error' },
    });
  });

  it('fails the stream when a frame is not valid JSON', async () => {
    upstream.script({ text: 'some text that will break', fault: { kind: 'malformed', afterChunks: 4 } });
    const stream = await client.messages.create({ ...params, stream: true });
    const consume = async () => {
      for await (const _ of stream) void _;
    };
    await expect(consume()).rejects.toThrow(SyntaxError);
  });
});
