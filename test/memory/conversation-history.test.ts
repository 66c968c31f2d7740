import { randomUUID } from 'node:crypto';
import { isLlmbError } from '@llm-bawt/sdk';
import { createScriptedUpstream, type ScriptedUpstream } from '@llm-bawt/sdk/testing';
import { countTokens, MESSAGE_OVERHEAD_TOKENS, type HistoryScope } from '@llm-bawt/plugin-memory-history';
import { sessionsRef } from '@llm-bawt/plugin-memory-sessions';
import { summariesRef } from '@llm-bawt/plugin-memory-summaries';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assistant, backends, bootMemory, sentMessages, user, type MemoryHost } from '../../plugins/memory-history/test/kit.js';

const tokens = (text: string) => countTokens(text) + MESSAGE_OVERHEAD_TOKENS;

describe.each(backends)('history on $name', (backend) => {
  let up: ScriptedUpstream;
  let m: MemoryHost;
  const contents = (i: number) => sentMessages(up, i).map((x) => x.content);

  /** Stores `n` exchanges in the active session of (nova, userId) and returns their texts. */
  async function seed(userId: string, n: number): Promise<string[]> {
    const scope = { botId: 'nova', userId };
    const session = await m.host.get(sessionsRef).getOrCreateActive(scope);
    const texts = Array.from({ length: n }, (_, i) => [`Question ${i}: what about the number ${i * 7}?`, `Answer ${i}: it is ${i * 7}, of course.`]).flat();
    const start = Date.now() - 3_600_000;
    await m.history.add(scope, texts.map((content, i) => ({ sessionId: session.id, role: i % 2 === 0 ? 'user' : 'assistant', content, createdAt: new Date(start + i * 1_000) })));
    return texts;
  }

  beforeAll(async () => {
    up = await createScriptedUpstream();
    m = await bootMemory(backend, up, { slot: 'history' });
  });
  afterAll(async () => {
    await m?.host.close();
    await up?.close();
    await backend.cleanup();
  });
  beforeEach(() => up.reset());

  it('stores a turn (user message, reply, reasoning) with the ids of request.metadata', async () => {
    const ids = { user_message_id: randomUUID(), assistant_message_id: randomUUID() };
    up.script({ text: 'Nice to meet you, Ada.', reasoning: 'She introduced herself.' });
    const { turn } = await m.turn({ botId: 'nova', userId: 'ada', messages: [user('Hi, I am Ada.')], metadata: ids });
    expect(turn.request.metadata).toMatchObject(ids);
    const stored = await m.history.recent({ botId: 'nova', userId: 'ada' });
    expect(stored).toEqual([
      expect.objectContaining({ id: ids.user_message_id, role: 'user', content: 'Hi, I am Ada.', sessionId: turn.request.sessionId, processed: false, summarized: false, reasoning: null, tokens: tokens('Hi, I am Ada.') }),
      expect.objectContaining({ id: ids.assistant_message_id, role: 'assistant', content: 'Nice to meet you, Ada.', reasoning: 'She introduced herself.' }),
    ]);
  });

  it('mints message ids when the client sends none, and refuses ids that are not UUIDs', async () => {
    up.script({ text: 'ok' });
    const { turn } = await m.turn({ botId: 'nova', userId: 'ids', messages: [user('hello')] });
    const minted = turn.request.metadata.assistant_message_id as string;
    expect(await m.history.getById({ botId: 'nova', userId: 'ids' }, minted)).toMatchObject({ role: 'assistant', content: 'ok' });

    const before = await m.memoryCounts();
    const error = await m.host.runTurn({ botId: 'nova', userId: 'ids', messages: [user('again')], metadata: { user_message_id: 'nope' } }).catch((e: unknown) => e);
    expect(isLlmbError(error) && { code: error.code, param: error.origin.param }).toEqual({ code: 'LLMB_ERR_INVALID_REQUEST', param: 'user_message_id' });
    expect(await m.memoryCounts()).toEqual(before);
    expect(up.requests).toHaveLength(1);
  });

  it('sends the stored history exactly once, even when the client resends the conversation', async () => {
    up.script({ text: 'Lisbon is lovely in May.' }, { text: 'About two weeks.' }, { text: 'Pack light.' });
    await m.turn({ botId: 'nova', userId: 'bea', messages: [user('I am going to Lisbon in May.')] });
    // A client that keeps and resends the transcript (with its own, edited, copy of the reply).
    await m.turn({ botId: 'nova', userId: 'bea', messages: [{ role: 'system', content: 'Client says: be brief.' }, user('I am going to Lisbon in May.'), assistant('(edited) Lisbon!'), user('How long should I stay?')] });
    expect(sentMessages(up, 1)).toEqual([
      { role: 'system', content: 'You are Nova.' },
      { role: 'system', content: 'Client says: be brief.' },
      { role: 'user', content: 'I am going to Lisbon in May.' },
      { role: 'assistant', content: 'Lisbon is lovely in May.' },
      { role: 'user', content: 'How long should I stay?' },
    ]);
    // A client that sends only the new message gets the same conversation.
    await m.turn({ botId: 'nova', userId: 'bea', messages: [user('What should I pack?')] });
    expect(contents(2)).toEqual(['You are Nova.', 'I am going to Lisbon in May.', 'Lisbon is lovely in May.', 'How long should I stay?', 'About two weeks.', 'What should I pack?']);
    expect((await m.history.recent({ botId: 'nova', userId: 'bea' }, { limit: 50 })).map((r) => r.content)).toEqual([
      'I am going to Lisbon in May.',
      'Lisbon is lovely in May.',
      'How long should I stay?',
      'About two weeks.',
      'What should I pack?',
      'Pack light.',
    ]);
  });

  it('stores a [Tool Results] system row when server tools ran, and replays it', async () => {
    up.script({ toolCalls: [{ id: 'call_1', name: 'history', arguments: { action: 'recent', n_results: 2 } }] }, { text: 'Nothing yet.' }, { text: 'ok' });
    await m.turn({ botId: 'toolbot', userId: 'tom', messages: [user('What did we talk about?')] });
    const rows = await m.history.recent({ botId: 'toolbot', userId: 'tom' });
    expect(rows.map((r) => r.role)).toEqual(['user', 'system', 'assistant']);
    expect(rows[1]?.content).toMatch(/^\[Tool Results @ \d{4}-\d{2}-\d{2}T[\d:.]+Z\]\n- history \{"action":"recent","n_results":2\} -> No stored messages yet\.$/);
    await m.turn({ botId: 'toolbot', userId: 'tom', messages: [user('thanks')] });
    expect(sentMessages(up, 2).slice(1).map((x) => x.role)).toEqual(['user', 'system', 'assistant', 'user']);
  });

  it('keeps the conversation within history_tokens: the oldest messages are cut first', async () => {
    const texts = await seed('cal', 10);
    const question = 'And the next one?';
    const budget = tokens(question) + texts.slice(-4).reduce((sum, t) => sum + tokens(t), 0);
    up.script({ text: 'Seventy.' });
    const { turn } = await m.turn({ botId: 'nova', userId: 'cal', messages: [user(question)], settings: { history_tokens: budget } });
    expect(contents(0)).toEqual(['You are Nova.', ...texts.slice(-4), question]);
    expect(turn.outputs.HISTORY_FILTER).toMatchObject({ history: { budgetTokens: budget, storedMessages: 4, droppedMessages: 16, newMessages: 1 } });
    // One token less and the oldest kept exchange goes (never half of it: history opens with a user message).
    up.script({ text: 'ok' });
    await m.turn({ botId: 'nova', userId: 'cal', messages: [user(question)], settings: { history_tokens: budget - 1, include_summaries: false } });
    expect(contents(1).slice(1, 3)).toEqual([texts.at(-2), texts.at(-1)]);
  });

  it('substitutes a summary for what was summarized, and lists it in the turn log', async () => {
    const scope: HistoryScope = { botId: 'nova', userId: 'dan' };
    const texts = await seed('dan', 6);
    const made = await m.host.get(summariesRef).summarize(scope, { method: 'heuristic', config: { triggerTokens: 500, protectedRecentTurns: 2 } });
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ method: 'heuristic', messageCount: 8, messageIds: expect.any(Array) });

    up.script({ text: 'Forty-two.' });
    const { turn } = await m.turn({ botId: 'nova', userId: 'dan', messages: [user('Remind me of question 1?')] });
    const [system, ...rest] = sentMessages(up, 0);
    expect(system?.content).toMatch(new RegExp(`^You are Nova\\.\\n\\n## Earlier conversation\\n.*\\n\\n\\[Previous conversation 1 hour ago; summary id ${made[0]?.id}\\]\\nSummary: A conversation of 8 messages`, 's'));
    expect(rest.map((x) => x.content)).toEqual([...texts.slice(-4), 'Remind me of question 1?']);
    expect(turn.outputs.HISTORY_FILTER).toMatchObject({ summaries: [{ id: made[0]?.id, method: 'heuristic', messages: 8 }], history: { storedMessages: 4, droppedMessages: 0 } });

    // include_summaries: false leaves them out for one turn.
    up.script({ text: 'ok' });
    await m.turn({ botId: 'nova', userId: 'dan', messages: [user('again')], includeSummaries: false });
    expect(contents(1)[0]).toBe('You are Nova.');
  });

  it('sends only the new message when skip_history is decided', async () => {
    await seed('eve', 2);
    up.script({ text: 'ok' });
    await m.turn({ botId: 'nova', userId: 'eve', messages: [user('fresh question')], decisions: { skip_history: true } });
    expect(contents(0)).toEqual(['You are Nova.', 'fresh question']);
  });

  it('forgets the last N messages, the last N minutes or by id, and restores them', async () => {
    const scope = { botId: 'nova', userId: 'fred' };
    const texts = await seed('fred', 3);
    const last = await m.history.forgetLast(scope, 2);
    expect(last.map((r) => r.content)).toEqual(texts.slice(-2));
    up.script({ text: 'ok' });
    await m.turn({ botId: 'nova', userId: 'fred', messages: [user('What did I ask last?')] });
    expect(contents(0)).toEqual(['You are Nova.', ...texts.slice(0, 4), 'What did I ask last?']);

    const restored = await m.history.restore(scope, { ids: last.map((r) => r.id) });
    expect(restored.map((r) => r.content)).toEqual(texts.slice(-2));
    const all = await m.history.recent(scope, { limit: 50 });
    expect(all.map((r) => r.content).slice(0, 6)).toEqual(texts);

    const recent = await m.history.forgetRecent(scope, 1);
    expect(recent.map((r) => r.content)).toEqual(['What did I ask last?', 'ok']);
    const byId = await m.history.forgetByIds(scope, [all[0]?.id as string, randomUUID()]);
    expect(byId.map((r) => r.content)).toEqual([texts[0]]);
    expect((await m.history.restore(scope, { last: 3 })).map((r) => r.content)).toEqual([texts[0], 'What did I ask last?', 'ok']);
    expect((await m.history.recent(scope, { limit: 50 })).map((r) => r.content)).toEqual([...texts, 'What did I ask last?', 'ok']);
  });

  it('searches by words and by exact substrings such as ticket ids', async () => {
    const scope = { botId: 'nova', userId: 'gia' };
    await m.history.add(scope, [
      { role: 'user', content: 'The deployment of TASK-241 failed on Tuesday.' },
      { role: 'assistant', content: 'Let us look at the deployment logs.' },
      { role: 'user', content: 'My favourite bakery sells cardamom buns.' },
    ]);
    const words = await m.history.search(scope, { q: 'Do you remember the deployments?' });
    expect(words.map((h) => h.content).sort()).toEqual(['Let us look at the deployment logs.', 'The deployment of TASK-241 failed on Tuesday.']);
    expect(words.every((h) => h.mode === 'text')).toBe(true);
    expect(words.every((h) => h.score > 0)).toBe(true);
    const ticket = await m.history.search(scope, { q: 'TASK-241', mode: 'substring' });
    expect(ticket.map((h) => h.content)).toEqual(['The deployment of TASK-241 failed on Tuesday.']);
    expect(await m.history.search(scope, { q: 'cardamom', role: 'assistant' })).toEqual([]);
    expect((await m.history.search(scope, { q: 'amom b' })).map((h) => [h.content, h.mode])).toEqual([['My favourite bakery sells cardamom buns.', 'substring']]);
    expect(await m.history.search({ botId: 'mira', userId: 'gia' }, { q: 'deployment' })).toEqual([]);
  });

  it('reads a window around a message in its session', async () => {
    const scope = { botId: 'nova', userId: 'hal' };
    const texts = await seed('hal', 5);
    const all = await m.history.recent(scope, { limit: 50 });
    const around = await m.history.around(scope, all[4]?.id as string, { before: 2, after: 1 });
    expect(around?.map((r) => r.content)).toEqual(texts.slice(2, 6));
    expect(await m.history.around({ botId: 'nova', userId: 'other' }, all[4]?.id as string)).toBeUndefined();
  });

  it('serves the history tool: search, recall of a summary and forget', async () => {
    const scope = { botId: 'toolbot', userId: 'ivy' };
    const session = await m.host.get(sessionsRef).getOrCreateActive(scope);
    await m.history.add(scope, [
      { sessionId: session.id, role: 'user', content: 'My sister Ines lives in Porto.' },
      { sessionId: session.id, role: 'assistant', content: 'Porto is beautiful.' },
    ]);
    const [summary] = await m.host.get(summariesRef).summarize(scope, { sessionId: session.id, method: 'heuristic' });
    up.script(
      { toolCalls: [{ id: 'c1', name: 'history', arguments: { action: 'search', query: 'Ines' } }] },
      { toolCalls: [{ id: 'c2', name: 'history', arguments: { action: 'recall', summary_id: summary?.id } }] },
      { toolCalls: [{ id: 'c3', name: 'history', arguments: { action: 'forget', count: 1 } }] },
      { text: 'Done.' },
    );
    const { turn } = await m.turn({ botId: 'toolbot', userId: 'ivy', messages: [user('Where does my sister live?')] });
    const [search, recall, forget] = turn.toolRuns;
    expect(search?.result).toMatch(/^1 message\(s\):\n\[.+ UTC\] user: My sister Ines lives in Porto\. \(id [0-9a-f-]{36}\)$/);
    expect(recall?.result).toContain(`Summary ${summary?.id} covers 2 message(s):`);
    expect(recall?.result).toContain('assistant: Porto is beautiful.');
    expect(forget?.result).toBe('Forgot 1 message(s); they can be restored.');
  });
});
