import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, events, jsonOf, post, type Booted } from './helpers.js';

let t: Booted;
let chat: string;
beforeAll(async () => {
  t = await boot({ config: { bodyLimitBytes: 64 * 1024 } });
  t.scripted.set(events({ type: 'text', text: 'ok' }));
  chat = `${t.url}/v1/chat/completions`;
});
afterAll(() => t.host.close());

const user = [{ role: 'user', content: 'Hi' }];

/** Every error is OpenAI-shaped and carries the overhead header. */
function expectOpenAiError(res: Awaited<ReturnType<typeof post>>, status: number, param: string | null = null) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('x-llm-bawt-overhead-ms')).not.toBeNull();
  expect(res.json).toEqual({
    error: { message: expect.any(String), type: expect.any(String), code: expect.stringMatching(/^LLMB_ERR_/), param },
  });
  expect(res.json.error.message.length).toBeGreaterThan(10);
}

describe('bad input gets a 4xx in OpenAI shape', () => {
  it('invalid JSON: 400', async () => {
    const res = await post(chat, '{"model": "m", "messages": [');
    expectOpenAiError(res, 400);
    expect(res.json.error.type).toBe('invalid_request_error');
  });

  it('a body that is not an object: 400', async () => {
    expectOpenAiError(await post(chat, '[1, 2]'), 400);
    expectOpenAiError(await post(chat, '"hello"'), 400);
    expectOpenAiError(await post(chat, ''), 400);
  });

  it("missing or non-array 'messages': 400 with param 'messages'", async () => {
    const missing = await post(chat, { model: 'm' });
    expectOpenAiError(missing, 400, 'messages');
    expect(missing.json.error.message).toContain("'messages'");
    expectOpenAiError(await post(chat, { model: 'm', messages: 'Hi' }), 400, 'messages');
    expectOpenAiError(await post(chat, { model: 'm', messages: [] }), 400, 'messages');
  });

  it('an unknown role: 400 naming the message', async () => {
    const res = await post(chat, { model: 'm', messages: [{ role: 'user', content: 'a' }, { role: 'wizard', content: 'b' }] });
    expectOpenAiError(res, 400, 'messages[1].role');
    expect(res.json.error.message).toContain('system, developer, user, assistant, tool');
  });

  it('a bad content part: 400 naming it', async () => {
    const res = await post(chat, { model: 'm', messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] });
    expectOpenAiError(res, 400, 'messages[0].content');
  });

  it("'stream' that is not a boolean: 400 with param 'stream'", async () => {
    expectOpenAiError(await post(chat, { model: 'm', messages: user, stream: 'yes' }), 400, 'stream');
  });

  it('out-of-range sampling parameters: 400', async () => {
    expectOpenAiError(await post(chat, { model: 'm', messages: user, temperature: 3 }), 400, 'temperature');
    expectOpenAiError(await post(chat, { model: 'm', messages: user, max_tokens: 0 }), 400, 'max_tokens');
    expectOpenAiError(await post(chat, { model: 'm', messages: user, stop: 5 }), 400, 'stop');
  });

  it('null for optional fields and unknown extra fields are accepted', async () => {
    const res = await post(chat, { model: 'm', messages: user, temperature: null, stream: null, tools: null, logit_bias: { 1: 2 }, whatever: true });
    expect(res.status).toBe(200);
    expect(res.json.choices[0].message.content).toBe('ok');
  });

  it('an unknown model: 404 from the turn, not a 500', async () => {
    const res = await post(chat, { model: 'nope', messages: user });
    expectOpenAiError(res, 404, 'model');
    expect(res.json.error.code).toBe('LLMB_ERR_UNKNOWN_MODEL');
  });

  it('an unknown bot: 404', async () => {
    const res = await post(chat, { model: 'm', bot_id: 'ghost', messages: user });
    expectOpenAiError(res, 404, 'bot_id');
    expect(res.json.error.code).toBe('LLMB_ERR_UNKNOWN_BOT');
  });

  it('a model whose provider is not usable: 503 naming the fix', async () => {
    const res = await post(chat, { model: 'locked', messages: user, stream: true });
    expectOpenAiError(res, 503, 'model');
    expect(res.json.error.message).toContain('FAKE_KEY');
  });

  it('a body over the limit by Content-Length: 413', async () => {
    const res = await post(chat, { model: 'm', messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] });
    expectOpenAiError(res, 413);
    expect(res.json.error.code).toBe('LLMB_ERR_PAYLOAD_TOO_LARGE');
  });

  it('a chunked body that grows over the limit: 413', async () => {
    const piece = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"model":"m","messages":[{"role":"user","content":"'));
        if (sent >= 8) return controller.close();
        sent++;
        controller.enqueue(piece);
      },
    });
    const res = await fetch(chat, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect((await jsonOf(res)).error.code).toBe('LLMB_ERR_PAYLOAD_TOO_LARGE');
  });

  it('a wrong method: 405 with Allow', async () => {
    const res = await fetch(chat);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect((await jsonOf(res)).error).toMatchObject({ type: 'invalid_request_error', param: null });
    const models = await fetch(`${t.url}/v1/models`, { method: 'DELETE' });
    expect(models.status).toBe(405);
    expect(models.headers.get('allow')).toBe('GET');
  });

  it('an unknown route: 404', async () => {
    for (const path of ['/v1/embeddings', '/nothing/here', '/v1']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status).toBe(404);
      const body = await jsonOf(res);
      expect(body.error).toMatchObject({ code: 'LLMB_ERR_NOT_FOUND', param: null });
      expect(body.error.message).toContain(path);
    }
  });
});

describe('bearer auth', () => {
  let secured: Booted;
  beforeAll(async () => {
    secured = await boot({ env: { LLM_BAWT_API_KEYS: 'k-one, k-two' } });
  });
  afterAll(() => secured.host.close());

  it('refuses /v1/* without a valid key (401, OpenAI shape)', async () => {
    const none = await post(`${secured.url}/v1/chat/completions`, { model: 'm', messages: user });
    expectOpenAiError(none, 401);
    expect(none.json.error.type).toBe('authentication_error');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await post(`${secured.url}/v1/chat/completions`, { model: 'm', messages: user }, { authorization: 'Bearer k-three' });
    expectOpenAiError(wrong, 401);
    const models = await fetch(`${secured.url}/v1/models`);
    expect(models.status).toBe(401);
  });

  it('accepts any configured key, through the openai client too', async () => {
    const ok = await post(`${secured.url}/v1/chat/completions`, { model: 'm', messages: user }, { authorization: 'Bearer k-two' });
    expect(ok.status).toBe(200);
    const client = new (secured.client.constructor as typeof import('openai').default)({ baseURL: `${secured.url}/v1`, apiKey: 'k-one', maxRetries: 0 });
    expect((await client.models.list()).data.length).toBeGreaterThan(0);
    await expect(secured.client.models.list()).rejects.toMatchObject({ status: 401 });
  });

  it('leaves the probes open', async () => {
    expect((await fetch(`${secured.url}/health`)).status).toBe(200);
    expect((await fetch(`${secured.url}/ready`)).status).toBe(200);
  });
});
