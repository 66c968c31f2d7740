import { randomUUID } from 'node:crypto';
import { isLlmbError, type LlmbError } from '@llm-bawt/sdk';
import { createScriptedUpstream, type ScriptedUpstream } from '@llm-bawt/sdk/testing';
import { storeRef } from '@llm-bawt/plugin-store-postgres';
import { sessionsRef, type SessionsService } from '@llm-bawt/plugin-memory-sessions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends, bootMemory, eventually, sentMessages, user, type MemoryHost } from '../../plugins/memory-history/test/kit.js';

async function rejection(promise: Promise<unknown>): Promise<LlmbError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isLlmbError(error)) throw new Error(`expected a coded error, got ${String(error)}`);
  return error;
}

describe.each(backends)('sessions on $name', (backend) => {
  let up: ScriptedUpstream;
  let m: MemoryHost;
  let sessions: SessionsService;
  const activeCount = async (botId: string, userId: string) => {
    const rows = (await m.host.get(storeRef).em().getConnection().execute("SELECT count(*)::int AS n FROM sessions WHERE bot_id = ? AND user_id = ? AND status = 'active'", [botId, userId])) as { n: number }[];
    return rows[0]?.n;
  };

  beforeAll(async () => {
    up = await createScriptedUpstream();
    // Without memory-summaries: /new archives without a summary and never calls a model.
    m = await bootMemory(backend, up, { slot: 'sessions', layers: ['history', 'sessions'] });
    sessions = m.host.get(sessionsRef);
  });
  afterAll(async () => {
    await m?.host.close();
    await up?.close();
    await backend.cleanup();
  });
  beforeEach(() => up.reset());
  const ask = (sessionId: string) => m.host.runTurn({ botId: 'nova', userId: 'ada', sessionId, messages: [user('hello?')] });

  it('keeps exactly one active session per bot and user under concurrency', async () => {
    const scope = { botId: 'nova', userId: 'racer' };
    const opened = await Promise.all(Array.from({ length: 12 }, () => sessions.getOrCreateActive(scope)));
    expect(new Set(opened.map((s) => s.id)).size).toBe(1);
    expect(await activeCount('nova', 'racer')).toBe(1);

    const rotations = await Promise.all([...Array.from({ length: 4 }, () => sessions.rotate(scope)), ...Array.from({ length: 6 }, () => sessions.getOrCreateActive(scope))]);
    expect(rotations).toHaveLength(10);
    expect(await activeCount('nova', 'racer')).toBe(1);
    const page = await sessions.list(scope, { status: ['active', 'archived'], limit: 100 });
    expect(page.sessions.filter((s) => s.status === 'active')).toHaveLength(1);
    expect(page.sessions.some((s) => s.id === opened[0]?.id && s.status === 'archived')).toBe(true);
    // Another user of the same bot has their own active session.
    expect(await activeCount('nova', 'someone-else')).toBe(0);
  });

  it('runs every turn of a memory bot in the active session, made on first use', async () => {
    up.script({ text: 'hello' });
    const { turn } = await m.turn({ botId: 'nova', userId: 'ada', messages: [user('Hi')] });
    const active = await sessions.getActive({ botId: 'nova', userId: 'ada' });
    expect(turn.request.sessionId).toBe(active?.id);
    expect(turn.outputs.PRE_PROCESS).toMatchObject({ session: { id: active?.id, status: 'active', explicit: false } });
    const stored = await m.history.recent({ botId: 'nova', userId: 'ada' });
    expect(stored.map((s) => s.sessionId)).toEqual([active?.id, active?.id]);
  });

  it('honours an explicit session_id: 404 when unknown or not this user or bot, 410 when deleted', async () => {
    const mine = (await sessions.create({ botId: 'nova', userId: 'ada' }, { activate: false, title: 'Side thread' })).session;
    const othersUser = await sessions.getOrCreateActive({ botId: 'nova', userId: 'bob' });
    const othersBot = await sessions.getOrCreateActive({ botId: 'mira', userId: 'ada' });

    for (const sessionId of [randomUUID(), 'not-a-uuid', othersUser.id, othersBot.id]) {
      const error = await rejection(ask(sessionId));
      expect(error).toMatchObject({ code: 'LLMB_ERR_NOT_FOUND', status: 404 });
      expect(error.origin.param).toBe('session_id');
    }
    await sessions.delete({ botId: 'nova', userId: 'ada' }, mine.id);
    const gone = await rejection(ask(mine.id));
    expect(gone).toMatchObject({ code: 'LLMB_ERR_GONE', status: 410 });
    expect(up.requests).toHaveLength(0);
  });

  it('reads and writes an explicit session, apart from the active one', async () => {
    const scope = { botId: 'nova', userId: 'carla' };
    up.script({ text: 'main reply' }, { text: 'side reply' }, { text: 'side again' });
    await m.turn({ botId: 'nova', userId: 'carla', messages: [user('main thread message')] });
    const side = (await sessions.create(scope, { activate: false })).session;
    await m.turn({ botId: 'nova', userId: 'carla', sessionId: side.id, messages: [user('side thread message')] });
    await m.turn({ botId: 'nova', userId: 'carla', sessionId: side.id, messages: [user('and again')] });
    expect(sentMessages(up, 2).map((x) => x.content)).toEqual(['You are Nova.', 'side thread message', 'side reply', 'and again']);
    const sideRows = await m.history.recent(scope, { sessionId: side.id });
    expect(sideRows.map((r) => r.content)).toEqual(['side thread message', 'side reply', 'and again', 'side again']);
    expect((await sessions.getActive(scope))?.id).not.toBe(side.id);
  });

  it('/new archives the session, opens a successor and answers without calling the model', async () => {
    const scope = { botId: 'nova', userId: 'dora' };
    up.script({ text: 'Noted.' });
    await m.turn({ botId: 'nova', userId: 'dora', messages: [user('My cat is called Miso.')] });
    const before = await sessions.getActive(scope);
    up.reset();

    const { text, turn } = await m.turn({ botId: 'nova', userId: 'dora', messages: [user('/new')] });
    expect(text).toBe('Started a new conversation. The previous one is archived.');
    expect(up.requests).toHaveLength(0);
    const after = await sessions.getActive(scope);
    expect(after?.id).not.toBe(before?.id);
    expect(after?.metadata).toMatchObject({ predecessor: before?.id });
    expect(await sessions.get(scope, before?.id as string)).toMatchObject({ status: 'archived', metadata: { successor: after?.id } });
    expect(turn.outputs.PRE_PROCESS).toMatchObject({ session: { command: '/new', archived: before?.id, active: after?.id } });
    // The command itself is not conversation: nothing of it is stored.
    expect((await m.history.recent(scope, { limit: 50 })).map((r) => r.content)).toEqual(['My cat is called Miso.', 'Noted.']);

    up.script({ text: 'Fresh start.' });
    await m.turn({ botId: 'nova', userId: 'dora', messages: [user('What is my cat called?')] });
    expect(sentMessages(up, 0).map((x) => x.content)).toEqual(['You are Nova.', 'What is my cat called?']);
  });

  it('/new with a title names the successor', async () => {
    const { text } = await m.turn({ botId: 'nova', userId: 'erin', messages: [user('/new   Trip   planning')] });
    expect(text).toBe('Started a new conversation: "Trip planning".');
    expect(await sessions.getActive({ botId: 'nova', userId: 'erin' })).toMatchObject({ title: 'Trip planning', metadata: { title_source: 'user' } });
    expect(up.requests).toHaveLength(0);
  });

  it('titles a session from its first user message, once, without a model call', async () => {
    const scope = { botId: 'nova', userId: 'fay' };
    up.script({ text: 'Sure.' }, { text: 'Also sure.' });
    await m.turn({ botId: 'nova', userId: 'fay', messages: [user('Help me plan a two-week trip to Lisbon and Porto in May with my sister')] });
    const titled = await eventually(async () => (await sessions.getActive(scope))?.title);
    expect(titled).toBe('Help me plan a two-week trip to Lisbon and Porto in May…');
    await m.turn({ botId: 'nova', userId: 'fay', messages: [user('Something else entirely')] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await sessions.getActive(scope)).toMatchObject({ title: titled, metadata: { title_source: 'auto' } });
    expect(up.requests).toHaveLength(2);
  });

  it('closes and deletes sessions without deleting their messages', async () => {
    const scope = { botId: 'nova', userId: 'gus' };
    up.script({ text: 'ok' });
    await m.turn({ botId: 'nova', userId: 'gus', messages: [user('keep me')] });
    const active = (await sessions.getActive(scope)) as { id: string };
    expect(await sessions.close(scope, active.id)).toMatchObject({ status: 'archived', endedAt: expect.any(Date) });
    expect(await sessions.getActive(scope)).toBeUndefined();
    expect(await sessions.delete(scope, active.id)).toMatchObject({ status: 'deleted' });
    expect((await rejection(sessions.resolve(scope, active.id))).code).toBe('LLMB_ERR_GONE');
    expect((await m.history.recent(scope)).map((r) => r.content)).toEqual(['keep me', 'ok']);
    expect((await sessions.list(scope)).sessions).toEqual([]);
    expect((await sessions.list(scope, { status: 'deleted' })).sessions.map((s) => s.id)).toEqual([active.id]);
  });
});
