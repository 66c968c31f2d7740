import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileRef, userEntity } from '@llm-bawt/plugin-memory-profile';
import { semanticRef } from '@llm-bawt/plugin-memory-semantic';
import { defineAgentBackend, definePlugin } from '@llm-bawt/sdk';
import { createScriptedUpstream, type ScriptedUpstream, type TestHost } from '@llm-bawt/sdk/testing';
import { backends } from '../../plugins/store-postgres/test/backends.js';
import { BOTS, freshUser, knowledgeRows, memoryHost, memoryPlugins, nextExtraction } from './knowledge-kit.js';

const USER_MSG = '44444444-4444-4444-8444-444444444444';
const BOT_MSG = '55555555-5555-4555-8555-555555555555';
const json = (value: unknown) => JSON.stringify(value);
const fact = (content: string, importance: number, tags: string[], profile?: { category: string; key: string; value: unknown }) => ({ content, tags, importance, ...(profile ? { profile_attribute: profile } : {}) });

describe.each(backends)('fact extraction through the background model on $name', (backend) => {
  let up: ScriptedUpstream;
  let host: TestHost;
  beforeAll(async () => {
    up = await createScriptedUpstream();
    host = await memoryHost(backend, { slot: 'knowledge-extraction', upstream: up });
  });
  afterAll(async () => {
    await host?.close();
    await up?.close();
  });

  /** Runs one nova turn for `user` and waits for its extraction report. */
  async function turn(user: string, text: string, ...steps: Parameters<ScriptedUpstream['script']>) {
    up.script(...steps);
    const seen = up.requests.length;
    const report = nextExtraction(host);
    const answer = await host.ask({ botId: 'nova', userId: user, messages: [{ role: 'user', content: text }], metadata: { user_message_id: USER_MSG, assistant_message_id: BOT_MSG } });
    return { answer, report: await report, requests: up.requests.slice(seen) };
  }

  it('ADD: stores the facts (importance >= 0.5) and writes the profile hints', async () => {
    const user = freshUser();
    const facts = {
      facts: [
        fact("User's name is Ada", 1, ['fact'], { category: 'fact', key: 'name', value: 'Ada' }),
        fact('User lives in Berlin', 0.8, ['fact'], { category: 'fact', key: 'location', value: 'Berlin' }),
        fact('User had toast for breakfast', 0.2, ['misc']),
      ],
    };
    const { report, requests } = await turn(user, "Hi, I'm Ada and I live in Berlin. Had toast today.", { text: 'Nice to meet you, Ada!' }, { text: `\`\`\`json\n${json(facts)}\n\`\`\`` });
    // The chat call, then one extraction call (no related memories yet, so no update call).
    expect(requests.map((r) => r.body.model)).toEqual(['chat-model', 'extract-model']);
    const prompt = requests[1]?.body.messages.at(-1).content as string;
    expect(prompt).toContain("[USER SAID]: Hi, I'm Ada and I live in Berlin. Had toast today.");
    expect(prompt).toContain('[ASSISTANT/BOT SAID - IGNORE FOR EXTRACTION]: Nice to meet you, Ada!');
    expect(report).toMatchObject({ method: 'llm', botId: 'nova', userId: user });
    expect(report.actions.map((a) => [a.action, a.outcome, a.content])).toEqual([
      ['ADD', 'added', "User's name is Ada"],
      ['ADD', 'added', 'User lives in Berlin'],
    ]);
    const stored = await host.get(semanticRef).listRecent({ botId: 'nova', userId: user });
    expect(stored.map((m) => [m.content, m.importance, m.tags, m.sourceMessageIds]).sort()).toEqual([
      ['User lives in Berlin', 0.8, ['fact'], [USER_MSG, BOT_MSG]],
      ["User's name is Ada", 1, ['fact'], [USER_MSG, BOT_MSG]],
    ]);
    const profile = await host.get(profileRef).list(userEntity('nova', user));
    // Listed by category, then confidence.
    expect(profile.map((a) => [a.key, a.value, a.source, a.confidence, a.sourceMessageId])).toEqual([
      ['name', 'Ada', 'inferred', 1, USER_MSG],
      ['location', 'Berlin', 'inferred', 0.8, USER_MSG],
    ]);
  });

  it('UPDATE supersedes the target, DELETE retires it, NONE writes nothing', async () => {
    const user = freshUser();
    const scope = { botId: 'nova', userId: user };
    const memories = host.get(semanticRef);
    const berlin = (await memories.store(scope, { content: 'User lives in Berlin', tags: ['fact'], importance: 0.8 })).memory;
    const cat = (await memories.store(scope, { content: 'User has a cat named Tom', tags: ['relationship'], importance: 0.8 })).memory;

    // UPDATE, naming the target by its full id.
    const paris = fact('User lives in Paris', 0.85, ['fact'], { category: 'fact', key: 'location', value: 'Paris' });
    const moved = await turn(user, 'I moved to Paris last month.', { text: 'Exciting!' }, { text: json({ facts: [paris] }) }, {
      text: json({ actions: [{ action: 'UPDATE', fact: paris, target_memory_id: berlin.id, reason: 'moved' }] }),
    });
    expect(moved.requests.map((r) => r.body.model)).toEqual(['chat-model', 'extract-model', 'extract-model']);
    const shown = JSON.parse(moved.requests[2]?.body.messages.at(-1).content as string) as { new_facts: unknown[]; existing_memories: { id: string; content: string }[] };
    expect(shown.new_facts).toEqual([{ content: 'User lives in Paris', tags: ['fact'], importance: 0.85 }]);
    expect(shown.existing_memories).toContainEqual({ id: expect.stringMatching(/^m\d+$/), content: 'User lives in Berlin', tags: ['fact'] });
    const update = moved.report.actions[0];
    expect(update).toMatchObject({ action: 'UPDATE', outcome: 'superseded', targetId: berlin.id, reason: 'moved' });
    expect(await memories.get(scope, berlin.id)).toMatchObject({ status: 'superseded', supersededBy: update?.memoryId });
    expect((await memories.chain(scope, berlin.id)).map((m) => m.content)).toEqual(['User lives in Berlin', 'User lives in Paris']);
    expect((await host.get(profileRef).get(userEntity('nova', user), { key: 'location' }))?.value).toBe('Paris');

    // DELETE, naming the target by an 8-character prefix.
    const gone = await turn(user, 'Sadly Tom the cat died.', { text: "I'm so sorry." }, { text: json({ facts: [fact('User no longer has a cat', 0.7, ['relationship'])] }) }, {
      text: json({ actions: [{ action: 'DELETE', target_memory_id: cat.id.slice(0, 8), reason: 'the cat died' }] }),
    });
    expect(gone.report.actions).toEqual([{ action: 'DELETE', outcome: 'deleted', targetId: cat.id, reason: 'the cat died' }]);
    expect((await memories.get(scope, cat.id))?.status).toBe('deleted');

    // NONE: nothing changes.
    const before = await knowledgeRows(host, 'nova');
    const none = await turn(user, 'As I said, I live in Paris.', { text: 'Right.' }, { text: json({ facts: [paris] }) }, { text: json({ actions: [{ action: 'NONE', fact: paris, reason: 'known' }] }) });
    expect(none.report.actions).toEqual([{ action: 'NONE', outcome: 'none', content: 'User lives in Paris', reason: 'known' }]);
    expect(await knowledgeRows(host, 'nova')).toEqual(before);
  });

  it('reads JSON the model wrapped in prose or wrote loosely', async () => {
    const user = freshUser();
    const loose = "Sure! Here are the facts:\n{facts: [{content: 'User likes green tea', tags: ['preference'], importance: 0.7,},],}\nLet me know.";
    const { report } = await turn(user, 'I like green tea.', { text: 'Noted.' }, { text: loose });
    expect(report.method).toBe('llm');
    expect(report.actions.map((a) => [a.action, a.outcome, a.content])).toEqual([['ADD', 'added', 'User likes green tea']]);
  });

  it('falls back to the heuristic on an answer outside the contract, and on a failing model', async () => {
    const user = freshUser();
    const prose = await turn(user, 'I love hiking in the mountains.', { text: 'Me too.' }, { text: "I'm not sure what facts you mean." });
    expect(prose.report).toMatchObject({ method: 'heuristic', fallback: 'the fact reply was not the JSON contract' });
    expect(prose.report.actions.map((a) => [a.action, a.outcome, a.content])).toEqual([['ADD', 'added', 'User loves hiking in the mountains']]);

    const failing = await turn(user, "My name is Grace. I'm allergic to peanuts.", { text: 'Noted, Grace.' }, { fault: { kind: 'status', status: 500 } });
    expect(failing.report.method).toBe('heuristic');
    expect(failing.report.fallback).toMatch(/^the background model failed: /);
    expect(failing.report.actions.map((a) => [a.action, a.content])).toEqual([
      ['ADD', "User's name is Grace"],
      ['ADD', 'User is allergic to peanuts'],
    ]);
    const profile = await host.get(profileRef).list(userEntity('nova', user));
    expect(profile.map((a) => [a.key, a.value, a.confidence])).toEqual([
      ['name', 'Grace', 1],
      ['allergies', 'peanuts', 0.9],
    ]);
  });

  it('spark (requires_memory: false) writes nothing and calls no background model', async () => {
    const before = await knowledgeRows(host);
    up.script({ text: 'Hi Ada.' });
    const seen = up.requests.length;
    await host.ask({ botId: 'spark', userId: freshUser(), messages: [{ role: 'user', content: 'My name is Ada and I live in Berlin.' }] });
    // A nova turn after it: its extraction report arrives after spark's POST_PROCESS had its chance.
    await turn(freshUser(), 'Hello there.', { text: 'Hello!' }, { text: json({ facts: [] }) });
    expect(up.requests.slice(seen).map((r) => r.body.model)).toEqual(['chat-model', 'chat-model', 'extract-model']);
    expect(await knowledgeRows(host, 'spark')).toEqual({ memories: 0, profile: 0 });
    expect(await knowledgeRows(host)).toEqual(before);
  });

  it('skips extraction when the runtime setting memory_extraction is off', async () => {
    const user = freshUser();
    up.script({ text: 'ok' });
    const seen = up.requests.length;
    await host.ask({ botId: 'nova', userId: user, settings: { memory_extraction: 'off' }, messages: [{ role: 'user', content: 'My name is Zed.' }] });
    await turn(freshUser(), 'Hello.', { text: 'Hi' }, { text: json({ facts: [] }) });
    expect(up.requests.slice(seen).map((r) => r.body.model)).toEqual(['chat-model', 'chat-model', 'extract-model']);
    expect(await host.get(semanticRef).listRecent({ botId: 'nova', userId: user })).toEqual([]);
  });
});

// No provider at all: the bots answer through an echo agent, so no background model is usable.
const echo = definePlugin({
  id: 'echo-agent',
  version: '0.1.0',
  sdk: '^0.1.0',
  contributes: {
    agents: [
      defineAgentBackend({
        id: 'echo',
        async *run() {
          yield { type: 'text', text: 'ok' };
          yield { type: 'finish', reason: 'stop' };
        },
      }),
    ],
  },
});

describe.each(backends)('heuristic extraction without a model on $name', (backend) => {
  let host: TestHost;
  beforeAll(async () => {
    host = await memoryHost(backend, {
      slot: 'knowledge-heuristic',
      plugins: [echo, ...memoryPlugins],
      bots: BOTS.map(({ default_model: _m, settings: _s, ...bot }) => ({ ...bot, agent_backend: 'echo' })),
    });
  });
  afterAll(() => host?.close());

  async function say(user: string, text: string) {
    const report = nextExtraction(host);
    await host.ask({ botId: 'nova', userId: user, messages: [{ role: 'user', content: text }] });
    return report;
  }

  it('finds facts by pattern, and a new value of a single-valued fact supersedes the old one', async () => {
    const user = freshUser();
    const scope = { botId: 'nova', userId: user };
    const first = await say(user, 'My name is Ada. I live in Berlin.');
    expect(first).toMatchObject({ method: 'heuristic', fallback: 'no usable background model' });
    expect(first.actions.map((a) => [a.action, a.outcome, a.content])).toEqual([
      ['ADD', 'added', "User's name is Ada"],
      ['ADD', 'added', 'User lives in Berlin'],
    ]);
    const berlin = first.actions[1]?.memoryId as string;

    const second = await say(user, "I've moved to Paris!");
    expect(second.actions.map((a) => [a.action, a.outcome, a.content, a.targetId])).toEqual([['UPDATE', 'superseded', 'User lives in Paris', berlin]]);
    expect((await host.get(semanticRef).chain(scope, berlin)).map((m) => [m.content, m.status])).toEqual([
      ['User lives in Berlin', 'superseded'],
      ['User lives in Paris', 'active'],
    ]);
    expect((await host.get(profileRef).get(userEntity('nova', user), { key: 'location' }))?.value).toBe('Paris');

    const third = await say(user, 'I live in Paris.');
    expect(third.actions.map((a) => [a.action, a.outcome])).toEqual([['NONE', 'none']]);
    const nothing = await say(user, 'What is the weather like?');
    expect(nothing.actions).toEqual([]);
  });
});
