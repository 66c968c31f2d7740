import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import transportOpenai, { transportOpenaiRef } from '@llm-bawt/plugin-transport-openai';
import { MEMORY_HEADER } from '@llm-bawt/plugin-memory-semantic';
import { storeRef } from '@llm-bawt/plugin-store-postgres';
import { createScriptedUpstream, type ScriptedUpstream, type TestHost } from '@llm-bawt/sdk/testing';
import { backends } from '../../plugins/store-postgres/test/backends.js';
import { eventually, freshUser, knowledgeRows, memoryHost, memoryPlugins, nextExtraction } from './knowledge-kit.js';

const FACTS = {
  facts: [
    { content: "User's name is Ada", tags: ['fact'], importance: 1, profile_attribute: { category: 'fact', key: 'name', value: 'Ada' } },
    { content: "User's favourite colour is teal", tags: ['preference'], importance: 0.7 },
  ],
};

/** The turn log's debug notes this test reads. */
interface Outputs {
  MEMORY_RETRIEVAL?: { 'memory-semantic'?: { method: string; memories: { id: string; text: string; score: number }[] } };
  CONTEXT_BUILD?: { 'memory-profile'?: { user: { key: string; value: unknown }[] } };
}

describe.each(backends)('memory end to end through the OpenAI API on $name', (backend) => {
  let up: ScriptedUpstream;
  let host: TestHost;
  let client: OpenAI;
  beforeAll(async () => {
    up = await createScriptedUpstream();
    host = await memoryHost(backend, { slot: 'knowledge-e2e', upstream: up, plugins: [transportOpenai, ...memoryPlugins], transports: true, settings: { turn_log: 'full' } });
    client = new OpenAI({ baseURL: `${host.get(transportOpenaiRef).url as string}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => {
    await host?.close();
    await up?.close();
  });

  const chat = (botId: string, user: string, content: string) =>
    client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content }], bot_id: botId, user } as OpenAI.ChatCompletionCreateParamsNonStreaming);
  const systemPromptOf = (i: number) => String(up.requests[i]?.body.messages.find((m: { role: string }) => m.role === 'system')?.content ?? '');

  it('a fact told in one turn reaches a later turn’s prompt, and the turn log names the memory and its score', async () => {
    const ada = freshUser('ada');
    up.script({ text: 'Lovely to meet you, Ada!' }, { text: JSON.stringify(FACTS) });
    const extracted = nextExtraction(host);
    await chat('nova', ada, "I'm Ada, and teal is my favourite colour.");
    const report = await extracted;
    const teal = report.actions.find((a) => a.content === "User's favourite colour is teal");
    expect(teal?.outcome).toBe('added');

    up.script({ text: 'Teal, of course.' });
    const asked = up.requests.length;
    const answer = await chat('nova', ada, 'What is my favourite colour?');
    expect(answer.choices[0]?.message.content).toBe('Teal, of course.');
    const system = systemPromptOf(asked);
    expect(system).toContain(`${MEMORY_HEADER}\n- User's favourite colour is teal`);
    expect(system).toContain('About the user:\n- name: Ada');
    expect(system.indexOf('About the user:')).toBeLessThan(system.indexOf(MEMORY_HEADER));

    const store = host.get(storeRef);
    const log = await eventually(async () => {
      const page = await store.turnLogs.list({ botId: 'nova', userId: ada });
      const latest = page.items.find((item) => item.responseText === 'Teal, of course.');
      return latest ? store.turnLogs.get(latest.id) : undefined;
    });
    const outputs = log?.outputs as Outputs | undefined;
    const recalled = outputs?.MEMORY_RETRIEVAL?.['memory-semantic'];
    expect(recalled?.method).toBe('vector');
    const entry = recalled?.memories.find((m) => m.id === teal?.memoryId);
    expect(entry).toMatchObject({ text: "User's favourite colour is teal", score: expect.any(Number) });
    expect(entry?.score).toBeGreaterThan(0);
    const profileNote = outputs?.CONTEXT_BUILD?.['memory-profile'];
    expect(profileNote?.user.map((a) => [a.key, a.value])).toEqual([['name', 'Ada']]);
  });

  it('another user and another bot never see those memories', async () => {
    const ada = freshUser('ada');
    up.script({ text: 'Hi Ada' }, { text: JSON.stringify(FACTS) });
    const extracted = nextExtraction(host);
    await chat('nova', ada, "I'm Ada, and teal is my favourite colour.");
    await extracted;

    for (const [bot, user] of [['nova', freshUser('bob')], ['mira', ada]] as const) {
      up.script({ text: 'No idea.' }, { text: JSON.stringify({ facts: [] }) });
      const seen = up.requests.length;
      const done = nextExtraction(host);
      await chat(bot, user, 'What is my favourite colour?');
      await done;
      const system = systemPromptOf(seen);
      expect(system).not.toContain('teal');
      expect(system).not.toContain('Ada');
    }
  });

  it('spark gets no memory section and leaves no rows', async () => {
    up.script({ text: 'Hello.' });
    const seen = up.requests.length;
    await chat('spark', freshUser(), 'My name is Ada. What is my favourite colour?');
    expect(systemPromptOf(seen)).toBe('You are Spark.');
    // A later nova turn's extraction runs after spark's POST_PROCESS had its chance to write.
    up.script({ text: 'ok' }, { text: JSON.stringify({ facts: [] }) });
    const done = nextExtraction(host);
    await chat('nova', freshUser(), 'Hello');
    await done;
    expect(await knowledgeRows(host, 'spark')).toEqual({ memories: 0, profile: 0 });
  });
});
