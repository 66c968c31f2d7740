import type { Database } from '@llm-bawt/plugin-store-postgres';
import { createProjectRepository } from './projects.js';
import { createStepRepository } from './steps.js';
import { createTaskRepository } from './tasks.js';

/** The agent task pipeline over the store: tasks, steps, projects and activity. */
export function createTaskServices(db: Database) {
  return { tasks: createTaskRepository(db), steps: createStepRepository(db), projects: createProjectRepository(db) };
}

export type TaskServices = ReturnType<typeof createTaskServices>;
