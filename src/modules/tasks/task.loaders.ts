import type { ChildCount } from '../../engine/graphql/child-counts.js';
import { byIdLoader, childCountLoader, childPageLoader, type ChildPageKey } from '../../engine/graphql/batch-loaders.js';
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
