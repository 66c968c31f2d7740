import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedUpstream, type ScriptedUpstream } from '../index.js';

let upstream: ScriptedUpstream;
let client: OpenAI;

beforeAll(async () => {
  upstream = await createScriptedUpstream();
  client = new OpenAI({ baseURL: upstream.openaiBaseUrl, apiKey: 'test-key', maxRetries: 0, logLevel: 'off' });
});
afterEach(() => upstream.reset());
afterAll(() => upstream.close());

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('OpenAI chat completions through the official SDK', () => {
  it('answers with the default step and echoes the requested model', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-test', messages });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-test');
    expect(completion.choices[0]?.message.content).toBe('ok');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 });
    const [request] = upstream.requests;
    expect(request).toMatchObject({ format: 'openai', method: 'POST', path: '/v1/chat/completions', stream: false });
    expect(request?.body.messages).toEqual(messages);
    expect(request?.headers['authorization']).toBe('Bearer test-key');
  });

  it('returns reasoning, tool calls and detailed usage without streaming', async () => {
    upstream.script({
      reasoning: 'thinking it over',
      toolCalls: [{ id: 'call_a', name: 'lookup', arguments: { q: 'weather' } }],
      usage: { prompt_tokens: 100, completion_tokens: 20, cached_tokens: 80, reasoning_tokens: 12 },
      model: 'served-model',
    });
    const completion = await client.chat.completions.create({ model: 'gpt-test', messages });
    const choice = completion.choices[0]!;
    expect(completion.model).toBe('served-model');
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect((choice.message as unknown as { reasoning_content: string }).reasoning_content).toBe('thinking it over');
    expect(choice.message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'lookup', arguments: '{"q":"weather"}' } },
    ]);
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(80);
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(12);
  });

  it('streams the exact text chunks, then usage when include_usage is set', async () => {
    upstream.script({ text: ['Hel', 'lo', ' world'], usage: { prompt_tokens: 7, completion_tokens: 3 } });
    const stream = await client.chat.completions.create({
      model: 'gpt-test',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    const finishes: (string | null)[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    let roleSeen = false;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      const choice = chunk.choices[0];
      if (choice?.delta.role === 'assistant') roleSeen = true;
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice) finishes.push(choice.finish_reason);
      if (chunk.usage) {
        expect(chunk.choices).toEqual([]);
        usage = chunk.usage;
      }
    }
    expect(roleSeen).toBe(true);
    expect(deltas).toEqual(['Hel', 'lo', ' world']);
    expect(finishes.at(-1)).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect(upstream.requests[0]?.stream).toBe(true);
  });

  it('sends no usage chunk unless the client asks for it', async () => {
    upstream.script({ text: 'a few words of text here' });
    const stream = await client.chat.completions.create({ model: 'gpt-test', messages, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.usage === undefined && chunk.choices.length === 1)).toBe(true);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('a few words of text here');
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBeGreaterThan(1);
  });

  it('streams reasoning and tool calls that the SDK accumulates into a final completion', async () => {
    upstream.script({
      reasoning: ['let me ', 'check'],
      toolCalls: [
        { name: 'lookup', arguments: { city: 'Paris', days: 3 } },
        { id: 'call_z', name: 'clock', arguments: '{}' },
      ],
    });
    const reasoning: string[] = [];
    const argumentPieces: string[] = [];
    const stream = client.chat.completions.stream({ model: 'gpt-test', messages });
    stream.on('chunk', (chunk) => {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string; tool_calls?: { function?: { arguments?: string } }[] };
      if (delta?.reasoning_content) reasoning.push(delta.reasoning_content);
      const piece = delta?.tool_calls?.[0]?.function?.arguments;
      if (piece) argumentPieces.push(piece);
    });
    const final = await stream.finalChatCompletion();
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(reasoning).toEqual(['let me ', 'check']);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ type: 'function', function: { name: 'lookup' } });
    expect(JSON.parse(calls[0]!.type === 'function' ? calls[0]!.function.arguments : '')).toEqual({ city: 'Paris', days: 3 });
    expect(calls[1]).toMatchObject({ id: 'call_z', function: { name: 'clock', arguments: '{}' } });
    // The first call's arguments arrive in more than one piece, after the chunk naming the call.
    expect(argumentPieces.length).toBeGreaterThan(2);
  });

  it('consumes scripted steps in order, then falls back to the default', async () => {
    upstream.script({ text: 'first' }, { text: 'second' });
    upstream.setDefault({ text: 'fallback', model: 'default-model' });
    const texts = [];
    for (let i = 0; i < 3; i++) {
      const completion = await client.chat.completions.create({ model: 'gpt-test', messages });
      texts.push(completion.choices[0]?.message.content);
    }
    expect(texts).toEqual(['first', 'second', 'fallback']);
    expect(upstream.requests).toHaveLength(3);
  });

  it('reports finish_reason length', async () => {
    upstream.script({ text: 'cut', finishReason: 'length' });
    const completion = await client.chat.completions.create({ model: 'gpt-test', messages });
    expect(completion.choices[0]?.finish_reason).toBe('length');
  });

  it('lists models', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toContain('scripted-model');
  });

  it('surfaces a scripted status as an APIError with the OpenAI error shape', async () => {
    upstream.script({ fault: { kind: 'status', status: 401 } });
    const error = await client.chat.completions.create({ model: 'gpt-test', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('invalid_api_key');
  });

  it('retries a 429 carrying Retry-After and then succeeds', async () => {
    const retrying = new OpenAI({ baseURL: upstream.openaiBaseUrl, apiKey: 'k', maxRetries: 1 });
    upstream.script({ fault: { kind: 'status', status: 429, retryAfter: 0 } }, { text: 'after retry' });
    const completion = await retrying.chat.completions.create({ model: 'gpt-test', messages });
    expect(completion.choices[0]?.message.content).toBe('after retry');
    expect(upstream.requests).toHaveLength(2);
  });
});
