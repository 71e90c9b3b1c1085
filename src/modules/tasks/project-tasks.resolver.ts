import { Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { countOf } from '../../engine/graphql/child-counts.js';
import { ConnectionArgs, type Connection } from '../../engine/graphql/connection.js';
import type { RequestContext } from '../../engine/context.js';
import type { PlainRow } from '../../engine/graphql/plain-rows.js';
import { Project } from '../projects/project.entity.js';
import type { Task } from './task.entity.js';
import { taskCountOfProject, taskCountsByProject, tasksOfProject } from './task.loaders.js';
import { TaskConnection } from './task.types.js';

/** A project's tasks, batched across every project of a list (no query per project). */
@Resolver(() => Project)
export class ProjectTasksResolver {
  @FieldResolver(() => TaskConnection, { description: 'Newest first.' })
  tasks(
    @Root() project: PlainRow<Project>,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Task>> {
    return tasksOfProject(ctx, project.id, args);
  }

  @FieldResolver(() => Int, { description: 'How many tasks the project has.' })
  taskCount(@Root() project: PlainRow<Project>, @Ctx() ctx: RequestContext): number | Promise<number> {
    return countOf(project, taskCountOfProject) ?? ctx.loaders.get(taskCountsByProject).load(project.id);
  }
}
