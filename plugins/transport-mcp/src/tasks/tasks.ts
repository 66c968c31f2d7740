import { randomUUID } from 'node:crypto';
import { createError } from '@llm-bawt/sdk';
import type { Database, Sql } from '@llm-bawt/plugin-store-postgres';
import { findProjectRow, findTask, likePattern, recordActivity, TASK_SELECT, toLink, toStep, toTask } from './rows.js';
import type { Actor, NewStep, Task, TaskDetail, TaskInput, TaskPatch, TaskStatus } from './types.js';

type Row = Record<string, unknown>;

export interface TaskListQuery {
  status?: TaskStatus[] | undefined;
  projectId?: string | undefined;
  agentBotId?: string | undefined;
  q?: string | undefined;
  limit?: number | undefined;
}

/** Inserts steps after the task's last one. */
export async function appendSteps(sql: Sql, taskId: string, steps: readonly NewStep[]): Promise<void> {
  if (steps.length === 0) return;
  const last = await sql.one<{ n: number }>('SELECT coalesce(max(position), 0)::int AS n FROM task_steps WHERE task_id = ?', [taskId]);
  let position = last?.n ?? 0;
  for (const step of steps) {
    position += 1;
    await sql.run('INSERT INTO task_steps (id, task_id, position, title, status, output) VALUES (?, ?, ?, ?, ?, ?)', [
      randomUUID(),
      taskId,
      position,
      step.title,
      step.status ?? 'pending',
      step.output ?? null,
    ]);
  }
}

export async function taskDetail(sql: Sql, task: Task): Promise<TaskDetail> {
  const steps = await sql.all<Row>('SELECT * FROM task_steps WHERE task_id = ? ORDER BY position, created_at', [task.id]);
  const dependsOn = await sql.all<Row>(
    'SELECT t.id, t.number, t.title, t.status FROM task_dependencies d JOIN tasks t ON t.id = d.depends_on_id WHERE d.task_id = ? ORDER BY t.number',
    [task.id],
  );
  const blocks = await sql.all<Row>(
    'SELECT t.id, t.number, t.title, t.status FROM task_dependencies d JOIN tasks t ON t.id = d.task_id WHERE d.depends_on_id = ? ORDER BY t.number',
    [task.id],
  );
  return { ...task, steps: steps.map(toStep), depends_on: dependsOn.map(toLink), blocks: blocks.map(toLink) };
}

/** Tasks, scoped to one user: every bot working for that user shares them. */
export function createTaskRepository(db: Database) {
  const get = async (userId: string, ref: string): Promise<TaskDetail> => {
    const sql = db.sql();
    return taskDetail(sql, await findTask(sql, userId, ref));
  };

  return {
    get,

    async list(userId: string, query: TaskListQuery = {}): Promise<Task[]> {
      const sql = db.sql();
      const where = ['t.user_id = ?'];
      const params: unknown[] = [userId];
      if (query.status?.length) {
        where.push(`t.status IN (${query.status.map(() => '?').join(', ')})`);
        params.push(...query.status);
      }
      if (query.projectId) {
        where.push('t.project_id = ?');
        params.push((await findProjectRow(sql, userId, query.projectId)).id);
      }
      if (query.agentBotId) {
        where.push('t.agent_bot_id = ?');
        params.push(query.agentBotId);
      }
      if (query.q?.trim()) {
        where.push("(t.title ILIKE ? ESCAPE '\\' OR t.description ILIKE ? ESCAPE '\\')");
        params.push(likePattern(query.q.trim()), likePattern(query.q.trim()));
      }
      params.push(query.limit ?? 50);
      const rows = await sql.all<Row>(`${TASK_SELECT} WHERE ${where.join(' AND ')} ORDER BY t.updated_at DESC, t.number DESC LIMIT ?`, params);
      return rows.map(toTask);
    },

    async create(actor: Actor, input: TaskInput): Promise<TaskDetail> {
      const id = randomUUID();
      await db.transaction(async (sql) => {
        const project = input.projectId ? await findProjectRow(sql, actor.userId, input.projectId) : undefined;
        const status = input.status ?? 'todo';
        await sql.run(
          `INSERT INTO tasks (id, user_id, project_id, title, description, status, priority, planned, agent_bot_id, created_by_bot, completed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${status === 'done' ? 'now()' : 'NULL'})`,
          [
            id,
            actor.userId,
            project?.id ?? null,
            input.title,
            input.description ?? '',
            status,
            input.priority ?? 'medium',
            input.planned ?? false,
            input.agentBotId ?? project?.agent_bot_id ?? null,
            actor.botId,
          ],
        );
        await appendSteps(sql, id, input.steps ?? []);
        await recordActivity(sql, actor, { taskId: id, projectId: (project?.id as string | undefined) ?? null, action: 'task_created', detail: { title: input.title, steps: input.steps?.length ?? 0 } });
      });
      return get(actor.userId, id);
    },

    async update(actor: Actor, ref: string, patch: TaskPatch): Promise<TaskDetail> {
      const id = await db.transaction(async (sql) => {
        const task = await findTask(sql, actor.userId, ref);
        const sets: string[] = [];
        const params: unknown[] = [];
        const changed: Record<string, unknown> = {};
        const set = (column: string, value: unknown, field: string) => {
          sets.push(`${column} = ?`);
          params.push(value);
          changed[field] = value;
        };
        if (patch.title !== undefined) set('title', patch.title, 'title');
        if (patch.description !== undefined) set('description', patch.description, 'description');
        if (patch.priority !== undefined) set('priority', patch.priority, 'priority');
        if (patch.planned !== undefined) set('planned', patch.planned, 'planned');
        if (patch.response !== undefined) set('response', patch.response, 'response');
        if (patch.modelId !== undefined) set('model_id', patch.modelId, 'model_id');
        if (patch.agentBotId !== undefined) set('agent_bot_id', patch.agentBotId, 'agent_bot_id');
        if (patch.projectId !== undefined) {
          const project = patch.projectId === null ? null : ((await findProjectRow(sql, actor.userId, patch.projectId)).id as string);
          set('project_id', project, 'project_id');
        }
        if (patch.status !== undefined) {
          set('status', patch.status, 'status');
          sets.push(patch.status === 'done' ? 'completed_at = coalesce(completed_at, now())' : 'completed_at = NULL');
        }
        if (sets.length === 0) throw createError('LLMB_ERR_INVALID_REQUEST', 'nothing to update: name at least one field to change');
        await sql.run(`UPDATE tasks SET ${sets.join(', ')}, updated_at = now() WHERE id = ?`, [...params, task.id]);
        const detail: Record<string, unknown> = { changed: Object.keys(changed) };
        if (patch.status !== undefined && patch.status !== task.status) detail.status = { from: task.status, to: patch.status };
        await recordActivity(sql, actor, { taskId: task.id, projectId: (changed.project_id as string | null | undefined) ?? task.project_id, action: 'task_updated', detail });
        return task.id;
      });
      return get(actor.userId, id);
    },

    async delete(actor: Actor, ref: string): Promise<{ deleted: string; short_id: string; title: string }> {
      return db.transaction(async (sql) => {
        const task = await findTask(sql, actor.userId, ref);
        await sql.run('DELETE FROM tasks WHERE id = ?', [task.id]);
        await recordActivity(sql, actor, { taskId: task.id, projectId: task.project_id, action: 'task_deleted', detail: { short_id: task.short_id, title: task.title } });
        return { deleted: task.id, short_id: task.short_id, title: task.title };
      });
    },

    async addDependency(actor: Actor, ref: string, dependsOnRef: string): Promise<TaskDetail> {
      const id = await db.transaction(async (sql) => {
        const task = await findTask(sql, actor.userId, ref);
        const on = await findTask(sql, actor.userId, dependsOnRef, 'depends_on_id');
        if (task.id === on.id) throw createError('LLMB_ERR_INVALID_REQUEST', 'a task cannot depend on itself', { param: 'depends_on_id' });
        const cycle = await sql.one(
          `WITH RECURSIVE up(id) AS (
             SELECT depends_on_id FROM task_dependencies WHERE task_id = ?
             UNION SELECT d.depends_on_id FROM task_dependencies d JOIN up ON d.task_id = up.id
           ) SELECT 1 AS hit FROM up WHERE id = ? LIMIT 1`,
          [on.id, task.id],
        );
        if (cycle) throw createError('LLMB_ERR_CONFLICT', `${on.short_id} already depends on ${task.short_id} (directly or through other tasks): that would be a cycle`, { param: 'depends_on_id' });
        const added = await sql.run('INSERT INTO task_dependencies (task_id, depends_on_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [task.id, on.id]);
        if (added > 0) await recordActivity(sql, actor, { taskId: task.id, projectId: task.project_id, action: 'dependency_added', detail: { depends_on: on.short_id } });
        return task.id;
      });
      return get(actor.userId, id);
    },

    async removeDependency(actor: Actor, ref: string, dependsOnRef: string): Promise<TaskDetail> {
      const id = await db.transaction(async (sql) => {
        const task = await findTask(sql, actor.userId, ref);
        const on = await findTask(sql, actor.userId, dependsOnRef, 'depends_on_id');
        const removed = await sql.run('DELETE FROM task_dependencies WHERE task_id = ? AND depends_on_id = ?', [task.id, on.id]);
        if (removed === 0) throw createError('LLMB_ERR_NOT_FOUND', `${task.short_id} does not depend on ${on.short_id}`, { param: 'depends_on_id' });
        await recordActivity(sql, actor, { taskId: task.id, projectId: task.project_id, action: 'dependency_removed', detail: { depends_on: on.short_id } });
        return task.id;
      });
      return get(actor.userId, id);
    },
  };
}

export type TaskRepository = ReturnType<typeof createTaskRepository>;
