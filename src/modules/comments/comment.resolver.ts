import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { childConnection, joinedRowOf } from '../../engine/graphql/batch-loaders.js';
import type { PlainRow } from '../../engine/graphql/plain-rows.js';
import { ConnectionArgs, type Connection } from '../../engine/graphql/connection.js';
import type { RequestContext } from '../../engine/context.js';
import { Task } from '../tasks/task.entity.js';
import { tasksById } from '../tasks/task.loaders.js';
import { User } from '../../engine/identity/user.entity.js';
import { usersById } from '../../engine/identity/user.loaders.js';
import { Comment } from './comment.entity.js';
import { AddCommentInput } from './comment.inputs.js';
import { commentCountsByTask, commentPagesByTask } from './comment.loaders.js';
import { addComment } from './comment.service.js';
import { CommentConnection } from './comment.types.js';

@Resolver(() => Comment)
export class CommentResolver {
  @Mutation(() => Comment, { nullable: true, description: 'Adds a comment by the caller to a task of the tenant.' })
  addComment(
    @Arg('input', () => AddCommentInput, { description: 'The task and the comment text.' }) input: AddCommentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Comment> {
    return addComment(ctx, input);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Null once the author left the tenant.' })
  author(@Root() comment: PlainRow<Comment>, @Ctx() ctx: RequestContext): Promise<User | null> | User | null {
    if (!comment.authorId) return null;
    const joined = joinedRowOf<User>(comment);
    return joined !== undefined ? joined : ctx.loaders.get(usersById).load(comment.authorId);
  }

  @FieldResolver(() => Task, { description: 'The task commented on.' })
  async task(@Root() comment: PlainRow<Comment>, @Ctx() ctx: RequestContext): Promise<Task> {
    const task = await ctx.loaders.get(tasksById).load(comment.taskId);
    if (!task) throw new Error(`Comment ${comment.id} has no task in its tenant`);
    return task;
  }
}

/** A task's comments, batched across every task of a list (no query per task). */
@Resolver(() => Task)
export class TaskCommentsResolver {
  @FieldResolver(() => CommentConnection, { description: 'Newest first.' })
  comments(
    @Root() task: PlainRow<Task>,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Comment>> {
    return childConnection(ctx.loaders.get(commentPagesByTask), ctx.loaders.get(commentCountsByTask), task.id, args);
  }

  @FieldResolver(() => Int, { description: 'How many comments the task has.' })
  commentCount(@Root() task: PlainRow<Task>, @Ctx() ctx: RequestContext): Promise<number> {
    return ctx.loaders.get(commentCountsByTask).load(task.id);
  }
}
