import type { ChildCount } from '../../engine/graphql/child-counts.js';
import type { ChildPrefetch } from '../../engine/graphql/child-prefetch.js';
import type { Connection, ConnectionArgs } from '../../engine/graphql/connection.js';
import type { RequestContext } from '../../engine/context.js';
import { byIdLoader, childConnection, childCountLoader, childPageLoader, type ChildPageKey } from '../../engine/graphql/batch-loaders.js';
import type { LoaderFactory } from '../../engine/graphql/loaders.js';
import { User } from '../../engine/identity/user.entity.js';
import { usersById } from '../../engine/identity/user.loaders.js';
import { Project } from '../projects/project.entity.js';
import { Task } from './task.entity.js';

/** Tasks by id, within the request's tenant. */
export const tasksById: LoaderFactory<string, Task | null> = (em) => byIdLoader(em, Task);

/**
 * A page of each project's tasks, newest first, with their assignees (primed into `usersById`):
 * one statement for a whole list of projects.
 */
export const taskPagesByProject: LoaderFactory<ChildPageKey, Task[]> = (em, loaders) =>
  childPageLoader(em, Task, 'projectId', Project, { via: 'assigneeId', entity: User, loader: loaders.get(usersById) });

/** How many tasks each project has: one grouped count for a whole list of projects. */
export const taskCountsByProject: LoaderFactory<string, number> = (em) => childCountLoader(em, Task, 'projectId');

/** `Project.taskCount`, read in the projects list's own statement when a client selects it there. */
export const taskCountOfProject: ChildCount = { parent: Project, field: 'taskCount', child: Task, via: 'projectId' };

/** A page of a project's tasks, batched with every other project's of the request (`Project.tasks`). */
export function tasksOfProject(ctx: RequestContext, projectId: string, args: ConnectionArgs): Promise<Connection<Task>> {
  return childConnection(ctx.loaders.get(taskPagesByProject), ctx.loaders.get(taskCountsByProject), projectId, args);
}

/** `project(id) { tasks }`: the project's page of tasks is read with the project itself. */
export const projectTasksReadWithProject: ChildPrefetch = {
  parent: Project,
  field: 'tasks',
  start: (ctx, projectId, args) => tasksOfProject(ctx, projectId, args as ConnectionArgs),
};
