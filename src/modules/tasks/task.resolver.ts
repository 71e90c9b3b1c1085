import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../engine/context.js';
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
  task(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Task | null> {
    return findTask(ctx, id);
  }

  @Mutation(() => Task, { nullable: true })
  createTask(@Arg('input', () => CreateTaskInput) input: CreateTaskInput, @Ctx() ctx: RequestContext): Promise<Task> {
    return createTask(ctx, input);
  }

  @Mutation(() => Task, { nullable: true })
  updateTask(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateTaskInput) input: UpdateTaskInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Task> {
    return updateTask(ctx, id, input);
  }

  @Mutation(() => Task, { nullable: true, description: 'Assigns the task to a member of the tenant; null unassigns it.' })
  assignTask(
    @Arg('id', () => ID) id: string,
    @Arg('assigneeId', () => ID, { nullable: true }) assigneeId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Task> {
    return assignTask(ctx, id, assigneeId ?? null);
  }

  @Mutation(() => ID, { nullable: true, description: 'Deletes the task and its comments; returns its id.' })
  deleteTask(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<string> {
    return deleteTask(ctx, id);
  }

  @FieldResolver(() => User, { nullable: true })
  assignee(@Root() task: Task, @Ctx() ctx: RequestContext): Promise<User | null> | null {
    return task.assigneeId ? ctx.loaders.get(usersById).load(task.assigneeId) : null;
  }

  @FieldResolver(() => Project)
  async project(@Root() task: Task, @Ctx() ctx: RequestContext): Promise<Project> {
    const project = await ctx.loaders.get(projectsById).load(task.projectId);
    if (!project) throw new Error(`Task ${task.id} has no project in its tenant`);
    return project;
  }
}
