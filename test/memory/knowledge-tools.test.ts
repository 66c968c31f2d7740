import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botEntity, profileRef, profileTool, selfTool, userEntity } from '@llm-bawt/plugin-memory-profile';
import { memoryTool, semanticRef } from '@llm-bawt/plugin-memory-semantic';
import { coreRefs, silentLogger, type ToolContext } from '@llm-bawt/sdk';
import { createScriptedUpstream, type ScriptedUpstream, type TestHost } from '@llm-bawt/sdk/testing';
import { backends } from '../../plugins/store-postgres/test/backends.js';
import { freshUser, knowledgeRows, memoryHost, nextExtraction } from './knowledge-kit.js';

const errorOf = async (work: unknown) => ((await Promise.resolve(work).then(() => undefined, (e: unknown) => e)) as Error | undefined)?.message;

describe.each(backends)('memory, profile and self tools on $name', (backend) => {
  let up: ScriptedUpstream;
  let host: TestHost;
  beforeAll(async () => {
    up = await createScriptedUpstream();
    host = await memoryHost(backend, { slot: 'knowledge-tools', upstream: up });
  });
  afterAll(async () => {
    await host?.close();
    await up?.close();
  });

  const ctxFor = (botId: string, userId: string): ToolContext => ({
    bot: host.get(coreRefs.bots).get(botId)!,
    userId,
    signal: new AbortController().signal,
    logger: silentLogger,
    get: (ref) => host.get(ref),
  });

  it('the model stores and searches memories through the tool loop, within its bot and user', async () => {
    const x = freshUser('x');
    up.script(
      { toolCalls: [{ name: 'memory', arguments: { action: 'store', content: 'User owns a red bike', tags: ['fact'], importance: 0.7 } }] },
      { text: 'Noted.' },
      { text: JSON.stringify({ facts: [] }) },
    );
    const seen = up.requests.length;
    const extracted = nextExtraction(host);
    const stored = await host.ask({ botId: 'nova', userId: x, messages: [{ role: 'user', content: 'Remember that I own a red bike.' }] });
    await extracted;
    expect(up.requests[seen]?.body.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(expect.arrayContaining(['memory', 'profile', 'self']));
    expect(stored.turn.toolRuns[0]).toMatchObject({ name: 'memory' });
    expect(JSON.parse(stored.turn.toolRuns[0]?.result as string)).toMatchObject({ stored: { content: 'User owns a red bike', tags: ['fact'], importance: 0.7 } });
    expect((await host.get(semanticRef).listRecent({ botId: 'nova', userId: x })).map((m) => m.content)).toEqual(['User owns a red bike']);

    for (const [botId, userId] of [['nova', freshUser('y')], ['mira', x]] as const) {
      up.script({ toolCalls: [{ name: 'memory', arguments: { action: 'search', query: 'What bike do I own?' } }] }, { text: 'No idea.' }, { text: JSON.stringify({ facts: [] }) });
      const done = nextExtraction(host);
      const searched = await host.ask({ botId, userId, messages: [{ role: 'user', content: 'Which bike do I own?' }] });
      await done;
      expect(JSON.parse(searched.turn.toolRuns[0]?.result as string)).toEqual({ count: 0, memories: [] });
    }
  });

  it('spark is offered no memory tools', async () => {
    up.script({ text: 'Hi.' });
    const seen = up.requests.length;
    await host.ask({ botId: 'spark', userId: freshUser(), messages: [{ role: 'user', content: 'Hello' }] });
    const tools = (up.requests[seen]?.body.tools ?? []).map((t: { function: { name: string } }) => t.function.name);
    expect(tools).not.toContain('memory');
    expect(tools).not.toContain('profile');
    expect(tools).not.toContain('self');
  });

  it('memory tool: store, search, update (supersede) and delete, scoped to the caller', async () => {
    const x = ctxFor('nova', freshUser('x'));
    const y = ctxFor('nova', freshUser('y'));
    const stored = (await memoryTool.run({ action: 'store', content: 'User grows tomatoes', n_results: 5, importance: 0.6 }, x)) as { stored: { id: string } };
    const id = stored.stored.id;
    const found = (await memoryTool.run({ action: 'search', query: 'What do I grow? tomatoes?', n_results: 5, importance: 0.6 }, x)) as { count: number; memories: { id: string; score: number }[] };
    expect(found.count).toBe(1);
    expect(found.memories[0]).toMatchObject({ id, score: expect.any(Number) });
    expect(await memoryTool.run({ action: 'search', query: 'tomatoes', n_results: 5, importance: 0.6 }, y)).toEqual({ count: 0, memories: [] });
    expect(await errorOf(memoryTool.run({ action: 'update', memory_id: id, content: 'User grows cucumbers', n_results: 5, importance: 0.6 }, y))).toMatch(/no memory/);
    expect(await errorOf(memoryTool.run({ action: 'delete', memory_id: id, n_results: 5, importance: 0.6 }, y))).toMatch(/no memory/);
    const updated = (await memoryTool.run({ action: 'update', memory_id: id.slice(0, 8), content: 'User grows tomatoes and basil', n_results: 5, importance: 0.6 }, x)) as { updated: { id: string }; superseded: string };
    expect(updated.superseded).toBe(id);
    expect(await memoryTool.run({ action: 'delete', memory_id: updated.updated.id, n_results: 5, importance: 0.6 }, x)).toEqual({ deleted: updated.updated.id });
    expect(await errorOf(memoryTool.run({ action: 'store', n_results: 5, importance: 0.6 }, x))).toBe('store needs content');
    expect(await errorOf(memoryTool.run({ action: 'search', n_results: 5, importance: 0.6 }, x))).toBe('search needs a query');
    const before = await knowledgeRows(host, 'spark');
    expect(await errorOf(memoryTool.run({ action: 'store', content: 'User x', n_results: 5, importance: 0.6 }, ctxFor('spark', 'u')))).toMatch(/keeps no memory/);
    expect(await knowledgeRows(host, 'spark')).toEqual(before);
  });

  it('profile tool: user attributes per bot and user; self tool: the bot’s own traits', async () => {
    const userX = freshUser('x');
    const x = ctxFor('nova', userX);
    const created = (await profileTool.run({ action: 'set', key: 'Favourite Food', value: 'ramen', confidence: 0.8 }, x)) as { created: { id: string; key: string; category: string } };
    expect(created.created).toMatchObject({ key: 'favourite_food', category: 'fact' });
    expect(await profileTool.run({ action: 'get', key: 'favourite_food', confidence: 0.8 }, x)).toMatchObject({ value: 'ramen', source: 'explicit' });
    expect(await profileTool.run({ action: 'update', attribute_id: created.created.id, value: 'udon', confidence: 0.8 }, x)).toMatchObject({ updated: { value: 'udon' } });
    expect(await errorOf(profileTool.run({ action: 'update', key: 'shoe_size', value: 42, confidence: 0.8 }, x))).toMatch(/use action "set"/);
    expect(await profileTool.run({ action: 'get', confidence: 0.8 }, ctxFor('nova', freshUser('y')))).toEqual({ count: 0, attributes: [] });
    expect(await profileTool.run({ action: 'get', confidence: 0.8 }, ctxFor('mira', userX))).toEqual({ count: 0, attributes: [] });
    expect(await profileTool.run({ action: 'get', key: 'favourite_food', confidence: 0.8 }, ctxFor('mira', userX))).toEqual({ found: false, message: 'no such attribute' });

    expect(await selfTool.run({ action: 'set', key: 'humor', value: 'dry' }, x)).toMatchObject({ created: { category: 'personality', key: 'humor', value: 'dry' } });
    // Traits belong to the bot: every user of nova sees them, mira does not.
    expect(await selfTool.run({ action: 'get' }, ctxFor('nova', freshUser('z')))).toMatchObject({ count: 1, attributes: [{ key: 'humor' }] });
    expect(await selfTool.run({ action: 'get' }, ctxFor('mira', userX))).toEqual({ count: 0, attributes: [] });
    expect((await host.get(profileRef).list(botEntity('nova'))).map((a) => a.key)).toContain('humor');

    expect(await profileTool.run({ action: 'delete', key: 'favourite_food', confidence: 0.8 }, x)).toEqual({ deleted: 1 });
    expect(await errorOf(profileTool.run({ action: 'delete', key: 'favourite_food', confidence: 0.8 }, x))).toBe('no such attribute');
    expect(await errorOf(selfTool.run({ action: 'set', key: 'humor', value: 'loud' }, ctxFor('spark', 'u')))).toMatch(/keeps no memory/);
    expect(await knowledgeRows(host, 'spark')).toEqual({ memories: 0, profile: 0 });
  });

  it('an inferred value never overwrites one the user stated', async () => {
    const entity = userEntity('nova', freshUser());
    const profiles = host.get(profileRef);
    await profiles.set(entity, { category: 'fact', key: 'name', value: 'Ada', source: 'explicit', confidence: 1 });
    const inferred = await profiles.set(entity, { category: 'fact', key: 'name', value: 'Adam', source: 'inferred', confidence: 0.9 });
    expect(inferred).toMatchObject({ changed: false, created: false, attribute: { value: 'Ada', source: 'explicit' } });
    const stated = await profiles.set(entity, { category: 'fact', key: 'name', value: 'Ada L.', source: 'explicit' });
    expect(stated).toMatchObject({ changed: true, attribute: { value: 'Ada L.' } });
  });

  it('renders "About the user" and "Your developed traits" for memory bots only', async () => {
    const user = freshUser();
    const profiles = host.get(profileRef);
    await profiles.set(userEntity('nova', user), { category: 'fact', key: 'name', value: 'Ada' });
    await profiles.set(userEntity('nova', user), { category: 'preference', key: 'drinks', value: ['tea', 'water'] });
    await profiles.set(botEntity('nova'), { category: 'personality', key: 'curiosity', value: 'high' });
    await profiles.set(userEntity('mira', user), { category: 'fact', key: 'name', value: 'Not for nova' });

    const system = async (botId: string, extra: Record<string, unknown> = {}) => {
      up.script({ text: 'ok' }, { text: JSON.stringify({ facts: [] }) });
      const seen = up.requests.length;
      await host.ask({ botId, userId: user, messages: [{ role: 'user', content: 'Hi' }], ...extra });
      return String(up.requests[seen]?.body.messages[0]?.content);
    };
    const nova = await system('nova');
    expect(nova).toContain('About the user:\n- name: Ada\n- preference/drinks: tea, water');
    expect(nova).toContain('Your developed traits:\n');
    expect(nova).toContain('- personality/curiosity: high');
    expect(nova).not.toContain('Not for nova');
    expect(nova.indexOf('About the user:')).toBeLessThan(nova.indexOf('Your developed traits:'));
    const off = await system('nova', { decisions: { use_memory: false } });
    expect(off).not.toContain('About the user');
    expect(await system('spark')).toBe('You are Spark.');
  });
});
