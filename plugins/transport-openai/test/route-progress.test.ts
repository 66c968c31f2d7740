import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createError, definePlugin, defineRoute, reply } from '@llm-bawt/sdk';
import { createTestHost, type TestHost } from '@llm-bawt/sdk/testing';
import transportOpenai, { transportOpenaiRef } from '../src/index.js';
import { aborted, dataOf, gate } from './helpers.js';

// Long plugin routes report progress; a client that accepts text/event-stream sees it live.
let release = gate();
let handlerSaw: AbortSignal | undefined;
let stopped = gate();

const jobsPlugin = definePlugin({
  id: 'jobs',
  version: '1.0.0',
  sdk: '^0.1.0',
  contributes: {
    routes: [
      defineRoute({
        method: 'POST',
        path: '/v1/jobs/:name/run',
        summary: 'Run a job in three steps, waiting for the test between the first and the rest',
        body: v.object({ steps: v.pipe(v.number(), v.integer(), v.minValue(1)) }),
        async handle({ params, body, progress }) {
          progress({ done: 1, total: body.steps, message: 'first step' });
          await release.opened;
          for (let done = 2; done <= body.steps; done++) progress({ done, total: body.steps, message: `step ${done}` });
          return reply(201, { name: params.name, steps: body.steps });
        },
      }),
      defineRoute({
        method: 'POST',
        path: '/v1/jobs/burst',
        summary: 'Reports many updates at once',
        handle({ progress }) {
          const update = { done: 0, total: 1000 };
          for (let i = 1; i <= 1000; i++) {
            update.done = i;
            progress(update);
          }
          return { counted: 1000 };
        },
      }),
      defineRoute({
        method: 'POST',
        path: '/v1/jobs/broken',
        summary: 'Fails after reporting, or before when early is set',
        body: v.object({ early: v.optional(v.boolean(), false), unexpected: v.optional(v.boolean(), false) }),
        handle({ body, progress }) {
          if (body.early) throw createError('LLMB_ERR_CONFLICT', 'the job is already running', { param: 'name' });
          progress({ done: 1, total: 2 });
          if (body.unexpected) throw new Error('disk on fire at /var/secret');
          throw createError('LLMB_ERR_CONFLICT', 'the job was cancelled by another run', { param: 'name' });
        },
      }),
      defineRoute({
        method: 'POST',
        path: '/v1/jobs/endless',
        summary: 'Reports once, then runs until the client leaves',
        async handle({ progress, signal }) {
          handlerSaw = signal;
          progress({ done: 0, message: 'started' });
          await aborted(signal);
          stopped.open();
          return {};
        },
      }),
      defineRoute({
        method: 'POST',
        path: '/v1/jobs/quiet',
        summary: 'Reports nothing until the test lets it finish',
        async handle() {
          await release.opened;
          return reply(204);
        },
      }),
    ],
  },
});

let host: TestHost;
let base: string;
beforeAll(async () => {
  host = await createTestHost({
    plugins: [transportOpenai, jobsPlugin],
    pluginConfig: { 'transport-openai': { keepaliveMs: 50 } },
    transports: true,
    listen: { port: 0 },
  });
  base = host.get(transportOpenaiRef).url as string;
});
afterAll(() => host.close());

const SSE = { accept: 'text/event-stream' };

function run(path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
}

/** Reads an SSE body as it arrives, frame by frame (comments included). */
function frameReader(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const frames: string[] = [];
  let buffer = '';
  let ended = false;
  async function readUntil(enough: (frames: readonly string[]) => boolean): Promise<string[]> {
    while (!ended && !enough(frames)) {
      const { value, done } = await reader.read();
      if (done) ended = true;
      else buffer += decoder.decode(value, { stream: true });
      for (let cut = buffer.indexOf('\n\n'); cut !== -1; cut = buffer.indexOf('\n\n')) {
        frames.push(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
      }
    }
    return frames;
  }
  return { readUntil, rest: () => readUntil(() => false) };
}

const progressOf = (data: any[]) => data.filter((d) => d?.object === 'progress');

describe('progress on plugin routes', () => {
  it('streams progress while the handler runs, then the result with its status and [DONE]', async () => {
    release = gate();
    const response = await run('/v1/jobs/nightly%20sync/run', { steps: 3 }, SSE);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const stream = frameReader(response);
    // The first update arrives while the handler is still waiting: it is live, not replayed at the end.
    const early = await stream.readUntil((frames) => frames.some((f) => f.startsWith('data: ')));
    expect(early[0]).toBe(': connected');
    expect(dataOf(early)).toEqual([{ object: 'progress', done: 1, total: 3, message: 'first step' }]);
    release.open();
    const data = dataOf(await stream.rest());
    const progress = progressOf(data);
    expect(progress.at(-1)).toEqual({ object: 'progress', done: 3, total: 3, message: 'step 3' });
    expect(data.slice(-2)).toEqual([{ object: 'result', status: 201, body: { name: 'nightly sync', steps: 3 } }, '[DONE]']);
    expect(data).toHaveLength(progress.length + 2);
  });

  it('answers the same route as plain JSON without the Accept header', async () => {
    release = gate();
    release.open();
    const response = await run('/v1/jobs/daily/run', { steps: 2 });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ name: 'daily', steps: 2 });
    const burst = await run('/v1/jobs/burst', {}, { accept: 'application/json' });
    expect(await burst.json()).toEqual({ counted: 1000 });
  });

  it('coalesces a burst of updates and always sends the last one', async () => {
    const data = dataOf(await frameReader(await run('/v1/jobs/burst', {}, SSE)).rest());
    const progress = progressOf(data);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThan(1000);
    expect(progress[0]).toEqual({ object: 'progress', done: 1, total: 1000 });
    expect(progress.at(-1)).toEqual({ object: 'progress', done: 1000, total: 1000 });
    expect(data.slice(-2)).toEqual([{ object: 'result', status: 200, body: { counted: 1000 } }, '[DONE]']);
  });

  it('ends a stream that fails with one OpenAI-shaped error frame and no [DONE]', async () => {
    const data = dataOf(await frameReader(await run('/v1/jobs/broken', {}, SSE)).rest());
    expect(data).toEqual([
      { object: 'progress', done: 1, total: 2 },
      { error: { message: 'the job was cancelled by another run', type: 'invalid_request_error', code: 'LLMB_ERR_CONFLICT', param: 'name' } },
    ]);
    const hidden = dataOf(await frameReader(await run('/v1/jobs/broken', { unexpected: true }, SSE)).rest());
    expect(hidden.at(-1)).toEqual({ error: { message: 'The server had an error while processing your request.', type: 'server_error', code: 'LLMB_ERR_INTERNAL', param: null } });
    expect(hidden).not.toContain('[DONE]');
  });

  it('keeps errors before the stream as JSON with their status', async () => {
    const invalid = await run('/v1/jobs/x/run', { steps: 0 }, SSE);
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { param: string } }).error.param).toBe('steps');
    const early = await run('/v1/jobs/broken', { early: true }, SSE);
    expect(early.status).toBe(409);
    expect(await early.json()).toEqual({ error: { message: 'the job is already running', type: 'invalid_request_error', code: 'LLMB_ERR_CONFLICT', param: 'name' } });
    const unknown = await run('/v1/jobs/x/nope', {}, SSE);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('commits a silent handler after keepaliveMs and answers a 204 result without a body', async () => {
    release = gate();
    // Headers arrive while the handler still waits: the stream was committed by the silence timer.
    const response = await run('/v1/jobs/quiet', {}, SSE);
    expect(response.status).toBe(200);
    const stream = frameReader(response);
    expect((await stream.readUntil((frames) => frames.length > 0))[0]).toBe(': connected');
    release.open();
    const frames = await stream.rest();
    expect(dataOf(frames)).toEqual([{ object: 'result', status: 204, body: null }, '[DONE]']);
  });

  it("aborts the handler's signal when the client leaves mid-stream", async () => {
    stopped = gate();
    const controller = new AbortController();
    const response = await run('/v1/jobs/endless', {}, SSE, controller.signal);
    await frameReader(response).readUntil((frames) => frames.some((f) => f.startsWith('data: ')));
    expect(handlerSaw?.aborted).toBe(false);
    controller.abort();
    await stopped.opened;
    expect(handlerSaw?.aborted).toBe(true);
  });
});

describe('plugin routes when the server shuts down', () => {
  it('ends an open progress stream with LLMB_ERR_NOT_READY, even when the handler ignores its signal', async () => {
    const finish = gate();
    let signal: AbortSignal | undefined;
    const stubborn = definePlugin({
      id: 'stubborn',
      version: '1.0.0',
      sdk: '^0.1.0',
      contributes: {
        routes: [
          defineRoute({
            method: 'POST',
            path: '/v1/stubborn',
            summary: 'Reports once, then waits for the test whatever happens',
            async handle(request) {
              signal = request.signal;
              request.progress({ done: 1, total: 2 });
              await finish.opened;
              return { finished: true };
            },
          }),
        ],
      },
    });
    const own = await createTestHost({ plugins: [transportOpenai, stubborn], transports: true, listen: { port: 0 } });
    const url = own.get(transportOpenaiRef).url as string;
    const response = await fetch(`${url}/v1/stubborn`, { method: 'POST', headers: { 'content-type': 'application/json', ...SSE }, body: '{}' });
    const frames = frameReader(response);
    await frames.readUntil((seen) => progressOf(dataOf([...seen])).length > 0);
    const closing = own.close();
    const data = dataOf(await frames.rest());
    expect(data.at(-1)).toMatchObject({ error: { code: 'LLMB_ERR_NOT_READY', type: 'server_error' } });
    expect(data).not.toContain('[DONE]');
    expect(signal?.aborted).toBe(true);
    finish.open();
    await closing;
  });
});
