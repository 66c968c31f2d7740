import type { Project, Task, TaskDetail } from './types.js';

const STEP_MARK: Record<string, string> = { pending: '[ ]', in_progress: '[~]', done: '[x]', skipped: '[-]', failed: '[!]' };

/** A task as a Markdown briefing for an agent picking it up. */
export function taskBriefing(task: TaskDetail, project?: Pick<Project, 'name' | 'context_prompt'>): string {
  const lines = [`# ${task.short_id}: ${task.title}`, '', `Status: ${task.status} · priority: ${task.priority} · progress: ${task.progress.done}/${task.progress.total} steps`];
  if (task.agent_bot_id) lines.push(`Assigned to: ${task.agent_bot_id}`);
  if (project) {
    lines.push(`Project: ${project.name}`);
    if (project.context_prompt.trim()) lines.push('', '## Project context', '', project.context_prompt.trim());
  }
  if (task.description.trim()) lines.push('', '## Description', '', task.description.trim());
  if (task.steps.length > 0) {
    lines.push('', '## Steps', '');
    for (const step of task.steps) {
      lines.push(`${step.position}. ${STEP_MARK[step.status] ?? '[ ]'} ${step.title}${step.output ? ` — ${step.output}` : ''}`);
    }
  }
  if (task.depends_on.length > 0) {
    lines.push('', '## Depends on', '');
    for (const dep of task.depends_on) lines.push(`- ${dep.short_id} ${dep.title} (${dep.status})`);
  }
  if (task.blocks.length > 0) {
    lines.push('', '## Blocks', '');
    for (const dep of task.blocks) lines.push(`- ${dep.short_id} ${dep.title} (${dep.status})`);
  }
  if (task.response) lines.push('', '## Response so far', '', task.response);
  return `${lines.join('\n')}\n`;
}

/** A project as a Markdown briefing: its context prompt and its open tasks. */
export function projectBriefing(project: Project & { tasks: Task[] }): string {
  const lines = [`# Project: ${project.name}`];
  if (project.description.trim()) lines.push('', project.description.trim());
  if (project.context_prompt.trim()) lines.push('', '## Context', '', project.context_prompt.trim());
  const open = project.tasks.filter((t) => t.status !== 'done' && t.status !== 'cancelled');
  const closed = project.tasks.length - open.length;
  lines.push('', `## Open tasks (${open.length}; ${closed} done or cancelled)`, '');
  for (const task of open) lines.push(`- ${task.short_id} [${task.status}, ${task.priority}] ${task.title} (${task.progress.done}/${task.progress.total} steps)`);
  if (open.length === 0) lines.push('- none');
  return `${lines.join('\n')}\n`;
}
