import { defineModule } from '../../engine/module.js';
import { ProjectTasksResolver } from './project-tasks.resolver.js';
import { Task } from './task.entity.js';
import { taskCountOfProject, projectTasksReadWithProject } from './task.loaders.js';
import { TaskResolver } from './task.resolver.js';
import { taskRules } from './task.rules.js';
import { TaskSubscriptionResolver } from './task-subscription.resolver.js';

/** Tasks of projects, their assignment, and the live `taskChanged` stream. */
export const tasksModule = defineModule({
  name: 'tasks',
  entities: [Task],
  resolvers: [ProjectTasksResolver, TaskResolver, TaskSubscriptionResolver],
  rules: taskRules,
  childCounts: [taskCountOfProject],
  childPrefetches: [projectTasksReadWithProject],
});
