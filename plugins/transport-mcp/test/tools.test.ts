import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { FAMILIES, transportMcpRef } from '../src/index.js';
import { historyRef, semanticRef } from '../src/services.js';
import { backends, bootMcp, call, callError, type McpHost } from './kit.js';

// One host with every plugin that serves MCP tools, on PGlite; effects are checked through
// the HTTP API (/v1/*) and the tables themselves.
const pglite = backends.find((b) => b.name === 'pglite');

let booted: McpHost;
let client: Client;
beforeAll(async () => {
  booted = await bootMcp(pglite, { http: true, slot: 'tools' });
  client = await booted.connect();
});
afterAll(() => booted?.close());

const api = async (path: string) => {
  const res = await fetch(`${booted.apiUrl}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as any;
};
const nova = { bot_id: 'nova', user_id: 'ana' };

describe('tools/list', () => {
  it('serves every family with at least 60 tools, each with a JSON Schema input taking bot_id and user_id, and both hints', async () => {
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(60);
    const state = booted.host.get(transportMcpRef);
    expect(Object.keys(state.toolbox.families()).sort()).toEqual([...FAMILIES].sort());
    for (const tool of tools) {
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(Object.keys(tool.inputSchema.properties ?? {}), tool.name).toEqual(expect.arrayContaining(['bot_id', 'user_id']));
      expect(typeof tool.annotations?.readOnlyHint, tool.name).toBe('boolean');
      expect(typeof tool.annotations?.destructiveHint, tool.name).toBe('boolean');
      expect(tool.description?.length, tool.name).toBeGreaterThan(10);
    }
    const names = tools.map((t) => t.name);
    // The tool loop's own tools, served as they are.
    expect(names).toEqual(expect.arrayContaining(['memory', 'history', 'profile', 'self', 'time', 'model', 'search', 'web_fetch']));
    expect(new Set(names).size).toBe(names.length);
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('memory_search')?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(byName.get('tasks_delete')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.get('tasks_create')?.inputSchema.required).toEqual(['title']);
  });
});

describe('a tool of each family, with its effect', () => {
  it('memory: a memory stored over MCP appears in /v1/memory and is found by memory_search', async () => {
    const stored = await call(client, 'memory_store', { ...nova, content: 'User keeps bees on the roof', importance: 0.8, tags: ['hobby'] });
    expect(stored.action).toBe('added');
    const listed = await api('/v1/memory?bot_id=nova&user=ana');
    expect(listed.data.map((m: { id: string }) => m.id)).toContain(stored.memory.id);
    const found = await call(client, 'memory_search', { ...nova, query: 'bees roof' });
    expect(found.memories[0].id).toBe(stored.memory.id);
    const updated = await call(client, 'memory_update', { ...nova, memory_id: stored.memory.id, content: 'User keeps three hives of bees on the roof' });
    expect(updated.superseded).toBe(stored.memory.id);
    const got = await call(client, 'memory_get', { ...nova, memory_id: updated.memory.id });
    expect(got.chain.map((m: { id: string }) => m.id)).toEqual([stored.memory.id, updated.memory.id]);
  });

  it('messages, sessions, summaries: stored messages show in /v1/history and in the active session', async () => {
    const first = await call(client, 'messages_add', { ...nova, role: 'user', content: 'I planted tomatoes today' });
    await call(client, 'messages_add', { ...nova, role: 'assistant', content: 'Nice, which variety?' });
    const active = await call(client, 'sessions_get_active', nova);
    expect(first.message.session_id).toBe(active.active.id);
    const history = await api('/v1/history?bot_id=nova&user=ana');
    expect(history.data.map((m: { content: string }) => m.content)).toEqual(['I planted tomatoes today', 'Nice, which variety?']);
    const hits = await call(client, 'messages_search', { ...nova, query: 'tomatoes' });
    expect(hits.messages[0].id).toBe(first.message.id);
    const around = await call(client, 'messages_get_by_id', { ...nova, message_id: first.message.id, after: 1 });
    expect(around.count).toBe(2);
    const summarized = await call(client, 'summaries_create', { ...nova, session_id: active.active.id, method: 'heuristic' });
    expect(summarized.count).toBe(1);
    const expanded = await call(client, 'messages_get_for_summary', { ...nova, summary_id: summarized.summaries[0].id });
    expect(expanded.messages.map((m: { id: string }) => m.id)).toContain(first.message.id);
    const rotated = await call(client, 'sessions_rotate', { ...nova, title: 'next', summarize: false });
    expect(rotated.archived.id).toBe(active.active.id);
    const sessions = await api('/v1/sessions?bot_id=nova&user=ana');
    expect(sessions.data.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([active.active.id, rotated.active.id]));
  });

  it('messages: forgetting and restoring', async () => {
    await call(client, 'messages_add', { bot_id: 'mira', user_id: 'ana', role: 'user', content: 'one' });
    await call(client, 'messages_add', { bot_id: 'mira', user_id: 'ana', role: 'user', content: 'two' });
    const preview = await call(client, 'messages_preview_recent', { bot_id: 'mira', user_id: 'ana', count: 1 });
    expect(preview.messages.map((m: { content: string }) => m.content)).toEqual(['two']);
    const forgotten = await call(client, 'messages_ignore_recent', { bot_id: 'mira', user_id: 'ana', count: 1 });
    expect(forgotten.forgotten.count).toBe(1);
    expect((await call(client, 'messages_recent', { bot_id: 'mira', user_id: 'ana' })).messages.map((m: { content: string }) => m.content)).toEqual(['one']);
    const restored = await call(client, 'messages_restore_ignored', { bot_id: 'mira', user_id: 'ana' });
    expect(restored.restored.count).toBe(1);
    expect((await call(client, 'messages_recent', { bot_id: 'mira', user_id: 'ana' })).count).toBe(2);
  });

  it('profile: an attribute set over MCP appears in /v1/profiles, and the contributed profile tool reads it', async () => {
    await call(client, 'profile_set', { ...nova, category: 'preference', key: 'Favorite Food', value: 'ramen' });
    const profile = await api('/v1/profiles/user/ana?bot_id=nova');
    expect(profile.attributes).toEqual([expect.objectContaining({ key: 'favorite_food', value: 'ramen' })]);
    const viaTool = await call(client, 'profile', { ...nova, action: 'get', key: 'favorite_food' });
    expect(viaTool.value).toBe('ramen');
    await call(client, 'profile_set', { ...nova, entity_type: 'bot', category: 'personality', key: 'tone', value: 'dry wit' });
    expect((await call(client, 'profile_list', { ...nova, entity_type: 'bot' })).attributes.map((a: { key: string }) => a.key)).toEqual(['tone']);
  });

  it('self and system: tail, system prompt, stats', async () => {
    const tail = await call(client, 'self_tail', { ...nova, count: 2 });
    expect(tail.transcript).toContain('user: I planted tomatoes today');
    const prompt = await call(client, 'self_system_prompt', { bot_id: 'mira', action: 'set', new_prompt: 'You are Mira, gentle and brief.' });
    expect(prompt.persisted).toBe(true);
    expect(booted.host.bots.get('mira')?.system_prompt).toBe('You are Mira, gentle and brief.');
    expect((await api('/v1/bots/mira')).system_prompt).toBe('You are Mira, gentle and brief.');
    const stats = await call(client, 'system_stats', nova);
    expect(stats.counts).toMatchObject({ messages: 2, memories_active: 1, memories_retired: 1, summaries: 1, profile_attributes: 1, bot_traits: 1 });
    const maintenance = await call(client, 'system_run_maintenance', nova);
    expect(maintenance).toMatchObject({ dry_run: true, consolidation: { clusters: 0 } });
  });

  it('tools: the tool loop\'s tools run over MCP with the named bot', async () => {
    expect(JSON.stringify(await call(client, 'time', { ...nova, timezone: 'UTC' }))).toMatch(/UTC/);
    const recalled = await call(client, 'memory', { ...nova, action: 'search', query: 'bees' });
    expect(recalled.count).toBeGreaterThan(0);
  });

  it('tasks, steps, projects, activity: written to our tables', async () => {
    const project = await call(client, 'projects_create', { ...nova, name: 'Garden', context_prompt: 'Organic only.' });
    const task = await call(client, 'tasks_create', { ...nova, title: 'Build raised beds', project_id: 'garden', steps: ['buy wood', { title: 'cut boards', status: 'done' }] });
    expect(task).toMatchObject({ project_id: project.id, progress: { done: 1, total: 2 }, created_by_bot: 'nova' });
    const done = await call(client, 'steps_update', { ...nova, task_id: task.short_id, step_id: 1, status: 'done', output: 'bought 12 boards' });
    expect(done.progress).toEqual({ done: 2, total: 2 });
    const briefing = await call(client, 'tasks_get_context', { ...nova, task_id: task.id });
    expect(briefing).toContain('Organic only.');
    expect(briefing).toContain('[x] buy wood — bought 12 boards');
    const activity = await call(client, 'activity_get', { ...nova, project_id: project.id });
    expect(activity.activity.map((a: { action: string }) => a.action)).toEqual(['steps_updated', 'task_created', 'project_created']);
    const counts = await booted.counts();
    expect(counts).toMatchObject({ projects: 1, tasks: 1, task_steps: 2 });
  });
});

describe('bad input', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['memory_store', { ...nova, content: '', importance: 0.5 }, /content: must not be empty/],
    ['memory_store', { ...nova, content: 'x', importance: 7 }, /importance: must be <= 1/],
    ['messages_add', { ...nova, role: 'robot', content: 'hi' }, /role: must be one of user, assistant, system/],
    ['messages_ignore_by_id', { ...nova, message_ids: ['nope'] }, /message_ids\.0: must be a UUID/],
    ['summaries_create', { ...nova, method: 'magic' }, /method:/],
    ['sessions_create', { ...nova, title: 42 }, /title: must be a string/],
    ['profile_set', { ...nova, category: 'secrets', key: 'k', value: 'v' }, /category:/],
    ['system_run_maintenance', { ...nova, dry_run: 'no' }, /dry_run:/],
    ['bots_send_message', { ...nova, target_bot_id: 'mira', message: 'hi', timeout_seconds: 0 }, /timeout_seconds: must be >= 1/],
    ['self_system_prompt', { ...nova, action: 'set' }, /new_prompt: set needs new_prompt/],
    ['tasks_create', { ...nova, title: 'ok', steps: [{ title: '' }] }, /steps\.0/],
    ['tasks_create', { ...nova, title: 'ok', priority: 'whenever' }, /priority:/],
    ['steps_update', { ...nova, task_id: 'TASK-1' }, /step_id: send step_id/],
    ['projects_create', { ...nova, name: '   ' }, /name: must not be empty/],
    ['activity_get', { ...nova, limit: 0 }, /limit: must be >= 1/],
    ['memory', { ...nova, action: 'explode' }, /action:/],
    ['time', { ...nova, timezone: 5 }, /timezone:/],
    ['tasks_list', { bot_id: '' }, /bot_id: must not be empty/],
  ];
  it.each(cases)('%s with %j is an error result naming the path, and writes nothing', async (name, args, message) => {
    const before = await booted.counts();
    const text = await callError(client, name, args);
    expect(text).toMatch(message);
    expect(await booted.counts()).toEqual(before);
  });

  it('an unknown bot is an error result; an unknown tool is a protocol error', async () => {
    expect(await callError(client, 'tasks_list', { bot_id: 'ghost' })).toMatch(/LLMB_ERR_UNKNOWN_BOT \(bot_id\)/);
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(/Unknown tool/);
  });

  it('a bot without memory cannot be named for memory tools, as on the HTTP API', async () => {
    const before = await booted.counts();
    expect(await callError(client, 'memory_store', { bot_id: 'spark', content: 'User likes jazz' })).toMatch(/keeps no memory/);
    expect(await callError(client, 'messages_add', { bot_id: 'spark', role: 'user', content: 'hi' })).toMatch(/keeps no memory/);
    expect(await callError(client, 'memory', { bot_id: 'spark', action: 'store', content: 'User likes jazz' })).toMatch(/keeps no memory/);
    // The tool loop's gates hold over MCP too: web tools need a bot that searches.
    expect(await callError(client, 'web_fetch', { bot_id: 'nova', url: 'https://example.com/' })).toMatch(/LLMB_ERR_FORBIDDEN \(bot_id\).*uses_search: false/);
    expect(await booted.counts()).toEqual(before);
  });
});

describe('scoping', () => {
  it('bot A / user X data cannot be read as bot B / user Y, nor as bot A / user Y', async () => {
    const memory = await call(client, 'memory_store', { bot_id: 'nova', user_id: 'xavier', content: 'User X has a secret recipe for plum jam' });
    const message = await call(client, 'messages_add', { bot_id: 'nova', user_id: 'xavier', role: 'user', content: 'my plum jam recipe is a secret' });
    const task = await call(client, 'tasks_create', { bot_id: 'nova', user_id: 'xavier', title: 'Plum jam batch' });
    await call(client, 'profile_set', { bot_id: 'nova', user_id: 'xavier', category: 'fact', key: 'jam', value: 'plum' });
    for (const other of [
      { bot_id: 'mira', user_id: 'yuki' },
      { bot_id: 'nova', user_id: 'yuki' },
    ]) {
      expect((await call(client, 'memory_search', { ...other, query: 'plum jam recipe' })).count).toBe(0);
      expect(await callError(client, 'memory_get', { ...other, memory_id: memory.memory.id })).toMatch(/LLMB_ERR_NOT_FOUND/);
      expect(await callError(client, 'memory_delete', { ...other, memory_id: memory.memory.id })).toMatch(/LLMB_ERR_NOT_FOUND/);
      expect(await callError(client, 'messages_get_by_id', { ...other, message_id: message.message.id })).toMatch(/LLMB_ERR_NOT_FOUND/);
      expect((await call(client, 'messages_search', { ...other, query: 'plum' })).count).toBe(0);
      expect((await call(client, 'memory_search_all', { ...other, query: 'plum jam' })).count).toBe(0);
      expect((await call(client, 'messages_search_all', { ...other, query: 'plum' })).count).toBe(0);
      expect((await call(client, 'profile_list', other)).attributes.map((a: { key: string }) => a.key)).not.toContain('jam');
      expect((await call(client, 'self_tail', other)).transcript).not.toContain('plum');
    }
    // Tasks belong to the user: another user never sees them.
    expect(await callError(client, 'tasks_get', { bot_id: 'nova', user_id: 'yuki', task_id: task.short_id })).toMatch(/LLMB_ERR_NOT_FOUND/);
    expect(await callError(client, 'tasks_delete', { bot_id: 'mira', user_id: 'yuki', task_id: task.id })).toMatch(/LLMB_ERR_NOT_FOUND/);
    expect((await call(client, 'tasks_list', { bot_id: 'nova', user_id: 'yuki' })).count).toBe(0);
    // The owner still sees everything.
    expect((await call(client, 'memory_get', { bot_id: 'nova', user_id: 'xavier', memory_id: memory.memory.id })).memory.status).toBe('active');
    expect((await call(client, 'tasks_get', { bot_id: 'mira', user_id: 'xavier', task_id: task.short_id })).title).toBe('Plum jam batch');
  });

  it('cross-bot search covers one user across bots, and is left out when crossBotSearch is off', async () => {
    await call(client, 'memory_store', { bot_id: 'mira', user_id: 'xavier', content: 'User X grows plums in the orchard' });
    const across = await call(client, 'memory_search_all', { bot_id: 'mira', user_id: 'xavier', query: 'plum' });
    expect(new Set(across.memories.map((m: { bot_id: string }) => m.bot_id))).toEqual(new Set(['nova', 'mira']));
    // Stand-ins for the memory services: only which tools are served matters here.
    const overrides = [[semanticRef, {}], [historyRef, {}]] as const;
    for (const crossBotSearch of [true, false]) {
      const other = await bootMcp(undefined, { config: { crossBotSearch }, plugins: [], overrides });
      try {
        const names = (await (await other.connect()).listTools()).tools.map((t) => t.name);
        expect(names).toContain('memory_store');
        expect(names.includes('memory_search_all')).toBe(crossBotSearch);
        expect(names.includes('messages_search_all')).toBe(crossBotSearch);
      } finally {
        await other.close();
      }
    }
  });
});
