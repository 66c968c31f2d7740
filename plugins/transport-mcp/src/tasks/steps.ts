import { createError } from '@llm-bawt/sdk';
import { isUuid, type Database, type Sql } from '@llm-bawt/plugin-store-postgres';
import { findTask, recordActivity } from './rows.js';
import { appendSteps, taskDetail } from './tasks.js';
import type { Actor, NewStep, StepPatch, TaskDetail } from './types.js';

/** A step by id or by its 1-based position in the task. */
async function stepId(sql: Sql, taskId: string, step: string | number, param: string): Promise<string> {
  const byPosition = typeof step === 'number' || /^\d+$/.test(step.trim());
  if (!byPosition && !isUuid(step)) throw createError('LLMB_ERR_NOT_FOUND', `no step '${step}' in this task`, { param });
  const row = byPosition
    ? await sql.one<{ id: string }>('SELECT id FROM task_steps WHERE task_id = ? AND position = ?', [taskId, Number(step)])
    : await sql.one<{ id: string }>('SELECT id FROM task_steps WHERE task_id = ? AND id = ?', [taskId, step]);
  if (!row) throw createError('LLMB_ERR_NOT_FOUND', `no step '${step}' in this task`, { param });
  return String(row.id);
}

const renumber = (sql: Sql, taskId: string) =>
  sql.run(
    `UPDATE task_steps s SET position = r.rn FROM (
       SELECT id, row_number() OVER (ORDER BY position, created_at) AS rn FROM task_steps WHERE task_id = ?
     ) r WHERE s.id = r.id AND s.position <> r.rn`,
    [taskId],
  );

const touch = (sql: Sql, taskId: string) => sql.run('UPDATE tasks SET updated_at = now() WHERE id = ?', [taskId]);

/** A task's steps: appended, changed, deleted (positions close up), or replaced at once. */
export function createStepRepository(db: Database) {
  const withTask = async (actor: Actor, ref: string, work: (sql: Sql, task: Awaited<ReturnType<typeof findTask>>) => Promise<void>): Promise<TaskDetail> =>
    db.transaction(async (sql) => {
      const task = await findTask(sql, actor.userId, ref);
      await work(sql, task);
      await touch(sql, task.id);
      return taskDetail(sql, await findTask(sql, actor.userId, task.id));
    });

  return {
    add: (actor: Actor, ref: string, steps: readonly NewStep[]) =>
      withTask(actor, ref, async (sql, task) => {
        await appendSteps(sql, task.id, steps);
        await recordActivity(sql, actor, { taskId: task.id, projectId: task.project_id, action: 'steps_added', detail: { titles: steps.map((s) => s.title) } });
      }),

    update: (actor: Actor, ref: string, updates: readonly StepPatch[]) =>
      withTask(actor, ref, async (sql, task) => {
        const changed: Record<string, unknown>[] = [];
        for (const [index, update] of updates.entries()) {
          const id = await stepId(sql, task.id, update.step, `updates.${index}.step_id`);
          const sets: string[] = [];
          const params: unknown[] = [];
          for (const [column, value] of [
            ['title', update.title],
            ['status', update.status],
            ['output', update.output],
          ] as const) {
            if (value === undefined) continue;
            sets.push(`${column} = ?`);
            params.push(value);
          }
          if (sets.length === 0) throw createError('LLMB_ERR_INVALID_REQUEST', 'a step update needs a title, status or output', { param: `updates.${index}` });
          await sql.run(`UPDATE task_steps SET ${sets.join(', ')}, updated_at = now() WHERE id = ?`, [...params, id]);
          changed.push({ step: id, ...(update.status ? { status: update.status } : {}) });
        }
        await recordActivity(sql, actor, { taskId: task.id, projectId: task.project_id, action: 'steps_updated', detail: { steps: changed } });
      }),

    delete: (actor: Actor, ref: string, steps: readonly (string | number)[]) =>
      withTask(actor, ref, async (sql, task) => {
        const ids: string[] = [];
        for (const [index, step] of steps.entries()) ids.push(await stepId(sql, task.id, step, `step_ids.${index}`));
        for (const id of new Set(ids)) await sql.run('DELETE FROM task_steps WHERE id = ?', [id]);
        await renumber(sql, task.id);
        await recordActivity(sql, actor, { taskId: task.id, projectId: task.project_id, action: 'steps_deleted', detail: { count: new Set(ids).size } });
      }),

    set: (actor: Actor, ref: string, steps: readonly NewStep[]) =>
      withTask(actor, ref, async (sql, task) => {
        await sql.run('DELETE FROM task_steps WHERE task_id = ?', [task.id]);
        await appendSteps(sql, task.id, steps);
        await recordActivity(sql, actor, { taskId: task.id, projectId: task.project_id, action: 'steps_replaced', detail: { count: steps.length } });
      }),
  };
}

export type StepRepository = ReturnType<typeof createStepRepository>;
