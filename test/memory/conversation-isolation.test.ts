import { randomUUID } from 'node:crypto';
import { createScriptedUpstream, type ScriptedUpstream } from '@llm-bawt/sdk/testing';
import { sessionsRef } from '@llm-bawt/plugin-memory-sessions';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends, bootMemory, http, open, sentMessages, tableCounts, user, type MemoryHost } from '../../plugins/memory-history/test/kit.js';

describe.each(backends)('isolation on $name', (backend) => {
  let up: ScriptedUpstream;
  let m: MemoryHost;
  let client: OpenAI;
  const allSent = () => up.requests.flatMap((_, i) => sentMessages(up, i).map((x) => x.content)).join('\n');

  beforeAll(async () => {
    up = await createScriptedUpstream();
    m = await bootMemory(backend, up, { slot: 'isolation', transports: true });
    client = new OpenAI({ baseURL: `${m.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    up.script({ text: 'Noted, 4417.' }, { text: 'Noted, 9902.' }, { text: 'Petrel, nice.' });
    await m.turn({ botId: 'nova', userId: 'xavier', messages: [user('My locker code is 4417.')] });
    await m.turn({ botId: 'nova', userId: 'yolanda', messages: [user('My locker code is 9902.')] });
    await m.turn({ botId: 'mira', userId: 'xavier', messages: [user('My boat is called Petrel.')] });
  });
  afterAll(async () => {
    await m?.host.close();
    await up?.close();
    await backend.cleanup();
  });
  beforeEach(() => up.reset());

  it("sends a bot and user only their own history (OpenAI client, whole conversation resent)", async () => {
    up.script({ text: 'It is 4417.' });
    const reply = await client.chat.completions.create({
      model: 'main',
      user: 'xavier',
      messages: [
        { role: 'user', content: 'My locker code is 4417.' },
        { role: 'assistant', content: 'Noted, 4417.' },
        { role: 'user', content: 'What is my locker code?' },
      ],
      // @ts-expect-error llm-bawt's extension field
      bot_id: 'nova',
    });
    expect(reply.choices[0]?.message.content).toBe('It is 4417.');
    expect(sentMessages(up, 0).map((x) => x.content)).toEqual(['You are Nova.', 'My locker code is 4417.', 'Noted, 4417.', 'What is my locker code?']);

    up.script({ text: 'I do not know.' });
    await m.turn({ botId: 'mira', userId: 'yolanda', messages: [user('What is my locker code? And my boat?')] });
    expect(sentMessages(up, 1).map((x) => x.content)).toEqual(['You are Mira.', 'What is my locker code? And my boat?']);
    expect(allSent()).not.toMatch(/9902|Petrel/);
  });

  it('scopes every history endpoint by bot and user', async () => {
    const theirs = await m.history.recent({ botId: 'nova', userId: 'xavier' });
    const xavierMessage = theirs[0]?.id as string;

    const list = await http(`${m.url}/v1/history?bot_id=nova&user=yolanda`, 'GET');
    expect(list.json.data.map((x: { content: string }) => x.content)).toEqual(['My locker code is 9902.', 'Noted, 9902.']);
    const search = await http(`${m.url}/v1/history/search?bot_id=nova&user=yolanda&q=locker`, 'GET');
    expect(search.json.data.map((x: { content: string }) => x.content)).toEqual(['My locker code is 9902.']);
    expect((await http(`${m.url}/v1/history/search?bot_id=mira&user=xavier&q=locker`, 'GET')).json.data).toEqual([]);
    expect((await http(`${m.url}/v1/history/around?bot_id=nova&user=yolanda&message_id=${xavierMessage}`, 'GET')).status).toBe(404);
    expect((await http(`${m.url}/v1/history/around?bot_id=mira&user=xavier&message_id=${xavierMessage}`, 'GET')).status).toBe(404);

    const forget = await http(`${m.url}/v1/history/forget`, 'POST', { bot_id: 'nova', user: 'yolanda', ids: [xavierMessage] });
    expect(forget).toMatchObject({ status: 200, json: { forgotten: 0 } });
    const forgetOtherBot = await http(`${m.url}/v1/history/forget`, 'POST', { bot_id: 'mira', user: 'xavier', last: 100 });
    expect(forgetOtherBot.json.data.map((x: { content: string }) => x.content)).toEqual(['My boat is called Petrel.', 'Petrel, nice.']);
    expect((await m.history.recent({ botId: 'nova', userId: 'xavier' })).map((x) => x.id)).toContain(xavierMessage);
    const restore = await http(`${m.url}/v1/history/restore`, 'POST', { bot_id: 'nova', user: 'xavier', last: 10 });
    expect(restore.json).toMatchObject({ restored: 0 });
    expect((await http(`${m.url}/v1/history/restore`, 'POST', { bot_id: 'mira', user: 'xavier', last: 10 })).json).toMatchObject({ restored: 2 });
  });

  it('scopes sessions by bot and user (HTTP, chat session_id)', async () => {
    const xavier = await m.host.get(sessionsRef).getActive({ botId: 'nova', userId: 'xavier' });
    const listed = await http(`${m.url}/v1/sessions?bot_id=nova&user=yolanda`, 'GET');
    expect(listed.json.data).toHaveLength(1);
    expect(listed.json.data[0].id).not.toBe(xavier?.id);
    for (const [bot, who] of [['nova', 'yolanda'], ['mira', 'xavier']]) {
      expect((await http(`${m.url}/v1/sessions/${xavier?.id}?bot_id=${bot}&user=${who}`, 'GET')).status).toBe(404);
      expect((await http(`${m.url}/v1/sessions/${xavier?.id}/rotate`, 'POST', { bot_id: bot, user: who })).status).toBe(404);
      expect((await http(`${m.url}/v1/sessions/${xavier?.id}/close`, 'POST', { bot_id: bot, user: who })).status).toBe(404);
      expect((await http(`${m.url}/v1/sessions/${xavier?.id}?bot_id=${bot}&user=${who}`, 'DELETE')).status).toBe(404);
      const chat = await http(`${m.url}/v1/chat/completions`, 'POST', { bot_id: bot, user: who, session_id: xavier?.id, messages: [user('hi')] });
      expect(chat).toMatchObject({ status: 404, json: { error: { code: 'LLMB_ERR_NOT_FOUND', param: 'session_id' } } });
    }
    expect(await m.host.get(sessionsRef).getActive({ botId: 'nova', userId: 'xavier' })).toMatchObject({ id: xavier?.id, status: 'active' });
    expect(up.requests).toHaveLength(0);
  });

  it('scopes the history tool by bot and user', async () => {
    up.script(
      { toolCalls: [{ id: 'c1', name: 'history', arguments: { action: 'search', query: 'locker code' } }] },
      { toolCalls: [{ id: 'c2', name: 'history', arguments: { action: 'recent', n_results: 20 } }] },
      { text: 'Nothing.' },
    );
    const { turn } = await m.turn({ botId: 'toolbot', userId: 'xavier', messages: [user('What is my locker code?')] });
    // xavier told nova his locker code; toolbot (another bot) must not find it.
    expect(turn.toolRuns.map((run) => run.result)).toEqual(['No messages match "locker code".', 'No stored messages yet.']);
  });
});

describe.each(backends)('a stateless bot on $name', (backend) => {
  let up: ScriptedUpstream;
  afterAll(async () => {
    await up?.close();
    await backend.cleanup();
  });

  it('writes no row anywhere: turns, /new, session ids, HTTP', async () => {
    up = await createScriptedUpstream();
    const m = await bootMemory(backend, up, { slot: 'spark', transports: true, ephemeral: false });
    const before = await m.counts();
    up.script({ text: 'Hi!' }, { text: 'Still here.' }, { text: 'Streaming.' });
    await m.turn({ botId: 'spark', userId: 'zed', messages: [user('Hello, I am Zed.')] });
    await m.turn({ botId: 'spark', userId: 'zed', sessionId: randomUUID(), messages: [user('hello again'), { role: 'assistant', content: 'Hi!' }, user('and again')] });
    const newer = await m.turn({ botId: 'spark', userId: 'zed', messages: [user('/new')] });
    expect(newer.text).toBe('Spark keeps no conversation history, so every message already starts a new conversation.');
    const streamed = await http(`${m.url}/v1/chat/completions`, 'POST', { bot_id: 'spark', user: 'zed', stream: true, messages: [user('stream please')] });
    expect(streamed.status).toBe(200);
    expect(up.requests).toHaveLength(3);
    expect(sentMessages(up, 1).map((x) => x.content)).toEqual(['You are Spark.', 'hello again', 'Hi!', 'and again']);

    const refused = await http(`${m.url}/v1/sessions`, 'POST', { bot_id: 'spark', user: 'zed' });
    expect(refused).toMatchObject({ status: 400, json: { error: { param: 'bot_id' } } });
    expect((await http(`${m.url}/v1/history?bot_id=spark&user=zed`, 'GET')).json.data).toEqual([]);
    expect((await http(`${m.url}/v1/sessions?bot_id=spark&user=zed`, 'GET')).json.data).toEqual([]);
    expect((await http(`${m.url}/v1/history/summarize`, 'POST', { bot_id: 'spark', user: 'zed' })).json.data).toEqual([]);

    // Shutting down waits for every detached POST_PROCESS; then count on a fresh connection.
    await m.host.close();
    const store = await open(backend, 'spark');
    try {
      expect(await tableCounts(store)).toEqual(before);
    } finally {
      await store.close();
    }
  });
});
