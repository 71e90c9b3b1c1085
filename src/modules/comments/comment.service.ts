import { actorOf } from '../../engine/identity/actor.js';
import type { RequestContext } from '../../engine/context.js';
import { requireTask } from '../tasks/task.service.js';
import { Comment } from './comment.entity.js';
import type { AddCommentInput } from './comment.inputs.js';

/** Comments on a task of the tenant as the caller; a foreign or missing task is NOT_FOUND. */
export async function addComment(ctx: RequestContext, input: AddCommentInput): Promise<Comment> {
  const task = await requireTask(ctx, input.taskId, 'taskId');
  const comment = ctx.em.create(Comment, { taskId: task.id, authorId: actorOf(ctx).id, body: input.body.trim() });
  await ctx.em.flush();
  return comment;
}
