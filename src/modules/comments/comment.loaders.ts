import { childCountLoader, childPageLoader, type ChildPageKey } from '../../engine/graphql/batch-loaders.js';
import type { LoaderFactory } from '../../engine/graphql/loaders.js';
import { User } from '../../engine/identity/user.entity.js';
import { usersById } from '../../engine/identity/user.loaders.js';
import { Task } from '../tasks/task.entity.js';
import { Comment } from './comment.entity.js';

/** A page of each task's comments, newest first, with their authors (primed into `usersById`): one statement for a whole list of tasks. */
export const commentPagesByTask: LoaderFactory<ChildPageKey, Comment[]> = (em, loaders) =>
  childPageLoader(em, Comment, 'taskId', Task, { via: 'authorId', entity: User, loader: loaders.get(usersById) });

/** How many comments each task has: one grouped count for a whole list of tasks. */
export const commentCountsByTask: LoaderFactory<string, number> = (em) => childCountLoader(em, Comment, 'taskId');
