import type { STEP_STATUSES, TASK_PRIORITIES, TASK_STATUSES } from '../db/migrations.js';

export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
export type StepStatus = (typeof STEP_STATUSES)[number];

/** Who acts: the bot doing the work and the user whose workspace it is. */
export interface Actor {
  botId: string;
  userId: string;
}

export interface Step {
  id: string;
  position: number;
  title: string;
  status: StepStatus;
  output: string | null;
  updated_at: string | null;
}

export interface TaskLink {
  id: string;
  short_id: string;
  title: string;
  status: TaskStatus;
}

export interface Task {
  id: string;
  short_id: string;
  number: number;
  user_id: string;
  project_id: string | null;
  project_name: string | null;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  planned: boolean;
  response: string | null;
  model_id: string | null;
  agent_bot_id: string | null;
  created_by_bot: string;
  created_at: string | null;
  updated_at: string | null;
  completed_at: string | null;
  /** Done steps / all steps. */
  progress: { done: number; total: number };
}

export interface TaskDetail extends Task {
  steps: Step[];
  depends_on: TaskLink[];
  blocks: TaskLink[];
}

export interface Project {
  id: string;
  user_id: string;
  name: string;
  description: string;
  color: string | null;
  icon: string | null;
  context_prompt: string;
  agent_bot_id: string | null;
  created_by_bot: string;
  created_at: string | null;
  updated_at: string | null;
  task_counts: Record<string, number>;
}

export interface Activity {
  id: number;
  task_id: string | null;
  project_id: string | null;
  bot_id: string;
  action: string;
  detail: Record<string, unknown>;
  created_at: string | null;
}

export interface NewStep {
  title: string;
  status?: StepStatus | undefined;
  output?: string | undefined;
}

export interface TaskInput {
  title: string;
  description?: string | undefined;
  projectId?: string | undefined;
  priority?: TaskPriority | undefined;
  status?: TaskStatus | undefined;
  planned?: boolean | undefined;
  agentBotId?: string | undefined;
  steps?: NewStep[] | undefined;
}

export interface TaskPatch {
  title?: string | undefined;
  description?: string | undefined;
  /** `null` takes the task out of its project. */
  projectId?: string | null | undefined;
  priority?: TaskPriority | undefined;
  status?: TaskStatus | undefined;
  planned?: boolean | undefined;
  response?: string | null | undefined;
  modelId?: string | null | undefined;
  agentBotId?: string | null | undefined;
}

export interface StepPatch {
  step: string | number;
  title?: string | undefined;
  status?: StepStatus | undefined;
  output?: string | null | undefined;
}

export interface ProjectInput {
  name: string;
  description?: string | undefined;
  color?: string | undefined;
  icon?: string | undefined;
  contextPrompt?: string | undefined;
  agentBotId?: string | undefined;
}

export interface ProjectPatch {
  name?: string | undefined;
  description?: string | undefined;
  color?: string | null | undefined;
  icon?: string | null | undefined;
  contextPrompt?: string | undefined;
  agentBotId?: string | null | undefined;
}
