import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedUpstream, type ScriptedUpstream } from '../index.js';

let upstream: ScriptedUpstream;
let client: OpenAI;

beforeAll(async () => {
  upstream = await createScriptedUpstream();
  client = new OpenAI({ baseURL: upstream.xaiBaseUrl, apiKey: 'xai-key', maxRetries: 0, logLevel: 'off' });
});
afterEach(() => upstream.reset());
afterAll(() => upstream.close());

const params = { model: 'grok-test', input: 'hi' };

describe('xAI Responses API through the openai SDK', () => {
  it('answers with a completed response object', async () => {
    upstream.script({ text: 'Hello from grok', usage: { prompt_tokens: 9, completion_tokens: 3 } });
    const response = await client.responses.create(params);
    expect(response).toMatchObject({ object: 'response', status: 'completed', model: 'grok-test' });
    expect(response.output_text).toBe('Hello from grok');
    expect(response.usage).toMatchObject({ input_tokens: 9, output_tokens: 3, total_tokens: 12 });
    expect(upstream.requests[0]).toMatchObject({ format: 'xai', path: '/v1/responses', stream: false });
    expect(upstream.requests[0]?.body.input).toBe('hi');
  });

  it('returns reasoning and function calls with detailed usage', async () => {
    upstream.script({
      reasoning: 'need the time',
      toolCalls: [{ id: 'call_t', name: 'clock', arguments: { tz: 'UTC' } }],
      usage: { prompt_tokens: 40, completion_tokens: 30, cached_tokens: 32, reasoning_tokens: 20 },
    });
    const response = await client.responses.create(params);
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'function_call']);
    const [reasoning, call] = response.output;
    expect(reasoning?.type === 'reasoning' && reasoning.summary[0]?.text).toBe('need the time');
    expect(call).toMatchObject({ type: 'function_call', call_id: 'call_t', name: 'clock', arguments: '{"tz":"UTC"}' });
    expect(response.usage?.input_tokens_details.cached_tokens).toBe(32);
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(20);
  });

  it('streams typed, numbered events with the exact text deltas', async () => {
    upstream.script({ text: ['Gr', 'ok', ' here'] });
    const stream = await client.responses.create({ ...params, stream: true });
    const types: string[] = [];
    const sequence: number[] = [];
    const deltas: string[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') deltas.push(event.delta);
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(types).toContain('response.output_item.added');
    expect(types).toContain('response.output_item.done');
    expect(sequence).toEqual(sequence.map((_, i) => i));
    expect(deltas).toEqual(['Gr', 'ok', ' here']);
    expect(completed?.status).toBe('completed');
    expect(completed?.usage?.input_tokens).toBe(5);
  });

  it('streams reasoning and function calls that ResponseStream accumulates', async () => {
    upstream.script({
      reasoning: ['first ', 'thought'],
      text: 'Calling a tool.',
      toolCalls: [{ name: 'search', arguments: { query: 'responses api streaming', top: 3 } }],
    });
    const reasoning: string[] = [];
    const argumentDeltas: string[] = [];
    const stream = client.responses.stream(params);
    stream.on('response.reasoning_summary_text.delta', (event) => reasoning.push(event.delta));
    stream.on('response.function_call_arguments.delta', (event) => argumentDeltas.push(event.delta));
    const response = await stream.finalResponse();
    expect(reasoning).toEqual(['first ', 'thought']);
    expect(argumentDeltas.length).toBeGreaterThan(1);
    expect(response.output_text).toBe('Calling a tool.');
    const call = response.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'search', status: 'completed' });
    expect(JSON.parse(call?.type === 'function_call' ? call.arguments : '')).toEqual({
      query: 'responses api streaming',
      top: 3,
    });
    const summary = response.output.find((item) => item.type === 'reasoning');
    expect(summary?.type === 'reasoning' && summary.summary[0]?.text).toBe('first thought');
  });

  it('marks a length-limited response incomplete', async () => {
    upstream.script({ text: 'cut', finishReason: 'length' });
    const response = await client.responses.create(params);
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details?.reason).toBe('max_output_tokens');
  });

  it('surfaces a scripted status as an APIError', async () => {
    upstream.script({ fault: { kind: 'status', status: 500 } });
    const error = await client.responses.create(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
  });

  it('fails the stream when a frame is not valid JSON', async () => {
    upstream.script({ text: 'broken stream', fault: { kind: 'malformed', afterChunks: 3 } });
    const stream = await client.responses.create({ ...params, stream: true });
    const consume = async () => {
      for await (const _ of stream) void _;
    };
    await expect(consume()).rejects.toThrow(SyntaxError);
  });
});
