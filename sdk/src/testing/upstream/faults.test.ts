import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedUpstream, type ScriptedUpstream } from '../index.js';

let upstream: ScriptedUpstream;

beforeAll(async () => {
  upstream = await createScriptedUpstream();
});
afterEach(() => upstream.reset());
afterAll(() => upstream.close());

function post(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(upstream.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal && { signal }),
  });
}

const chat = (stream = true) => ({ model: 'm', stream, messages: [{ role: 'user', content: 'hi' }] });

/** The parsed JSON body; `any` keeps assertions on the wire shapes short. */
async function json(response: Response): Promise<any> {
  return response.json();
}

/** Reads SSE `data:` payloads until the body ends or fails; returns what arrived and how it ended. */
async function readData(response: Response): Promise<{ data: string[]; error: unknown }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      const frames = buffered.split('\n\n');
      buffered = frames.pop() ?? '';
      for (const frame of frames) {
        const line = frame.split('\n').find((l) => l.startsWith('data: '));
        if (line) data.push(line.slice(6));
      }
    }
    return { data, error: undefined };
  } catch (error) {
    return { data, error };
  }
}

describe('status faults', () => {
  it('sends the status, Retry-After and the OpenAI error shape', async () => {
    upstream.script({ fault: { kind: 'status', status: 429, retryAfter: 7 } });
    const response = await post('/v1/chat/completions', chat());
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    const body = await json(response);
    expect(body).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' } });
    expect(typeof body.error.message).toBe('string');
    expect(upstream.requests[0]).toMatchObject({ stream: true, completed: true, aborted: false });
  });

  it('uses the Anthropic error shape on /v1/messages and the OpenAI shape on /v1/responses', async () => {
    upstream.script({ fault: { kind: 'status', status: 400 } }, { fault: { kind: 'status', status: 503 } });
    const anthropic = await post('/v1/messages', { model: 'c', max_tokens: 5, messages: [] });
    expect(anthropic.status).toBe(400);
    expect(anthropic.headers.get('retry-after')).toBeNull();
    expect(await json(anthropic)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const xai = await post('/v1/responses', { model: 'g', input: 'hi' });
    expect(xai.status).toBe(503);
    expect(await json(xai)).toMatchObject({ error: { type: 'api_error' } });
  });

  it('sends a scripted error body as given', async () => {
    upstream.script({ fault: { kind: 'status', status: 418, body: { teapot: true } } });
    const response = await post('/v1/chat/completions', chat(false));
    expect(response.status).toBe(418);
    expect(await json(response)).toEqual({ teapot: true });
  });
});

describe('delay', () => {
  it('answers normally after the delay', async () => {
    upstream.script({ text: 'late', fault: { kind: 'delay', ms: 30 } });
    const response = await post('/v1/chat/completions', chat(false));
    expect((await json(response)).choices[0].message.content).toBe('late');
  });

  it('holds back even the headers, so a client deadline fires and the abort is recorded', async () => {
    upstream.script({ fault: { kind: 'delay', ms: 5_000 } });
    const pending = post('/v1/chat/completions', chat(), AbortSignal.timeout(100));
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
    const request = await upstream.waitForRequest(1);
    await upstream.settled(request);
    expect(request).toMatchObject({ aborted: true, completed: false });
  });
});

describe('stall', () => {
  it('sends N chunks then nothing, until the client gives up', async () => {
    upstream.script({ text: ['a', 'b', 'c'], fault: { kind: 'stall', afterChunks: 2 } });
    const response = await post('/v1/chat/completions', chat(), AbortSignal.timeout(300));
    expect(response.status).toBe(200);
    const { data, error } = await readData(response);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(data).toHaveLength(2);
    expect(JSON.parse(data[1]!).choices[0].delta.content).toBe('a');
    const [request] = upstream.requests;
    await upstream.settled(request!);
    expect(request).toMatchObject({ aborted: true, completed: false });
  });

  it('stalls a non-streaming body after its first half', async () => {
    upstream.script({ fault: { kind: 'stall', afterChunks: 1 } });
    const response = await post('/v1/messages', { model: 'c', max_tokens: 5, messages: [] }, AbortSignal.timeout(200));
    await expect(response.text()).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('is cut off by close(), which may be called twice', async () => {
    const own = await createScriptedUpstream();
    own.script({ fault: { kind: 'stall', afterChunks: 1 } });
    const response = await fetch(`${own.openaiBaseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify(chat()) });
    const reading = readData(response);
    await own.close();
    await own.close();
    const { data, error } = await reading;
    expect(data).toHaveLength(1);
    expect(error).toBeInstanceOf(Error);
  });
});

describe('reset', () => {
  it('destroys the socket after N chunks; the client sees an error, not an end', async () => {
    upstream.script({ text: ['one', 'two', 'three'], fault: { kind: 'reset', afterChunks: 3 } });
    const { data, error } = await readData(await post('/v1/chat/completions', chat()));
    expect(data).toHaveLength(3);
    expect(error).toBeInstanceOf(Error);
    const [request] = upstream.requests;
    await upstream.settled(request!);
    expect(request).toMatchObject({ aborted: false, completed: false });
  });

  it('surfaces through the openai SDK as an error', async () => {
    const client = new OpenAI({ baseURL: upstream.openaiBaseUrl, apiKey: 'k', maxRetries: 0, logLevel: 'off' });
    upstream.script({ text: 'doomed stream of text', chunkDelayMs: 5, fault: { kind: 'reset', afterChunks: 2 } });
    const stream = await client.chat.completions.create({ model: 'm', messages: [], stream: true });
    const deltas: string[] = [];
    const consume = async () => {
      for await (const chunk of stream) {
        deltas.push(chunk.choices[0]?.delta.content ?? '');
      }
    };
    await expect(consume()).rejects.toThrow();
    expect(deltas).toEqual(['', 'doomed ']);
  });

  it('fails a non-streaming request through the Anthropic-shaped route', async () => {
    upstream.script({ fault: { kind: 'reset', afterChunks: 0 } });
    const attempt = post('/v1/messages', { model: 'c', max_tokens: 5, messages: [] }).then((r) => r.text());
    await expect(attempt).rejects.toBeInstanceOf(Error);
  });
});

describe('malformed', () => {
  it('sends N chunks, then a frame that is not JSON, then ends', async () => {
    upstream.script({ text: ['x', 'y'], fault: { kind: 'malformed', afterChunks: 2 } });
    const { data, error } = await readData(await post('/v1/chat/completions', chat()));
    expect(error).toBeUndefined();
    expect(data).toHaveLength(3);
    expect(() => JSON.parse(data[1]!)).not.toThrow();
    expect(() => JSON.parse(data[2]!)).toThrow(SyntaxError);
    expect(upstream.requests[0]).toMatchObject({ completed: true, aborted: false });
  });

  it('surfaces as a parse error in the openai SDK, streaming or not', async () => {
    const client = new OpenAI({ baseURL: upstream.openaiBaseUrl, apiKey: 'k', maxRetries: 0, logLevel: 'off' });
    upstream.script(
      { text: 'a b c', chunkDelayMs: 1, fault: { kind: 'malformed', afterChunks: 1 } },
      { fault: { kind: 'malformed', afterChunks: 1 } },
    );
    const stream = await client.chat.completions.create({ model: 'm', messages: [], stream: true });
    const consume = async () => {
      for await (const _ of stream) void _;
    };
    await expect(consume()).rejects.toThrow(SyntaxError);
    await expect(client.chat.completions.create({ model: 'm', messages: [] })).rejects.toThrow();
  });
});

describe('recording', () => {
  it('records a client abort in the middle of a slow stream', async () => {
    upstream.script({ text: Array.from({ length: 50 }, (_, i) => `t${i} `), chunkDelayMs: 20 });
    const controller = new AbortController();
    const response = await post('/v1/chat/completions', chat(), controller.signal);
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    const request = upstream.requests[0]!;
    await upstream.settled(request);
    expect(request).toMatchObject({ aborted: true, completed: false, stream: true });
  });

  it('hands out a request while it is still being answered', async () => {
    upstream.script({ text: 'eventually', fault: { kind: 'delay', ms: 100 } });
    const waiting = upstream.waitForRequest();
    const pending = post('/v1/chat/completions', chat(false));
    const request = await waiting;
    expect(request.completed).toBe(false);
    expect(request.body.model).toBe('m');
    await pending;
    await upstream.settled(request);
    expect(request).toMatchObject({ completed: true, aborted: false });
  });

  it('times out waiting for a request that never comes', async () => {
    await expect(upstream.waitForRequest(3, 50)).rejects.toThrow(/request #3/);
  });

  it('rejects bad JSON with 400 and unknown routes with 404, recording both', async () => {
    const bad = await fetch(`${upstream.url}/v1/chat/completions`, { method: 'POST', body: '{nope' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.type).toBe('invalid_request_error');
    const missing = await fetch(`${upstream.url}/v1/messages/count_tokens`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    expect((await json(missing)).type).toBe('error');
    expect(upstream.requests.map((r) => [r.format, r.body])).toEqual([
      ['openai', '{nope'],
      ['anthropic', {}],
    ]);
  });

  it('reset() clears records, the queue and the default', async () => {
    upstream.setDefault({ text: 'custom' });
    upstream.script({ text: 'queued' });
    await post('/v1/chat/completions', chat(false));
    upstream.reset();
    expect(upstream.requests).toHaveLength(0);
    const body = await json(await post('/v1/chat/completions', chat(false)));
    expect(body.choices[0].message.content).toBe('ok');
  });

  it('serves 200 concurrent streams', async () => {
    upstream.setDefault({ text: ['a', 'b', 'c', 'd'], usage: { prompt_tokens: 1, completion_tokens: 4 } });
    const results = await Promise.all(
      Array.from({ length: 200 }, async () => readData(await post('/v1/chat/completions', chat()))),
    );
    for (const { data, error } of results) {
      expect(error).toBeUndefined();
      expect(data.at(-1)).toBe('[DONE]');
    }
    expect(upstream.requests).toHaveLength(200);
  });
});
