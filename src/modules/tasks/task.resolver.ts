import { Arg, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { RequestContext } from '../../engine/context.js';
import { joinedRowOf } from '../../engine/graphql/batch-loaders.js';
import { selectsOnlyId } from '../../engine/graphql/selected-fields.js';
import type { PlainRow } from '../../engine/graphql/plain-rows.js';
import { Project } from '../projects/project.entity.js';
import { projectsById } from '../projects/project.loaders.js';
import { User } from '../../engine/identity/user.entity.js';
import { usersById } from '../../engine/identity/user.loaders.js';
import { Task } from './task.entity.js';
import { CreateTaskInput, UpdateTaskInput } from './task.inputs.js';
import { assignTask, createTask, deleteTask, findTask, updateTask } from './task.service.js';

@Resolver(() => Task)
export class TaskResolver {
  @Query(() => Task, { nullable: true, description: 'Null for a missing id and for an id of another tenant alike.' })
  task(@Arg('id', () => ID, { description: 'The task id.' }) id: string, @Ctx() ctx: RequestContext): Promise<Task | null> {
    return findTask(ctx, id);
  }

  @Mutation(() => Task, { nullable: true, description: 'A new task in a project of the tenant, in status TODO.' })
  createTask(
    @Arg('input', () => CreateTaskInput, { description: 'Project, title and optional assignee, description and due day.' })
    input: CreateTaskInput,
    @Ctx() ctx: RequestContext,
  ): Promise<PlainRow<Task>> {
    return createTask(ctx, input);
  }

  @Mutation(() => Task, { nullable: true, description: 'Edits title, description, status or due day of a task.' })
  updateTask(
    @Arg('id', () => ID, { description: 'The task to edit; NOT_FOUND when the tenant has no such task.' }) id: string,
    @Arg('input', () => UpdateTaskInput, { description: 'The fields to change.' }) input: UpdateTaskInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Task> {
    return updateTask(ctx, id, input);
  }

  @Mutation(() => Task, { nullable: true, description: 'Assigns the task to a member of the tenant; null unassigns it.' })
  assignTask(
    @Arg('id', () => ID, { description: 'The task to assign; NOT_FOUND when the tenant has no such task.' }) id: string,
    @Arg('assigneeId', () => ID, { nullable: true, description: 'A member of the tenant, or null to unassign.' }) assigneeId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Task> {
    return assignTask(ctx, id, assigneeId ?? null);
  }

  @Mutation(() => ID, { nullable: true, description: 'Deletes the task and its comments; returns its id.' })
  deleteTask(
    @Arg('id', () => ID, { description: 'The task to delete; NOT_FOUND when the tenant has no such task.' }) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<string> {
    return deleteTask(ctx, id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The member the task is assigned to; null when unassigned.' })
  assignee(@Root() task: PlainRow<Task>, @Ctx() ctx: RequestContext): Promise<User | null> | User | null {
    if (!task.assigneeId) return null;
    const joined = joinedRowOf<User>(task);
    return joined !== undefined ? joined : ctx.loaders.get(usersById).load(task.assigneeId);
  }

  /**
   * The task's project. Asked for its id alone (a mutation's `project { id }`), it is not read:
   * the foreign key (tenant_id, project_id) guarantees a project of the tenant with that id.
   */
  @FieldResolver(() => Project, { description: 'The project the task belongs to.' })
  async project(@Root() task: PlainRow<Task>, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Pick<Project, 'id'>> {
    if (selectsOnlyId(info)) return { id: task.projectId };
    const project = await ctx.loaders.get(projectsById).load(task.projectId);
    if (!project) throw new Error(`Task ${task.id} has no project in its tenant`);
    return project;
  }
}
