import { childCountLoader, childPageLoader, type ChildPageKey } from '../../engine/graphql/batch-loaders.js';
import type { LoaderFactory } from '../../engine/graphql/loaders.js';
import { Comment } from './comment.entity.js';

/** A page of each task's comments, newest first: one query for a whole list of tasks. */
export const commentPagesByTask: LoaderFactory<ChildPageKey, Comment[]> = (em) => childPageLoader(em, Comment, 'taskId');

/** How many comments each task has: one grouped count for a whole list of tasks. */
export const commentCountsByTask: LoaderFactory<string, number> = (em) => childCountLoader(em, Comment, 'taskId');
