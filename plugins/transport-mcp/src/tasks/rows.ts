import { createError } from '@llm-bawt/sdk';
import { isUuid, type Sql } from '@llm-bawt/plugin-store-postgres';
import { iso } from '../db/iso.js';
import type { Activity, Actor, Project, Step, Task, TaskLink, TaskPriority, TaskStatus, StepStatus } from './types.js';

type Row = Record<string, unknown>;

export const shortId = (number: unknown) => `TASK-${Number(number)}`;

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

/** Columns every task query selects (`t` is tasks, `p` its project). */
export const TASK_SELECT = `SELECT t.id, t.number, t.user_id, t.project_id, p.name AS project_name, t.title, t.description, t.status, t.priority,
  t.planned, t.response, t.model_id, t.agent_bot_id, t.created_by_bot, t.created_at, t.updated_at, t.completed_at,
  (SELECT count(*)::int FROM task_steps s WHERE s.task_id = t.id) AS steps_total,
  (SELECT count(*)::int FROM task_steps s WHERE s.task_id = t.id AND s.status IN ('done', 'skipped')) AS steps_done
FROM tasks t LEFT JOIN projects p ON p.id = t.project_id`;

export function toTask(row: Row): Task {
  return {
    id: String(row.id),
    short_id: shortId(row.number),
    number: Number(row.number),
    user_id: String(row.user_id),
    project_id: text(row.project_id),
    project_name: text(row.project_name),
    title: String(row.title),
    description: String(row.description ?? ''),
    status: row.status as TaskStatus,
    priority: row.priority as TaskPriority,
    planned: Boolean(row.planned),
    response: text(row.response),
    model_id: text(row.model_id),
    agent_bot_id: text(row.agent_bot_id),
    created_by_bot: String(row.created_by_bot),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    completed_at: iso(row.completed_at),
    progress: { done: Number(row.steps_done ?? 0), total: Number(row.steps_total ?? 0) },
  };
}

export function toStep(row: Row): Step {
  return { id: String(row.id), position: Number(row.position), title: String(row.title), status: row.status as StepStatus, output: text(row.output), updated_at: iso(row.updated_at) };
}

export function toLink(row: Row): TaskLink {
  return { id: String(row.id), short_id: shortId(row.number), title: String(row.title), status: row.status as TaskStatus };
}

export function toProject(row: Row, counts: Record<string, number> = {}): Project {
  return {
    id: String(row.id),
    user_id: String(row.user_id),
    name: String(row.name),
    description: String(row.description ?? ''),
    color: text(row.color),
    icon: text(row.icon),
    context_prompt: String(row.context_prompt ?? ''),
    agent_bot_id: text(row.agent_bot_id),
    created_by_bot: String(row.created_by_bot),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    task_counts: counts,
  };
}

export function toActivity(row: Row): Activity {
  const detail = typeof row.detail === 'string' ? (JSON.parse(row.detail) as Record<string, unknown>) : ((row.detail ?? {}) as Record<string, unknown>);
  return { id: Number(row.id), task_id: text(row.task_id), project_id: text(row.project_id), bot_id: String(row.bot_id), action: String(row.action), detail, created_at: iso(row.created_at) };
}

/** How a task is named: its UUID, `TASK-12`, `T-12`, `#12` or `12`. */
export function taskMatch(ref: string): { sql: string; params: unknown[] } | undefined {
  const value = ref.trim();
  if (isUuid(value)) return { sql: 't.id = ?', params: [value] };
  const number = /^(?:task-|t-|#)?(\d{1,15})$/i.exec(value)?.[1];
  return number === undefined ? undefined : { sql: 't.number = ?', params: [Number(number)] };
}

export const taskNotFound = (ref: string, param = 'task_id') => createError('LLMB_ERR_NOT_FOUND', `no task '${ref}' for this user`, { param });
export const projectNotFound = (ref: string, param = 'project_id') => createError('LLMB_ERR_NOT_FOUND', `no project '${ref}' for this user`, { param });

/** The user's task with this reference, or a 404. */
export async function findTask(sql: Sql, userId: string, ref: string, param = 'task_id'): Promise<Task> {
  const match = taskMatch(ref);
  const row = match ? await sql.one<Row>(`${TASK_SELECT} WHERE t.user_id = ? AND ${match.sql}`, [userId, ...match.params]) : undefined;
  if (!row) throw taskNotFound(ref, param);
  return toTask(row);
}

/** The user's project named by id or name (case-insensitive), or a 404. */
export async function findProjectRow(sql: Sql, userId: string, ref: string, param = 'project_id'): Promise<Row> {
  const value = ref.trim();
  const row = isUuid(value)
    ? await sql.one<Row>('SELECT * FROM projects WHERE user_id = ? AND id = ?', [userId, value])
    : await sql.one<Row>('SELECT * FROM projects WHERE user_id = ? AND lower(name) = lower(?)', [userId, value]);
  if (!row) throw projectNotFound(ref, param);
  return row;
}

export async function recordActivity(
  sql: Sql,
  actor: Actor,
  entry: { taskId?: string | null; projectId?: string | null; action: string; detail?: Record<string, unknown> },
): Promise<void> {
  await sql.run('INSERT INTO task_activity (user_id, task_id, project_id, bot_id, action, detail) VALUES (?, ?, ?, ?, ?, ?::jsonb)', [
    actor.userId,
    entry.taskId ?? null,
    entry.projectId ?? null,
    actor.botId,
    entry.action,
    JSON.stringify(entry.detail ?? {}),
  ]);
}

/** `%` and `_` matched literally in an ILIKE pattern. */
export const likePattern = (query: string) => `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
