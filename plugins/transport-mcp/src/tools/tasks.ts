import * as v from 'valibot';
import { coreRefs, createError, type ToolContext } from '@llm-bawt/sdk';
import { STEP_STATUSES, TASK_PRIORITIES, TASK_STATUSES } from '../db/migrations.js';
import { storeRef } from '@llm-bawt/plugin-store-postgres';
import { transportMcpRef } from '../refs.js';
import { projectBriefing, taskBriefing } from '../tasks/context.js';
import type { TaskPriority, TaskStatus } from '../tasks/types.js';
import { DESTROY, describe, int, mcpTool, READ, scopeOf, text, WRITE } from './define.js';

const taskId = describe(text(64), 'A task: its id, or its short id such as TASK-12 (or 12)');
const projectId = describe(text(200), 'A project: its id or its name');
const stepStatus = v.picklist(STEP_STATUSES);
const stepInput = v.union([text(1000), v.object({ title: text(1000), status: v.optional(stepStatus), output: v.optional(v.pipe(v.string(), v.maxLength(20_000))) })], 'must be a step title or {title, status?, output?}');
const steps = v.pipe(v.array(stepInput), v.maxLength(200, 'must hold at most 200 steps'));
const stepRef = describe(v.union([text(64), int(1, 10_000)], 'must be a step id or a position (1, 2, ...)'), 'A step: its id, or its position in the task (1-based)');
const botRef = text(100);

function services(ctx: ToolContext) {
  const value = ctx.get(transportMcpRef).tasks;
  if (!value) throw createError('LLMB_ERR_NOT_READY', 'the task pipeline needs store-postgres, which is not loaded');
  return value;
}
const toSteps = (list: readonly v.InferOutput<typeof stepInput>[]) => list.map((s) => (typeof s === 'string' ? { title: s } : s));

function checkBot(ctx: ToolContext, slug: string | null | undefined, param: string): void {
  if (slug && !ctx.get(coreRefs.bots).get(slug)) throw createError('LLMB_ERR_UNKNOWN_BOT', `The bot '${slug}' does not exist`, { param });
}

const taskFields = {
  description: v.optional(v.pipe(v.string(), v.maxLength(50_000))),
  priority: v.optional(v.picklist(TASK_PRIORITIES)),
  status: v.optional(v.picklist(TASK_STATUSES)),
  planned: v.optional(v.boolean()),
};

/** The fields tasks_create and tasks_update both take, as the repository names them (update may clear some with null). */
function taskChanges<Clearable extends string | null>(input: {
  description?: string | undefined;
  priority?: TaskPriority | undefined;
  status?: TaskStatus | undefined;
  planned?: boolean | undefined;
  project_id?: Clearable | undefined;
  agent_bot_id?: Clearable | undefined;
}) {
  return { description: input.description, priority: input.priority, status: input.status, planned: input.planned, projectId: input.project_id, agentBotId: input.agent_bot_id };
}

export const taskTools = [
  mcpTool('tasks', [storeRef], {
    name: 'tasks_list',
    description: "The user's tasks (shared by every bot working for that user), most recently changed first; filter by status, project, assignee or text.",
    input: v.object({
      status: v.optional(v.union([v.picklist(TASK_STATUSES), v.array(v.picklist(TASK_STATUSES))])),
      project_id: v.optional(projectId),
      agent_bot_id: v.optional(botRef),
      q: v.optional(text(200)),
      limit: v.optional(int(1, 500), 50),
    }),
    annotations: READ,
    async run(input, ctx) {
      const status = input.status === undefined ? undefined : Array.isArray(input.status) ? input.status : [input.status];
      const tasks = await services(ctx).tasks.list(ctx.userId, { status, projectId: input.project_id, agentBotId: input.agent_bot_id, q: input.q, limit: input.limit });
      return { count: tasks.length, tasks };
    },
  }),
  mcpTool('tasks', [storeRef], {
    name: 'tasks_get',
    description: 'One task with its steps and dependencies.',
    input: v.object({ task_id: taskId }),
    annotations: READ,
    run: (input, ctx) => services(ctx).tasks.get(ctx.userId, input.task_id),
  }),
  mcpTool('tasks', [storeRef], {
    name: 'tasks_get_context',
    description: 'A Markdown briefing for picking a task up: its project context, description, steps, dependencies and response so far.',
    input: v.object({ task_id: taskId }),
    annotations: READ,
    async run(input, ctx) {
      const task = await services(ctx).tasks.get(ctx.userId, input.task_id);
      const project = task.project_id ? await services(ctx).projects.get(ctx.userId, task.project_id) : undefined;
      return taskBriefing(task, project);
    },
  }),
  mcpTool('tasks', [storeRef], {
    name: 'tasks_create',
    description: 'Creates a task (optionally in a project, with steps); bot_id is recorded as its creator.',
    input: v.object({ title: text(500), ...taskFields, project_id: v.optional(projectId), agent_bot_id: v.optional(botRef), steps: v.optional(steps) }),
    annotations: WRITE,
    async run(input, ctx) {
      checkBot(ctx, input.agent_bot_id, 'agent_bot_id');
      return services(ctx).tasks.create(scopeOf(ctx), { title: input.title, ...taskChanges(input), steps: toSteps(input.steps ?? []) });
    },
  }),
  mcpTool('tasks', [storeRef], {
    name: 'tasks_update',
    description: "Changes a task's fields; only the fields given change. project_id null takes it out of its project.",
    input: v.object({
      task_id: taskId,
      title: v.optional(text(500)),
      ...taskFields,
      response: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(200_000)))),
      model_id: v.optional(v.nullable(text(100))),
      project_id: v.optional(v.nullable(projectId)),
      agent_bot_id: v.optional(v.nullable(botRef)),
    }),
    annotations: WRITE,
    async run(input, ctx) {
      checkBot(ctx, input.agent_bot_id, 'agent_bot_id');
      return services(ctx).tasks.update(scopeOf(ctx), input.task_id, { title: input.title, ...taskChanges(input), response: input.response, modelId: input.model_id });
    },
  }),
  mcpTool('tasks', [storeRef], {
    name: 'tasks_delete',
    description: 'Deletes a task with its steps and dependencies (the activity log keeps a record).',
    input: v.object({ task_id: taskId }),
    annotations: DESTROY,
    run: (input, ctx) => services(ctx).tasks.delete(scopeOf(ctx), input.task_id),
  }),
  mcpTool('tasks', [storeRef], {
    name: 'tasks_add_dependency',
    description: 'Makes a task depend on another (which must be done first); refuses a cycle.',
    input: v.object({ task_id: taskId, depends_on_id: taskId }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    run: (input, ctx) => services(ctx).tasks.addDependency(scopeOf(ctx), input.task_id, input.depends_on_id),
  }),
  mcpTool('tasks', [storeRef], {
    name: 'tasks_remove_dependency',
    description: 'Removes a dependency between two tasks.',
    input: v.object({ task_id: taskId, depends_on_id: taskId }),
    annotations: DESTROY,
    run: (input, ctx) => services(ctx).tasks.removeDependency(scopeOf(ctx), input.task_id, input.depends_on_id),
  }),
];

export const stepTools = [
  mcpTool('steps', [storeRef], {
    name: 'steps_add',
    description: "Appends steps to a task's checklist.",
    input: v.object({ task_id: taskId, steps: v.pipe(steps, v.minLength(1, 'must not be empty')) }),
    annotations: WRITE,
    run: (input, ctx) => services(ctx).steps.add(scopeOf(ctx), input.task_id, toSteps(input.steps)),
  }),
  mcpTool('steps', [storeRef], {
    name: 'steps_update',
    description: 'Changes steps: one (step_id with status, output or title) or several at once (updates).',
    input: v.pipe(
      v.object({
        task_id: taskId,
        step_id: v.optional(stepRef),
        status: v.optional(stepStatus),
        output: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(20_000)))),
        title: v.optional(text(1000)),
        updates: v.optional(
          v.pipe(
            v.array(v.object({ step_id: stepRef, status: v.optional(stepStatus), output: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(20_000)))), title: v.optional(text(1000)) })),
            v.minLength(1, 'must not be empty'),
            v.maxLength(200),
          ),
        ),
      }),
      v.forward(
        v.check((input) => (input.step_id === undefined) !== (input.updates === undefined), 'send step_id (one step) or updates (several), not both'),
        ['step_id'],
      ),
    ),
    annotations: WRITE,
    run(input, ctx) {
      const updates = input.updates ?? [{ step_id: input.step_id as string | number, status: input.status, output: input.output, title: input.title }];
      return services(ctx).steps.update(
        scopeOf(ctx),
        input.task_id,
        updates.map((u) => ({ step: u.step_id, status: u.status, output: u.output, title: u.title })),
      );
    },
  }),
  mcpTool('steps', [storeRef], {
    name: 'steps_delete',
    description: 'Deletes steps (step_id, or step_ids for several); later steps move up.',
    input: v.pipe(
      v.object({ task_id: taskId, step_id: v.optional(stepRef), step_ids: v.optional(v.pipe(v.array(stepRef), v.minLength(1, 'must not be empty'), v.maxLength(200))) }),
      v.forward(
        v.check((input) => (input.step_id === undefined) !== (input.step_ids === undefined), 'send step_id or step_ids'),
        ['step_id'],
      ),
    ),
    annotations: DESTROY,
    run: (input, ctx) => services(ctx).steps.delete(scopeOf(ctx), input.task_id, input.step_ids ?? [input.step_id as string | number]),
  }),
  mcpTool('steps', [storeRef], {
    name: 'steps_set',
    description: "Replaces a task's whole checklist at once.",
    input: v.object({ task_id: taskId, steps }),
    annotations: DESTROY,
    run: (input, ctx) => services(ctx).steps.set(scopeOf(ctx), input.task_id, toSteps(input.steps)),
  }),
];

const projectFields = {
  description: v.optional(v.pipe(v.string(), v.maxLength(20_000))),
  color: v.optional(text(32)),
  icon: v.optional(text(64)),
  context_prompt: v.optional(describe(v.pipe(v.string(), v.maxLength(50_000)), 'Instructions every agent working on the project reads')),
  agent_bot_id: v.optional(botRef),
};

/** The fields projects_create and projects_update both take, as the repository names them (update may clear some with null). */
function projectChanges<Clearable extends string | null>(input: {
  description?: string | undefined;
  color?: Clearable | undefined;
  icon?: Clearable | undefined;
  context_prompt?: string | undefined;
  agent_bot_id?: Clearable | undefined;
}) {
  return { description: input.description, color: input.color, icon: input.icon, contextPrompt: input.context_prompt, agentBotId: input.agent_bot_id };
}

export const projectTools = [
  mcpTool('projects', [storeRef], {
    name: 'projects_list',
    description: "The user's projects with their task counts by status.",
    input: v.object({}),
    annotations: READ,
    async run(_input, ctx) {
      const projects = await services(ctx).projects.list(ctx.userId);
      return { count: projects.length, projects };
    },
  }),
  mcpTool('projects', [storeRef], {
    name: 'projects_get',
    description: 'One project (by id or name) with its context prompt and tasks.',
    input: v.object({ project_id: projectId }),
    annotations: READ,
    run: (input, ctx) => services(ctx).projects.get(ctx.userId, input.project_id),
  }),
  mcpTool('projects', [storeRef], {
    name: 'projects_get_context',
    description: 'A Markdown briefing of a project: its context prompt and open tasks.',
    input: v.object({ project_id: projectId }),
    annotations: READ,
    run: async (input, ctx) => projectBriefing(await services(ctx).projects.get(ctx.userId, input.project_id)),
  }),
  mcpTool('projects', [storeRef], {
    name: 'projects_create',
    description: 'Creates a project (names are unique per user).',
    input: v.object({ name: text(200), ...projectFields }),
    annotations: WRITE,
    async run(input, ctx) {
      checkBot(ctx, input.agent_bot_id, 'agent_bot_id');
      return services(ctx).projects.create(scopeOf(ctx), { name: input.name, ...projectChanges(input) });
    },
  }),
  mcpTool('projects', [storeRef], {
    name: 'projects_update',
    description: "Changes a project's fields; only the fields given change.",
    input: v.object({
      project_id: projectId,
      name: v.optional(text(200)),
      ...projectFields,
      color: v.optional(v.nullable(text(32))),
      icon: v.optional(v.nullable(text(64))),
      agent_bot_id: v.optional(v.nullable(botRef)),
    }),
    annotations: WRITE,
    async run(input, ctx) {
      checkBot(ctx, input.agent_bot_id, 'agent_bot_id');
      return services(ctx).projects.update(scopeOf(ctx), input.project_id, { name: input.name, ...projectChanges(input) });
    },
  }),
  mcpTool('projects', [storeRef], {
    name: 'projects_delete',
    description: 'Deletes a project; its tasks stay, outside any project.',
    input: v.object({ project_id: projectId }),
    annotations: DESTROY,
    run: (input, ctx) => services(ctx).projects.delete(scopeOf(ctx), input.project_id),
  }),
  mcpTool('activity', [storeRef], {
    name: 'activity_get',
    description: "The task pipeline's activity log, newest first: of one task, one project (its tasks included), or everything of the user.",
    input: v.object({ task_id: v.optional(taskId), project_id: v.optional(projectId), limit: v.optional(int(1, 500), 50) }),
    annotations: READ,
    async run(input, ctx) {
      const activity = await services(ctx).projects.activity(ctx.userId, { task: input.task_id, project: input.project_id, limit: input.limit });
      return { count: activity.length, activity };
    },
  }),
];
