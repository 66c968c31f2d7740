import { randomUUID } from 'node:crypto';
import { createError } from '@llm-bawt/sdk';
import type { Database, Sql } from '@llm-bawt/plugin-store-postgres';
import { findProjectRow, findTask, recordActivity, TASK_SELECT, toActivity, toProject, toTask } from './rows.js';
import type { Activity, Actor, Project, ProjectInput, ProjectPatch, Task } from './types.js';

type Row = Record<string, unknown>;

async function counts(sql: Sql, projectIds: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  if (projectIds.length === 0) return out;
  const rows = await sql.all<{ project_id: string; status: string; n: number }>(
    `SELECT project_id, status, count(*)::int AS n FROM tasks WHERE project_id IN (${projectIds.map(() => '?').join(', ')}) GROUP BY project_id, status`,
    projectIds,
  );
  for (const row of rows) {
    const entry = out.get(String(row.project_id)) ?? {};
    entry[row.status] = Number(row.n);
    out.set(String(row.project_id), entry);
  }
  return out;
}

function uniqueName(error: unknown, name: string): never {
  if (/unique|duplicate/i.test((error as Error).message ?? '')) {
    throw createError('LLMB_ERR_CONFLICT', `a project named '${name}' already exists for this user`, { param: 'name' }, error);
  }
  throw error;
}

const one = async (sql: Sql, row: Row): Promise<Project> => toProject(row, (await counts(sql, [String(row.id)])).get(String(row.id)) ?? {});

/** Projects group tasks and carry a context prompt for the agents working on them. */
export function createProjectRepository(db: Database) {
  return {
    async list(userId: string): Promise<Project[]> {
      const sql = db.sql();
      const rows = await sql.all<Row>('SELECT * FROM projects WHERE user_id = ? ORDER BY lower(name)', [userId]);
      const byProject = await counts(sql, rows.map((r) => String(r.id)));
      return rows.map((row) => toProject(row, byProject.get(String(row.id)) ?? {}));
    },

    async get(userId: string, ref: string): Promise<Project & { tasks: Task[] }> {
      const sql = db.sql();
      const row = await findProjectRow(sql, userId, ref);
      const tasks = await sql.all<Row>(`${TASK_SELECT} WHERE t.user_id = ? AND t.project_id = ? ORDER BY t.number`, [userId, row.id]);
      return { ...(await one(sql, row)), tasks: tasks.map(toTask) };
    },

    async create(actor: Actor, input: ProjectInput): Promise<Project> {
      const id = randomUUID();
      return db.transaction(async (sql) => {
        await sql
          .run(
            'INSERT INTO projects (id, user_id, name, description, color, icon, context_prompt, agent_bot_id, created_by_bot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [id, actor.userId, input.name, input.description ?? '', input.color ?? null, input.icon ?? null, input.contextPrompt ?? '', input.agentBotId ?? null, actor.botId],
          )
          .catch((error: unknown) => uniqueName(error, input.name));
        await recordActivity(sql, actor, { projectId: id, action: 'project_created', detail: { name: input.name } });
        return one(sql, await findProjectRow(sql, actor.userId, id));
      });
    },

    async update(actor: Actor, ref: string, patch: ProjectPatch): Promise<Project> {
      return db.transaction(async (sql) => {
        const row = await findProjectRow(sql, actor.userId, ref);
        const sets: string[] = [];
        const params: unknown[] = [];
        const field = (column: string, value: unknown) => {
          sets.push(`${column} = ?`);
          params.push(value);
        };
        if (patch.name !== undefined) field('name', patch.name);
        if (patch.description !== undefined) field('description', patch.description);
        if (patch.color !== undefined) field('color', patch.color);
        if (patch.icon !== undefined) field('icon', patch.icon);
        if (patch.contextPrompt !== undefined) field('context_prompt', patch.contextPrompt);
        if (patch.agentBotId !== undefined) field('agent_bot_id', patch.agentBotId);
        if (sets.length === 0) throw createError('LLMB_ERR_INVALID_REQUEST', 'nothing to update: name at least one field to change');
        await sql.run(`UPDATE projects SET ${sets.join(', ')}, updated_at = now() WHERE id = ?`, [...params, row.id]).catch((error: unknown) => uniqueName(error, patch.name ?? ''));
        await recordActivity(sql, actor, { projectId: String(row.id), action: 'project_updated', detail: { changed: sets.map((s) => s.split(' ')[0]) } });
        return one(sql, await findProjectRow(sql, actor.userId, String(row.id)));
      });
    },

    /** Deletes a project; its tasks stay, outside any project. */
    async delete(actor: Actor, ref: string): Promise<{ deleted: string; name: string; tasks_unassigned: number }> {
      return db.transaction(async (sql) => {
        const row = await findProjectRow(sql, actor.userId, ref);
        const unassigned = await sql.run('UPDATE tasks SET project_id = NULL, updated_at = now() WHERE project_id = ?', [row.id]);
        await sql.run('DELETE FROM projects WHERE id = ?', [row.id]);
        await recordActivity(sql, actor, { projectId: String(row.id), action: 'project_deleted', detail: { name: row.name, tasks_unassigned: unassigned } });
        return { deleted: String(row.id), name: String(row.name), tasks_unassigned: unassigned };
      });
    },

    /** Activity, newest first: of one task, one project (its tasks included), or all the user's. */
    async activity(userId: string, filter: { task?: string | undefined; project?: string | undefined; limit?: number | undefined }): Promise<Activity[]> {
      const sql = db.sql();
      const where = ['user_id = ?'];
      const params: unknown[] = [userId];
      if (filter.task) {
        where.push('task_id = ?');
        params.push((await findTask(sql, userId, filter.task)).id);
      }
      if (filter.project) {
        const id = (await findProjectRow(sql, userId, filter.project)).id;
        where.push('(project_id = ? OR task_id IN (SELECT id FROM tasks WHERE project_id = ?))');
        params.push(id, id);
      }
      params.push(filter.limit ?? 50);
      const rows = await sql.all<Row>(`SELECT * FROM task_activity WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`, params);
      return rows.map(toActivity);
    },
  };
}

export type ProjectRepository = ReturnType<typeof createProjectRepository>;
