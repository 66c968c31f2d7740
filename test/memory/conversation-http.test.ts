import { randomUUID } from 'node:crypto';
import { createScriptedUpstream, type ScriptedUpstream } from '@llm-bawt/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends, bootMemory, http, user, type MemoryHost } from '../../plugins/memory-history/test/kit.js';

describe.each(backends)('memory HTTP endpoints on $name', (backend) => {
  let up: ScriptedUpstream;
  let m: MemoryHost;
  const url = (path: string) => `${m.url}${path}`;

  beforeAll(async () => {
    up = await createScriptedUpstream();
    m = await bootMemory(backend, up, { slot: 'http', transports: true });
  });
  afterAll(async () => {
    await m?.host.close();
    await up?.close();
    await backend.cleanup();
  });
  beforeEach(() => up.reset());

  it('creates, lists, reads, rotates, closes and deletes sessions', async () => {
    const created = await http(url('/v1/sessions'), 'POST', { bot_id: 'nova', user: 'kai', title: 'Kitchen remodel', metadata: { color: 'teal' } });
    expect(created).toMatchObject({ status: 201, json: { object: 'session', bot_id: 'nova', user_id: 'kai', status: 'active', title: 'Kitchen remodel', metadata: { color: 'teal', title_source: 'user' }, archived_session_id: null, summary_ids: [] } });
    const first = created.json.id as string;
    const side = await http(url('/v1/sessions'), 'POST', { bot_id: 'nova', user: 'kai', activate: false });
    expect(side.json).toMatchObject({ status: 'archived', ended_at: null });

    const rotated = await http(url(`/v1/sessions/${first}/rotate`), 'POST', { bot_id: 'nova', user: 'kai', title: 'Part two' });
    expect(rotated).toMatchObject({ status: 200, json: { object: 'session.rotation', archived: { id: first, status: 'archived' }, active: { status: 'active', title: 'Part two', metadata: { predecessor: first } } } });
    const active = rotated.json.active.id as string;
    // Only the active session can be rotated.
    expect(await http(url(`/v1/sessions/${first}/rotate`), 'POST', { bot_id: 'nova', user: 'kai' })).toMatchObject({ status: 409, json: { error: { code: 'LLMB_ERR_CONFLICT', param: 'id' } } });

    const page1 = await http(url('/v1/sessions?bot_id=nova&user=kai&limit=2'), 'GET');
    expect(page1.json.data.map((s: { id: string }) => s.id)).toEqual([active, side.json.id]);
    expect(page1.json.has_more).toBe(true);
    const page2 = await http(url(`/v1/sessions?bot_id=nova&user=kai&limit=2&cursor=${page1.json.next_cursor}`), 'GET');
    expect(page2.json).toMatchObject({ data: [{ id: first }], has_more: false });
    expect((await http(url('/v1/sessions?bot_id=nova&user=kai&status=active'), 'GET')).json.data.map((s: { id: string }) => s.id)).toEqual([active]);

    expect(await http(url(`/v1/sessions/${active}?bot_id=nova&user=kai`), 'GET')).toMatchObject({ status: 200, json: { id: active, title: 'Part two' } });
    expect(await http(url(`/v1/sessions/${active}/close`), 'POST', { bot_id: 'nova', user: 'kai' })).toMatchObject({ status: 200, json: { status: 'archived' } });
    expect(await http(url(`/v1/sessions/${active}?bot_id=nova&user=kai`), 'DELETE')).toMatchObject({ status: 200, json: { status: 'deleted' } });
    expect(await http(url(`/v1/sessions/${active}?bot_id=nova&user=kai`), 'GET')).toMatchObject({ status: 410, json: { error: { code: 'LLMB_ERR_GONE', param: 'id' } } });
    expect((await http(url('/v1/sessions?bot_id=nova&user=kai&status=all'), 'GET')).json.data).toHaveLength(3);
  });

  it('lists history in pages, searches it, reads around a message, forgets and restores', async () => {
    up.script({ text: 'First reply.' }, { text: 'Second reply about TASK-77.' });
    await m.turn({ botId: 'nova', userId: 'lea', messages: [user('First message.')] });
    await m.turn({ botId: 'nova', userId: 'lea', messages: [user('Second message, about TASK-77.')] });

    const page1 = await http(url('/v1/history?bot_id=nova&user=lea&limit=3'), 'GET');
    expect(page1.json.data.map((x: { content: string }) => x.content)).toEqual(['First reply.', 'Second message, about TASK-77.', 'Second reply about TASK-77.']);
    expect(page1.json.data[0]).toMatchObject({ object: 'history.message', bot_id: 'nova', user_id: 'lea', role: 'assistant', summarized: false, processed: false });
    const page2 = await http(url(`/v1/history?bot_id=nova&user=lea&limit=3&before=${page1.json.before}`), 'GET');
    expect(page2.json).toMatchObject({ data: [{ content: 'First message.' }], has_more: false });

    const search = await http(url('/v1/history/search?bot_id=nova&user=lea&q=TASK-77&mode=substring&role=user'), 'GET');
    expect(search.json.data).toEqual([expect.objectContaining({ content: 'Second message, about TASK-77.', match: 'substring', score: expect.any(Number) })]);

    const anchor = page1.json.data[1].id as string;
    const around = await http(url(`/v1/history/around?bot_id=nova&user=lea&message_id=${anchor}&before=1&after=0`), 'GET');
    expect(around.json.data.map((x: { content: string }) => x.content)).toEqual(['First reply.', 'Second message, about TASK-77.']);

    const forgotten = await http(url('/v1/history/forget'), 'POST', { bot_id: 'nova', user: 'lea', last: 2 });
    expect(forgotten.json).toMatchObject({ forgotten: 2, data: [{ content: 'Second message, about TASK-77.', forgotten_at: expect.any(String) }, { content: 'Second reply about TASK-77.' }] });
    expect((await http(url('/v1/history?bot_id=nova&user=lea'), 'GET')).json.data).toHaveLength(2);
    const restored = await http(url('/v1/history/restore'), 'POST', { bot_id: 'nova', user: 'lea', ids: forgotten.json.data.map((x: { id: string }) => x.id) });
    expect(restored.json).toMatchObject({ restored: 2 });
    expect((await http(url('/v1/history?bot_id=nova&user=lea'), 'GET')).json.data).toHaveLength(4);
  });

  it('answers bad input to every endpoint with a 4xx naming the field, and writes nothing', async () => {
    up.script({ text: 'ok' });
    await m.turn({ botId: 'nova', userId: 'max', messages: [user('seed')] });
    const before = await m.memoryCounts();
    const ghost = randomUUID();
    const cases: [string, string, unknown, number, string | RegExp][] = [
      ['GET', '/v1/history?limit=0', undefined, 400, 'limit'],
      ['GET', '/v1/history?limit=ten', undefined, 400, 'limit'],
      ['GET', '/v1/history?bot_id=ghost', undefined, 404, 'bot_id'],
      ['GET', '/v1/history?before=garbage', undefined, 400, 'before'],
      ['GET', '/v1/history/search?bot_id=nova', undefined, 400, 'q'],
      ['GET', '/v1/history/search?q=x&mode=fuzzy', undefined, 400, 'mode'],
      ['GET', '/v1/history/search?q=x&since=yesterday', undefined, 400, 'since'],
      ['GET', '/v1/history/search?q=x&role=robot', undefined, 400, 'role'],
      ['GET', '/v1/history/around?message_id=nope', undefined, 400, 'message_id'],
      ['GET', `/v1/history/around?message_id=${ghost}`, undefined, 404, 'message_id'],
      ['POST', '/v1/history/forget', { bot_id: 'nova', user: 'max' }, 400, /'last', 'minutes', 'ids'/],
      ['POST', '/v1/history/forget', { bot_id: 'nova', user: 'max', last: 1, minutes: 5 }, 400, /exactly one/],
      ['POST', '/v1/history/forget', { bot_id: 'nova', user: 'max', last: 0 }, 400, 'last'],
      ['POST', '/v1/history/forget', { bot_id: 'nova', user: 'max', minutes: 'ten' }, 400, 'minutes'],
      ['POST', '/v1/history/forget', { bot_id: 'nova', user: 'max', ids: ['x'] }, 400, 'ids.0'],
      ['POST', '/v1/history/forget', { bot_id: 'ghost', last: 1 }, 404, 'bot_id'],
      ['POST', '/v1/history/forget', 'not json', 400, /JSON/],
      ['POST', '/v1/history/restore', { bot_id: 'nova', user: 'max' }, 400, /'last', 'ids'/],
      ['POST', '/v1/history/restore', { bot_id: 'nova', user: 'max', ids: [] }, 400, 'ids'],
      ['POST', '/v1/history/summarize', { bot_id: 'nova', user: 'max', method: 'magic' }, 400, 'method'],
      ['POST', '/v1/history/summarize', { bot_id: 'nova', user: '' }, 400, 'user'],
      ['GET', '/v1/history/summaries?limit=x', undefined, 400, 'limit'],
      ['GET', '/v1/history/summaries/not-a-uuid', undefined, 404, 'id'],
      ['DELETE', `/v1/history/summaries/${ghost}`, undefined, 404, 'id'],
      ['GET', '/v1/sessions?status=open', undefined, 400, 'status'],
      ['GET', '/v1/sessions?cursor=zzz', undefined, 400, 'cursor'],
      ['GET', '/v1/sessions/nope', undefined, 404, 'id'],
      ['POST', '/v1/sessions', { bot_id: 'nova', user: 'max', title: '' }, 400, 'title'],
      ['POST', '/v1/sessions', { bot_id: 'nova', user: 'max', activate: 'yes' }, 400, 'activate'],
      ['POST', '/v1/sessions', { bot_id: 'nova', user: 'max', metadata: 3 }, 400, 'metadata'],
      ['POST', '/v1/sessions', { bot_id: 'spark', user: 'max' }, 400, 'bot_id'],
      ['POST', '/v1/sessions', { bot_id: 'ghost', user: 'max' }, 404, 'bot_id'],
      ['POST', `/v1/sessions/${ghost}/rotate`, { bot_id: 'nova', user: 'max', summarize: 'no' }, 400, 'summarize'],
      ['POST', `/v1/sessions/${ghost}/rotate`, { bot_id: 'nova', user: 'max' }, 404, 'id'],
      ['POST', `/v1/sessions/${ghost}/close`, { bot_id: 'nova', user: 'max' }, 404, 'id'],
      ['DELETE', `/v1/sessions/${ghost}?bot_id=nova&user=max`, undefined, 404, 'id'],
      ['POST', '/v1/chat/completions', { bot_id: 'nova', user: 'max', session_id: ghost, messages: [user('hi')] }, 404, 'session_id'],
      ['POST', '/v1/chat/completions', { bot_id: 'nova', user: 'max', user_message_id: 'x', messages: [user('hi')] }, 400, 'user_message_id'],
      ['POST', '/v1/chat/completions', { bot_id: 'nova', user: 'max', assistant_message_id: '', messages: [user('hi')] }, 400, 'assistant_message_id'],
    ];
    for (const [method, path, body, status, field] of cases) {
      const response = await http(url(path), method, body);
      const where = `${method} ${path} ${JSON.stringify(body) ?? ''}`;
      expect(response.status, where).toBe(status);
      const error = response.json?.error as { param: string | null; message: string } | undefined;
      if (typeof field === 'string') expect(error?.param, where).toBe(field);
      else expect(error?.message, where).toMatch(field);
    }
    expect(await m.memoryCounts()).toEqual(before);
    expect(up.requests).toHaveLength(1);
  });
});
