import transportOpenai from '@llm-bawt/plugin-transport-openai';
import type { TestHost } from '@llm-bawt/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeRef } from '../src/index.js';
import { backends, bootHost, eventually } from './backends.js';
import { apiOf, echoAgentPlugin, errorOf } from './http.js';

const bots = [
  { slug: 'nova', agent_backend: 'echo', requires_memory: true },
  { slug: 'scribe', agent_backend: 'echo', requires_memory: true, settings: { turn_log: 'full' } },
];

interface TurnLogJson {
  id: string;
  request_id: string;
  bot_id: string;
  user_id: string;
  status: string;
  [key: string]: unknown;
}

describe.each(backends)('turn log routes on $name', (backend) => {
  let host: TestHost;
  let api: ReturnType<typeof apiOf>;
  /** Request ids of the turns run here, oldest first. */
  const turns: { requestId: string; bot: string; user: string; status: string }[] = [];
  const run = async (bot: string, user: string, content: string) => {
    const store = host.get(storeRef);
    const before = (await store.turnLogs.list({ limit: 500 })).items.length;
    const response = await api.chat({ bot_id: bot, user, messages: [{ role: 'user', content }] });
    // POST_PROCESS is detached: wait for the row, so the order of rows is the order of turns.
    const [newest] = await eventually(async () => {
      const { items } = await store.turnLogs.list({ limit: 500 });
      return items.length > before && items;
    });
    turns.push({ requestId: newest?.requestId as string, bot, user, status: response.status === 200 ? 'ok' : 'error' });
  };
  const list = async (query: string) => (await api.get(`/v1/turn-logs${query}`)).body as { object: string; data: TurnLogJson[]; next_cursor: string | null };

  beforeAll(async () => {
    host = await bootHost(backend, { slot: 'turn-logs', ephemeral: true, bots, plugins: [echoAgentPlugin, transportOpenai], transports: true });
    api = apiOf(host);
    await run('nova', 'ann', 'one');
    await run('nova', 'bob', 'two');
    await run('scribe', 'ann', 'use the tool');
    await run('nova', 'ann', 'please fail');
    await run('nova', 'ann', 'five');
  });
  afterAll(async () => {
    await host?.close();
    await backend.cleanup();
  });

  it('lists turn logs newest first, without their text columns', async () => {
    const page = await list('');
    expect(page.object).toBe('list');
    expect(page.next_cursor).toBeNull();
    expect(page.data.map((log) => log.request_id)).toEqual(turns.map((t) => t.requestId).toReversed());
    const first = page.data[0] as TurnLogJson;
    expect(first).toMatchObject({ object: 'turn_log', bot_id: 'nova', user_id: 'ann', status: 'ok', level: 'metadata', model: 'nova', stream: false, finish_reason: 'stop' });
    expect(first.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(first).not.toHaveProperty('response_text');
    expect(first).not.toHaveProperty('request_messages');
  });

  it('filters by bot, user, status and time, and pages with limit and cursor', async () => {
    expect((await list('?bot_id=scribe')).data.map((log) => log.request_id)).toEqual([turns[2]?.requestId]);
    expect((await list('?user_id=bob')).data.map((log) => log.user_id)).toEqual(['bob']);
    const failed = await list('?status=error');
    expect(failed.data.map((log) => log.request_id)).toEqual([turns[3]?.requestId]);
    expect(failed.data[0]).toMatchObject({ status: 'error', error_code: expect.stringMatching(/^LLMB_ERR_/) });
    expect((await list('?bot_id=nova&user_id=ann&status=ok')).data).toHaveLength(2);
    expect((await list(`?since=${new Date(Date.now() + 60_000).toISOString()}`)).data).toEqual([]);
    expect((await list('?until=2000-01-01')).data).toEqual([]);
    expect((await list('?since=2000-01-01&until=2999-12-31T00:00:00Z')).data).toHaveLength(5);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`?bot_id=nova&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((log) => log.request_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(turns.filter((t) => t.bot === 'nova').map((t) => t.requestId).toReversed());
  });

  it('gets one turn log by id with what its level recorded and its tool calls; 404 for an unknown id', async () => {
    const [log] = (await list('?bot_id=scribe')).data;
    const detail = await api.get(`/v1/turn-logs/${log?.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: log?.id, level: 'full', tools: ['lookup'], response_text: expect.stringContaining('greeting=none') });
    expect(detail.body.request_messages).toEqual(expect.arrayContaining([expect.objectContaining({ role: 'user', content: 'use the tool' })]));
    expect(detail.body.tool_calls).toEqual([expect.objectContaining({ position: 0, call_id: 'call_1', name: 'lookup', result_preview: 'found it', duration_ms: 2, error: null })]);
    const [bobs] = (await list('?user_id=bob')).data;
    const metadataOnly = await api.get(`/v1/turn-logs/${bobs?.id}`);
    expect(metadataOnly.body).toMatchObject({ level: 'metadata', response_text: null, request_messages: null, tool_calls: [] });

    expect(await api.get('/v1/turn-logs/00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404, body: errorOf('LLMB_ERR_NOT_FOUND', 'id') });
    expect(await api.get('/v1/turn-logs/not-a-uuid')).toMatchObject({ status: 404, body: errorOf('LLMB_ERR_NOT_FOUND', 'id') });
  });

  it('answers bad filters with a 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['?limit=0', 'limit'],
      ['?limit=501', 'limit'],
      ['?limit=ten', 'limit'],
      ['?status=fine', 'status'],
      ['?since=yesterday', 'since'],
      ['?until=2025-13-45', 'until'],
      ['?since=2025-02-01&until=2025-01-01', 'until'],
      ['?cursor=bogus', 'cursor'],
      ['?botid=nova', 'botid'],
    ];
    for (const [query, param] of cases) {
      const response = await api.get(`/v1/turn-logs${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body).toMatchObject(errorOf('LLMB_ERR_INVALID_REQUEST', param));
    }
  });
});
