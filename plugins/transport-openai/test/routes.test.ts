import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createError, definePlugin, defineRoute, reply } from '@llm-bawt/sdk';
import { createTestHost, type TestHost } from '@llm-bawt/sdk/testing';
import transportOpenai, { transportOpenaiRef } from '../src/index.js';

// Plugins add HTTP routes with defineRoute; the transport validates, serves and shapes errors.
const notes = new Map<string, string>();
const notesPlugin = definePlugin({
  id: 'notes',
  version: '1.0.0',
  sdk: '^0.1.0',
  contributes: {
    routes: [
      defineRoute({
        method: 'GET',
        path: '/v1/notes',
        summary: 'List notes',
        query: v.object({ limit: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1)), '10') }),
        handle: ({ query }) => ({ object: 'list', data: [...notes].slice(0, query.limit).map(([id, text]) => ({ id, text })) }),
      }),
      defineRoute({
        method: 'POST',
        path: '/v1/notes',
        summary: 'Create a note',
        body: v.object({ id: v.pipe(v.string(), v.minLength(1)), text: v.string() }),
        handle: ({ body }) => {
          if (notes.has(body.id)) throw createError('LLMB_ERR_CONFLICT', `note '${body.id}' already exists`, { param: 'id' });
          notes.set(body.id, body.text);
          return reply(201, { id: body.id, text: body.text });
        },
      }),
      defineRoute({
        method: 'DELETE',
        path: '/v1/notes/:id',
        summary: 'Delete a note',
        handle: ({ params }) => {
          if (!notes.delete(params.id as string)) throw createError('LLMB_ERR_NOT_FOUND', `no note '${params.id}'`);
          return reply(204);
        },
      }),
    ],
  },
});

let host: TestHost;
let base: string;
beforeAll(async () => {
  host = await createTestHost({ plugins: [transportOpenai, notesPlugin], transports: true, listen: { port: 0 } });
  base = host.get(transportOpenaiRef).url as string;
});
afterAll(() => host.close());

const post = (path: string, body: string) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('plugin routes', () => {
  it('serves a created resource with its status and lists it', async () => {
    const created = await post('/v1/notes', JSON.stringify({ id: 'a b', text: 'first' }));
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ id: 'a b', text: 'first' });
    const listed = await fetch(`${base}/v1/notes?limit=5`);
    expect(await listed.json()).toEqual({ object: 'list', data: [{ id: 'a b', text: 'first' }] });
  });

  it('answers bad input with a 400 naming the field, in OpenAI shape', async () => {
    const response = await post('/v1/notes', JSON.stringify({ id: '', text: 3 }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; param: string; message: string } };
    expect(body.error).toMatchObject({ code: 'LLMB_ERR_INVALID_REQUEST', param: 'id', type: 'invalid_request_error' });
    expect(body.error.message).toMatch(/text/);
    expect((await post('/v1/notes', '{not json')).status).toBe(400);
    expect((await fetch(`${base}/v1/notes?limit=zero`)).status).toBe(400);
  });

  it('keeps coded errors from handlers, decodes path parameters, and answers 405 with Allow', async () => {
    const duplicate = await post('/v1/notes', JSON.stringify({ id: 'a b', text: 'again' }));
    expect(duplicate.status).toBe(409);
    expect(((await duplicate.json()) as { error: { param: string } }).error.param).toBe('id');
    expect((await fetch(`${base}/v1/notes/a%20b`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${base}/v1/notes/a%20b`, { method: 'DELETE' })).status).toBe(404);
    const wrong = await fetch(`${base}/v1/notes/x`, { method: 'PUT' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('DELETE');
  });
});
