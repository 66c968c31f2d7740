import { createScriptedUpstream, type ScriptedUpstream } from '@llm-bawt/sdk/testing';
import type { HistoryScope } from '@llm-bawt/plugin-memory-history';
import { sessionsRef } from '@llm-bawt/plugin-memory-sessions';
import { SUMMARY_INSTRUCTIONS, summariesRef, type SummariesService } from '@llm-bawt/plugin-memory-summaries';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BOTS, backends, bootMemory, eventually, http, sentMessages, user, type MemoryHost } from '../../plugins/memory-history/test/kit.js';

const LLM_SUMMARY = 'Summary: Ada is planning a birthday party for her daughter Lena.\nKey Details:\n- Lena turns 7 on March 3.\nIntent: plan the party.\nTone: cheerful.\nOpen Loops: the cake.';

describe.each(backends)('summaries on $name', (backend) => {
  let up: ScriptedUpstream;
  let m: MemoryHost;
  let summaries: SummariesService;

  /** Stores a few exchanges in the active session of the scope; returns the session id. */
  async function seed(scope: HistoryScope, n = 2): Promise<string> {
    const session = await m.host.get(sessionsRef).getOrCreateActive(scope);
    const start = Date.now() - 3_600_000;
    await m.history.add(
      scope,
      Array.from({ length: n }, (_, i) => [`My daughter Lena turns 7 on March 3 (note ${i}).`, `How lovely, noted ${i}.`])
        .flat()
        .map((content, i) => ({ sessionId: session.id, role: i % 2 === 0 ? ('user' as const) : ('assistant' as const), content, createdAt: new Date(start + i * 1_000) })),
    );
    return session.id;
  }

  beforeAll(async () => {
    up = await createScriptedUpstream();
    m = await bootMemory(backend, up, {
      slot: 'summaries',
      transports: true,
      // mira summarizes on her own once 500 unsummarized tokens pile up, without a model.
      bots: BOTS.map((bot) => (bot.slug === 'mira' ? { ...bot, plugins: { 'memory-summaries': { triggerTokens: 500, protectedRecentTurns: 1, method: 'heuristic' } } } : bot)),
    });
    summaries = m.host.get(summariesRef);
  });
  afterAll(async () => {
    await m?.host.close();
    await up?.close();
    await backend.cleanup();
  });
  beforeEach(() => up.reset());

  it('summarizes a session with the bot\'s background model (method llm)', async () => {
    const scope = { botId: 'nova', userId: 'ada' };
    const sessionId = await seed(scope);
    up.script({ text: LLM_SUMMARY });
    const [summary, ...more] = await summaries.summarize(scope, { sessionId });
    expect(more).toEqual([]);
    expect(summary).toMatchObject({ method: 'llm', model: 'main', content: LLM_SUMMARY, sessionId, messageCount: 4, botId: 'nova', userId: 'ada' });
    expect(up.requests).toHaveLength(1);
    const body = up.requests[0]?.body;
    expect(body).toMatchObject({ model: 'main-model', max_tokens: 320, temperature: 0.3 });
    expect(sentMessages(up, 0)[0]).toEqual({ role: 'system', content: SUMMARY_INSTRUCTIONS });
    expect(sentMessages(up, 0)[1]?.content).toContain('USER: My daughter Lena turns 7 on March 3 (note 0).\n\nASSISTANT: How lovely, noted 0.');
    // Its messages are summarized now: nothing is left to summarize, and history shows the summary instead.
    expect(await m.history.forSummary(scope, { sessionId })).toEqual([]);
    expect((await m.history.getByIds(scope, summary?.messageIds ?? [])).every((msg) => msg.summarized)).toBe(true);
  });

  it('falls back to a heuristic summary when the model call fails or answers unusably', async () => {
    const scope = { botId: 'nova', userId: 'bo' };
    await seed(scope);
    up.script({ fault: { kind: 'status', status: 500 } });
    const [failed] = await summaries.summarize(scope, { sessionId: (await m.host.get(sessionsRef).getActive(scope))?.id as string });
    expect(failed).toMatchObject({ method: 'heuristic', model: null });
    expect(failed?.content).toMatch(/^Summary: A conversation of 4 messages \(2 from the user, 2 from the assistant\)/);
    expect(failed?.content).toContain('- My daughter Lena turns 7 on March 3 (note 0).');

    const other = { botId: 'nova', userId: 'cy' };
    const sessionId = await seed(other);
    up.script({ text: 'Error: the prompt exceeds the context window of this model.' });
    expect((await summaries.summarize(other, { sessionId }))[0]).toMatchObject({ method: 'heuristic' });
    expect(up.requests).toHaveLength(2);
  });

  it('leaves a session with fewer than two messages alone', async () => {
    const scope = { botId: 'nova', userId: 'dee' };
    const session = await m.host.get(sessionsRef).getOrCreateActive(scope);
    await m.history.add(scope, [{ sessionId: session.id, role: 'user', content: 'hi' }]);
    expect(await summaries.summarize(scope, { sessionId: session.id })).toEqual([]);
    expect(up.requests).toHaveLength(0);
  });

  it('/new summarizes the outgoing session; the next session starts with that summary', async () => {
    up.script({ text: 'Happy early birthday to Lena!' }, { text: LLM_SUMMARY }, { text: 'A unicorn cake!' });
    await m.turn({ botId: 'nova', userId: 'eli', messages: [user('My daughter Lena turns 7 on March 3.')] });
    const old = await m.host.get(sessionsRef).getActive({ botId: 'nova', userId: 'eli' });

    const { text, turn } = await m.turn({ botId: 'nova', userId: 'eli', messages: [user('/new')] });
    expect(text).toBe('Started a new conversation. The previous one is archived, and I kept a summary of it.');
    // One chat call for the first turn, one summary call for /new, no chat call for /new.
    expect(up.requests).toHaveLength(2);
    expect(sentMessages(up, 1)[0]?.content).toBe(SUMMARY_INSTRUCTIONS);
    const [summary] = await summaries.list({ botId: 'nova', userId: 'eli' });
    expect(summary).toMatchObject({ sessionId: old?.id, method: 'llm' });
    expect(turn.outputs.PRE_PROCESS).toMatchObject({ session: { archived: old?.id, summaries: [summary?.id] } });
    expect(await m.host.get(sessionsRef).get({ botId: 'nova', userId: 'eli' }, old?.id as string)).toMatchObject({ status: 'archived', metadata: { summary_ids: [summary?.id] } });

    await m.turn({ botId: 'nova', userId: 'eli', messages: [user('What cake should we get?')] });
    const sent = sentMessages(up, 2);
    expect(sent.map((x) => x.role)).toEqual(['system', 'user']);
    expect(sent[0]?.content).toContain(`summary id ${summary?.id}]\n${LLM_SUMMARY}`);
  });

  it('expands a summary back into its messages, through the service, HTTP and scoping', async () => {
    const scope = { botId: 'nova', userId: 'fin' };
    const sessionId = await seed(scope);
    const [summary] = await summaries.summarize(scope, { sessionId, method: 'heuristic' });
    const expanded = await summaries.expand(scope, summary?.id as string);
    expect(expanded?.messages.map((msg) => msg.content)).toEqual([
      'My daughter Lena turns 7 on March 3 (note 0).',
      'How lovely, noted 0.',
      'My daughter Lena turns 7 on March 3 (note 1).',
      'How lovely, noted 1.',
    ]);
    expect(await summaries.expand({ botId: 'nova', userId: 'someone-else' }, summary?.id as string)).toBeUndefined();
    expect(await summaries.expand({ botId: 'mira', userId: 'fin' }, summary?.id as string)).toBeUndefined();

    const viaHttp = await http(`${m.url}/v1/history/summaries/${summary?.id}?bot_id=nova&user=fin`, 'GET');
    expect(viaHttp.status).toBe(200);
    expect(viaHttp.json).toMatchObject({ id: summary?.id, object: 'history.summary', method: 'heuristic', message_count: 4 });
    expect(viaHttp.json.messages.map((msg: { content: string }) => msg.content)).toEqual(expanded?.messages.map((msg) => msg.content));
    expect((await http(`${m.url}/v1/history/summaries/${summary?.id}?bot_id=nova&user=gil`, 'GET')).status).toBe(404);

    // Deleting a summary puts its messages back into the raw history.
    expect((await http(`${m.url}/v1/history/summaries/${summary?.id}?bot_id=nova&user=fin`, 'DELETE')).status).toBe(204);
    expect(await m.history.forSummary(scope, { sessionId })).toHaveLength(4);
  });

  it('summarizes what falls out of the budget after a turn (rolling, per-bot config)', async () => {
    const scope = { botId: 'mira', userId: 'gwen' };
    await seed(scope, 25);
    expect(await m.history.unsummarizedTokens(scope)).toBeGreaterThan(500);
    up.script({ text: 'ok' });
    await m.turn({ botId: 'mira', userId: 'gwen', messages: [user('Anything else?')] });
    // The pass runs after the turn and may write several summaries: wait until it is within budget.
    const { tokens } = await eventually(async () => {
      const now = await m.history.unsummarizedTokens(scope);
      return now <= 500 ? { tokens: now } : undefined;
    });
    expect(tokens).toBeLessThanOrEqual(500);
    const [summary] = await summaries.list(scope);
    expect(summary).toMatchObject({ method: 'heuristic', botId: 'mira' });
    // Only the chat call went upstream: mira's summaries are heuristic.
    expect(up.requests).toHaveLength(1);
  });

  it('POST /v1/history/summarize runs the budget pass or one session', async () => {
    const scope = { botId: 'nova', userId: 'hana' };
    const sessionId = await seed(scope, 2);
    const none = await http(`${m.url}/v1/history/summarize`, 'POST', { bot_id: 'nova', user: 'hana', method: 'heuristic' });
    expect(none).toMatchObject({ status: 200, json: { object: 'list', data: [] } });
    const one = await http(`${m.url}/v1/history/summarize`, 'POST', { bot_id: 'nova', user: 'hana', session_id: sessionId, method: 'heuristic' });
    expect(one.status).toBe(200);
    expect(one.json.data).toEqual([expect.objectContaining({ object: 'history.summary', session_id: sessionId, method: 'heuristic', message_count: 4 })]);
    const listed = await http(`${m.url}/v1/history/summaries?bot_id=nova&user=hana`, 'GET');
    expect(listed.json.data.map((s: { id: string }) => s.id)).toEqual([one.json.data[0].id]);
  });
});
