import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import transportOpenai, { transportOpenaiRef } from '@llm-bawt/plugin-transport-openai';
import memoryHistory from '@llm-bawt/plugin-memory-history';
import memorySessions from '@llm-bawt/plugin-memory-sessions';
import memorySummaries from '@llm-bawt/plugin-memory-summaries';
import { MEMORY_HEADER } from '@llm-bawt/plugin-memory-semantic';
import { storeRef } from '@llm-bawt/plugin-store-postgres';
import { createScriptedUpstream, type ScriptedUpstream, type TestHost } from '@llm-bawt/sdk/testing';
import { backends } from '../../plugins/store-postgres/test/backends.js';
import { eventually, freshUser, memoryHost, memoryPlugins, nextExtraction } from './knowledge-kit.js';

// Issue #5's acceptance path with every memory layer loaded: a fact told in one session,
// `/new`, and the next session's prompt carries it; the turn log names the memory and its score.
describe.each(backends)('nova remembers across /new on $name', (backend) => {
  let up: ScriptedUpstream;
  let host: TestHost;
  let client: OpenAI;
  beforeAll(async () => {
    up = await createScriptedUpstream();
    host = await memoryHost(backend, {
      slot: 'nova-new-session',
      upstream: up,
      plugins: [transportOpenai, memorySessions, memoryHistory, memorySummaries, ...memoryPlugins],
      transports: true,
      settings: { turn_log: 'full' },
    });
    client = new OpenAI({ baseURL: `${host.get(transportOpenaiRef).url as string}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => {
    await host?.close();
    await up?.close();
  });

  const chat = (user: string, content: string) =>
    client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content }], bot_id: 'nova', user } as OpenAI.ChatCompletionCreateParamsNonStreaming);

  it('carries a fact into the next session after /new, and the turn log names it with its score', async () => {
    const user = freshUser('grace');
    const facts = { facts: [{ content: "User's favourite colour is teal", tags: ['preference'], importance: 0.7 }] };
    up.script({ text: 'Teal is a fine colour.' }, { text: JSON.stringify(facts) });
    const extracted = nextExtraction(host);
    await chat(user, 'Teal is my favourite colour.');
    const report = await extracted;
    const teal = report.actions.find((a) => a.content === "User's favourite colour is teal");
    expect(teal?.outcome).toBe('added');

    const beforeNew = up.requests.length;
    up.setDefault({ text: 'A short summary of the first session.' });
    const rotated = await chat(user, '/new');
    expect(rotated.choices[0]?.message.content).toBeTruthy();
    // /new answers without a chat call to the model (a background summary call is allowed).
    expect(up.requests.slice(beforeNew).every((r) => !String(JSON.stringify(r.body.messages)).includes('/new'))).toBe(true);

    up.script({ text: 'You like teal.' });
    const asked = up.requests.length;
    const answer = await chat(user, 'What colour do I like?');
    expect(answer.choices[0]?.message.content).toBe('You like teal.');
    const chatRequest = up.requests.slice(asked).find((r) => JSON.stringify(r.body.messages).includes('What colour do I like?'));
    const system = String(chatRequest?.body.messages.find((m: { role: string }) => m.role === 'system')?.content ?? '');
    expect(system).toContain(`${MEMORY_HEADER}\n- User's favourite colour is teal`);

    const store = host.get(storeRef);
    const log = await eventually(async () => {
      const page = await store.turnLogs.list({ botId: 'nova', userId: user });
      const latest = page.items.find((item) => item.responseText === 'You like teal.');
      return latest ? store.turnLogs.get(latest.id) : undefined;
    });
    const sessions = new Set(itemsOf(await store.turnLogs.list({ botId: 'nova', userId: user })).map((item) => item.sessionId));
    expect(sessions.size).toBeGreaterThanOrEqual(2);
    const outputs = log?.outputs as { MEMORY_RETRIEVAL?: { 'memory-semantic'?: { memories: { id: string; score: number }[] } } } | undefined;
    const entry = outputs?.MEMORY_RETRIEVAL?.['memory-semantic']?.memories.find((m) => m.id === teal?.memoryId);
    expect(entry?.score).toBeGreaterThan(0);
  });
});

function itemsOf<T>(result: { items: T[] }): T[] {
  return result.items;
}
