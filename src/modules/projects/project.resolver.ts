import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../engine/context.js';
import { prefetchSelectedChildren } from '../../engine/graphql/child-prefetch.js';
import type { PlainRow } from '../../engine/graphql/plain-rows.js';
import { User } from '../../engine/identity/user.entity.js';
import { usersById } from '../../engine/identity/user.loaders.js';
import { memberIdsByProject } from './project-members.js';
import { transitionsFor } from './project-workflow.js';
import { Project } from './project.entity.js';
import { ProjectStatus } from './project.enums.js';
import { CreateProjectInput, UpdateProjectInput } from './project.inputs.js';
import {
  createProject,
  deleteProject,
  findProject,
  listProjects,
  reopenProject,
  transitionProject,
  updateProject,
} from './project.service.js';
import { ProjectConnection, ProjectsArgs } from './project.types.js';

@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => ProjectConnection, { nullable: true, description: 'Projects of the tenant, newest first.' })
  projects(@Args(() => ProjectsArgs) args: ProjectsArgs, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return listProjects(ctx, args, info);
  }

  @Query(() => Project, { nullable: true, description: 'Null for a missing id and for an id of another tenant alike.' })
  project(
    @Arg('id', () => ID, { description: 'The project id.' }) id: string,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Project | null> {
    const project = findProject(ctx, id);
    prefetchSelectedChildren(ctx, Project, id, info);
    return project;
  }

  @Mutation(() => Project, { nullable: true, description: 'A DRAFT project owned by the caller.' })
  createProject(
    @Arg('input', () => CreateProjectInput, { description: 'Name and optional description of the new project.' }) input: CreateProjectInput,
    @Ctx() ctx: RequestContext,
  ) {
    return createProject(ctx, input);
  }

  @Mutation(() => Project, { nullable: true, description: 'The project owner or a MANAGER+ may edit a project.' })
  updateProject(
    @Arg('id', () => ID, { description: 'The project to edit; NOT_FOUND when the tenant has no such project.' }) id: string,
    @Arg('input', () => UpdateProjectInput, { description: 'The fields to change.' }) input: UpdateProjectInput,
    @Ctx() ctx: RequestContext,
  ) {
    return updateProject(ctx, id, input);
  }

  @Mutation(() => Project, { nullable: true, description: 'Moves a project along the approval workflow.' })
  transitionProject(
    @Arg('id', () => ID, { description: 'The project to move; NOT_FOUND when the tenant has no such project.' }) id: string,
    @Arg('to', () => ProjectStatus, {
      description: 'The target status; INVALID_TRANSITION when the workflow does not allow it from the current status.',
    })
    to: ProjectStatus,
    @Ctx() ctx: RequestContext,
  ) {
    return transitionProject(ctx, id, to);
  }

  @Mutation(() => Project, {
    nullable: true,
    description:
      'Advanced workflow (ENTERPRISE, managers): puts a COMPLETED or ARCHIVED project back to ACTIVE; INVALID_TRANSITION from any other status, PLAN_UPGRADE_REQUIRED below ENTERPRISE.',
  })
  reopenProject(
    @Arg('id', () => ID, { description: 'The project to reopen; NOT_FOUND when the tenant has no such project.' }) id: string,
    @Ctx() ctx: RequestContext,
  ) {
    return reopenProject(ctx, id);
  }

  @Mutation(() => ID, { nullable: true, description: 'Deletes the project, its tasks and comments; returns its id.' })
  deleteProject(
    @Arg('id', () => ID, { description: 'The project to delete; NOT_FOUND when the tenant has no such project.' }) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<string> {
    return deleteProject(ctx, id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The creator; null once they left the tenant.' })
  owner(@Root() project: PlainRow<Project>, @Ctx() ctx: RequestContext): Promise<User | null> | null {
    return project.ownerId ? ctx.loaders.get(usersById).load(project.ownerId) : null;
  }

  @FieldResolver(() => [User], { description: 'The creator and everyone a task of the project was assigned to.' })
  async members(@Root() project: PlainRow<Project>, @Ctx() ctx: RequestContext): Promise<User[]> {
    const ids = await ctx.loaders.get(memberIdsByProject).load(project.id);
    const users = await Promise.all(ids.map((id) => ctx.loaders.get(usersById).load(id)));
    return users.filter((user): user is User => user !== null);
  }

  @FieldResolver(() => [ProjectStatus], { description: 'The statuses the caller may move this project to.' })
  allowedTransitions(@Root() project: PlainRow<Project>, @Ctx() ctx: RequestContext): ProjectStatus[] {
    return transitionsFor(project.status, ctx.role);
  }
}
