import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { storeRef } from '@llm-bawt/plugin-store-postgres';
import { backends, bootMcp, call, callError, type McpHost } from './kit.js';

// The agent task pipeline lives in our own tables: the same tests on PGlite and PostgreSQL.
afterAll(async () => {
  for (const backend of backends) await backend.cleanup();
});

describe.each(backends)('task pipeline on $name', (backend) => {
  let booted: McpHost;
  let client: Client;
  const ana = { bot_id: 'nova', user_id: 'ana' };
  const rows = async (sql: string, params: unknown[] = []) => (await booted.host.get(storeRef).em().getConnection().execute(sql, params, 'all')) as Record<string, unknown>[];

  beforeAll(async () => {
    booted = await bootMcp(backend, { slot: 'tasks', plugins: [] });
    client = await booted.connect();
  });
  afterAll(() => booted?.close());

  it('creates, lists, finds by short id, updates and completes tasks', async () => {
    const a = await call(client, 'tasks_create', { ...ana, title: 'Write the README', priority: 'high', steps: ['outline', 'draft'] });
    expect(a).toMatchObject({ short_id: expect.stringMatching(/^TASK-\d+$/), status: 'todo', priority: 'high', created_by_bot: 'nova', progress: { done: 0, total: 2 } });
    const b = await call(client, 'tasks_create', { bot_id: 'mira', user_id: 'ana', title: 'Review the README', status: 'backlog' });
    // Every bot working for the user shares the tasks.
    expect((await call(client, 'tasks_list', { bot_id: 'mira', user_id: 'ana' })).tasks.map((t: { id: string }) => t.id).sort()).toEqual([a.id, b.id].sort());
    expect((await call(client, 'tasks_list', { ...ana, status: 'backlog' })).tasks.map((t: { id: string }) => t.id)).toEqual([b.id]);
    expect((await call(client, 'tasks_list', { ...ana, q: 'review' })).tasks.map((t: { id: string }) => t.id)).toEqual([b.id]);
    expect((await call(client, 'tasks_list', { ...ana, q: '100%_' })).count).toBe(0);
    for (const ref of [a.id, a.short_id, String(a.number), `#${a.number}`, a.short_id.toLowerCase()]) {
      expect((await call(client, 'tasks_get', { ...ana, task_id: ref })).id, ref).toBe(a.id);
    }
    const done = await call(client, 'tasks_update', { ...ana, task_id: a.short_id, status: 'done', response: 'Shipped.', agent_bot_id: 'mira' });
    expect(done).toMatchObject({ status: 'done', response: 'Shipped.', agent_bot_id: 'mira', completed_at: expect.any(String) });
    const reopened = await call(client, 'tasks_update', { ...ana, task_id: a.id, status: 'in_progress' });
    expect(reopened.completed_at).toBeNull();
    expect(await callError(client, 'tasks_update', { ...ana, task_id: a.id })).toMatch(/nothing to update/);
    expect(await callError(client, 'tasks_update', { ...ana, task_id: a.id, agent_bot_id: 'ghost' })).toMatch(/LLMB_ERR_UNKNOWN_BOT \(agent_bot_id\)/);
    expect(await callError(client, 'tasks_get', { ...ana, task_id: 'TASK-999999' })).toMatch(/LLMB_ERR_NOT_FOUND \(task_id\)/);
  });

  it('keeps dependencies acyclic', async () => {
    const t1 = await call(client, 'tasks_create', { ...ana, title: 'lay foundation' });
    const t2 = await call(client, 'tasks_create', { ...ana, title: 'build walls' });
    const t3 = await call(client, 'tasks_create', { ...ana, title: 'add roof' });
    await call(client, 'tasks_add_dependency', { ...ana, task_id: t2.short_id, depends_on_id: t1.short_id });
    const roof = await call(client, 'tasks_add_dependency', { ...ana, task_id: t3.short_id, depends_on_id: t2.short_id });
    expect(roof.depends_on.map((d: { id: string }) => d.id)).toEqual([t2.id]);
    expect((await call(client, 'tasks_get', { ...ana, task_id: t2.id })).blocks.map((d: { id: string }) => d.id)).toEqual([t3.id]);
    expect(await callError(client, 'tasks_add_dependency', { ...ana, task_id: t1.id, depends_on_id: t3.id })).toMatch(/LLMB_ERR_CONFLICT.*cycle/);
    expect(await callError(client, 'tasks_add_dependency', { ...ana, task_id: t1.id, depends_on_id: t1.id })).toMatch(/itself/);
    // Adding the same dependency twice is harmless.
    await call(client, 'tasks_add_dependency', { ...ana, task_id: t3.id, depends_on_id: t2.id });
    expect(await rows('SELECT * FROM task_dependencies WHERE task_id = ?', [t3.id])).toHaveLength(1);
    const removed = await call(client, 'tasks_remove_dependency', { ...ana, task_id: t3.id, depends_on_id: t2.id });
    expect(removed.depends_on).toEqual([]);
    expect(await callError(client, 'tasks_remove_dependency', { ...ana, task_id: t3.id, depends_on_id: t2.id })).toMatch(/LLMB_ERR_NOT_FOUND/);
    // Deleting a task removes its edges.
    await call(client, 'tasks_delete', { ...ana, task_id: t1.id });
    expect(await rows('SELECT * FROM task_dependencies WHERE depends_on_id = ?', [t1.id])).toHaveLength(0);
  });

  it('edits steps one at a time or all at once, keeping positions contiguous', async () => {
    const task = await call(client, 'tasks_create', { ...ana, title: 'Bake bread', steps: ['mix', 'knead', 'rise', 'bake'] });
    const added = await call(client, 'steps_add', { ...ana, task_id: task.id, steps: ['cool'] });
    expect(added.steps.map((s: { title: string; position: number }) => `${s.position}:${s.title}`)).toEqual(['1:mix', '2:knead', '3:rise', '4:bake', '5:cool']);
    const batch = await call(client, 'steps_update', {
      ...ana,
      task_id: task.id,
      updates: [
        { step_id: 1, status: 'done' },
        { step_id: added.steps[1].id, status: 'in_progress', output: 'ten minutes in' },
      ],
    });
    expect(batch.steps.slice(0, 2).map((s: { status: string }) => s.status)).toEqual(['done', 'in_progress']);
    expect(batch.progress).toEqual({ done: 1, total: 5 });
    const deleted = await call(client, 'steps_delete', { ...ana, task_id: task.id, step_ids: [3, added.steps[3].id] });
    expect(deleted.steps.map((s: { title: string; position: number }) => `${s.position}:${s.title}`)).toEqual(['1:mix', '2:knead', '3:cool']);
    expect(await callError(client, 'steps_delete', { ...ana, task_id: task.id, step_id: 9 })).toMatch(/LLMB_ERR_NOT_FOUND \(step_ids\.0\)/);
    const replaced = await call(client, 'steps_set', { ...ana, task_id: task.id, steps: [{ title: 'buy bread', status: 'done' }] });
    expect(replaced.steps.map((s: { title: string }) => s.title)).toEqual(['buy bread']);
    expect(replaced.progress).toEqual({ done: 1, total: 1 });
    // A failing batch changes nothing.
    expect(await callError(client, 'steps_update', { ...ana, task_id: task.id, updates: [{ step_id: 1, status: 'skipped' }, { step_id: 7, status: 'done' }] })).toMatch(/updates\.1\.step_id/);
    expect((await call(client, 'tasks_get', { ...ana, task_id: task.id })).steps[0].status).toBe('done');
  });

  it('groups tasks in projects, briefs agents, and logs activity', async () => {
    const project = await call(client, 'projects_create', { ...ana, name: 'Kitchen', description: 'Renovation', context_prompt: 'Budget is 5000 EUR.', agent_bot_id: 'mira' });
    expect(await callError(client, 'projects_create', { ...ana, name: 'kitchen' })).toMatch(/LLMB_ERR_CONFLICT \(name\)/);
    const tile = await call(client, 'tasks_create', { ...ana, title: 'Pick tiles', project_id: 'Kitchen' });
    expect(tile).toMatchObject({ project_id: project.id, project_name: 'Kitchen', agent_bot_id: 'mira' });
    await call(client, 'tasks_create', { ...ana, title: 'Order sink', project_id: project.id, status: 'done' });
    const listed = await call(client, 'projects_list', ana);
    expect(listed.projects.find((p: { id: string }) => p.id === project.id).task_counts).toEqual({ todo: 1, done: 1 });
    const brief = await call(client, 'projects_get_context', { ...ana, project_id: 'kitchen' });
    expect(brief).toContain('Budget is 5000 EUR.');
    expect(brief).toContain(`${tile.short_id} [todo, medium] Pick tiles`);
    expect(brief).not.toContain('Order sink');
    const renamed = await call(client, 'projects_update', { ...ana, project_id: project.id, name: 'Kitchen 2', color: null });
    expect(renamed).toMatchObject({ name: 'Kitchen 2', color: null });
    const activity = await call(client, 'activity_get', { ...ana, project_id: project.id });
    expect(activity.activity.map((a: { action: string; bot_id: string }) => a.action)).toEqual(['project_updated', 'task_created', 'task_created', 'project_created']);
    const removed = await call(client, 'projects_delete', { ...ana, project_id: project.id });
    expect(removed).toMatchObject({ name: 'Kitchen 2', tasks_unassigned: 2 });
    expect((await call(client, 'tasks_get', { ...ana, task_id: tile.id })).project_id).toBeNull();
    const taskActivity = await call(client, 'activity_get', { ...ana, task_id: tile.id });
    expect(taskActivity.activity.map((a: { action: string }) => a.action)).toEqual(['task_created']);
  });

  it("never shows one user's tasks or projects to another", async () => {
    const mine = await call(client, 'tasks_create', { bot_id: 'nova', user_id: 'xavier', title: 'Secret plan' });
    await call(client, 'projects_create', { bot_id: 'nova', user_id: 'xavier', name: 'Hidden' });
    const yuki = { bot_id: 'nova', user_id: 'yuki' };
    expect((await call(client, 'tasks_list', yuki)).count).toBe(0);
    expect((await call(client, 'projects_list', yuki)).count).toBe(0);
    expect((await call(client, 'activity_get', yuki)).count).toBe(0);
    for (const [name, args] of [
      ['tasks_get', { task_id: mine.short_id }],
      ['tasks_update', { task_id: mine.id, title: 'mine now' }],
      ['tasks_delete', { task_id: mine.id }],
      ['steps_add', { task_id: mine.id, steps: ['x'] }],
      ['projects_get', { project_id: 'Hidden' }],
      ['projects_delete', { project_id: 'Hidden' }],
    ] as const) {
      expect(await callError(client, name, { ...yuki, ...args }), name).toMatch(/LLMB_ERR_NOT_FOUND/);
    }
    // A second user may have a project of the same name.
    await call(client, 'projects_create', { ...yuki, name: 'Hidden' });
    expect((await call(client, 'tasks_get', { bot_id: 'mira', user_id: 'xavier', task_id: mine.id })).title).toBe('Secret plan');
  });
});
