import type { GraphQLResolveInfo } from 'graphql';
import { selectedChildCounts } from '../../engine/graphql/child-counts.js';
import { LockMode, type ObjectQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { actorOf } from '../../engine/identity/actor.js';
import type { Connection } from '../../engine/graphql/connection.js';
import { paginate } from '../../engine/graphql/paginate.js';
import { findRows, type PlainRow } from '../../engine/graphql/plain-rows.js';
import { ForbiddenError, InvalidTransitionError, NotFoundError } from '../../engine/graphql/errors.js';
import { requireUuid } from '../../engine/graphql/uuid.js';
import { requireFound } from '../../engine/graphql/require-found.js';
import { cleanText } from '../../engine/graphql/validation.js';
import type { RequestContext } from '../../engine/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { Role, roleAtLeast } from '../../engine/identity/roles.js';
import { enforceCountLimit } from '../metering/count-quota.js';
import { recordUsageEvent } from '../metering/usage-meter.js';
import { UsageMetric } from '../metering/usage-metric.js';
import { addProjectMember } from './project-members.js';
import { assertTransitionAllowed } from './project-workflow.js';
import { Project } from './project.entity.js';
import { ProjectStatus } from './project.enums.js';
import type { CreateProjectInput, UpdateProjectInput } from './project.inputs.js';
import type { ProjectFilter, ProjectsArgs } from './project.types.js';
import { tenantOf } from '../../engine/tenancy/tenant-context.js';

/** `%` and `_` in a search term are literal characters, not wildcards. */
function likePattern(fragment: string): string {
  return `%${fragment.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

function filterWhere(filter: ProjectFilter | undefined): ObjectQuery<Project> {
  return {
    ...(filter?.status ? { status: filter.status } : {}),
    ...(filter?.nameContains ? { name: { $ilike: likePattern(filter.nameContains) } } : {}),
  };
}

/** The tenant's projects, newest first, optionally by status and a case-insensitive part of the name. */
export function listProjects(ctx: RequestContext, args: ProjectsArgs, info: GraphQLResolveInfo): Promise<Connection<PlainRow<Project>>> {
  return paginate(ctx.em, Project, args, { where: filterWhere(args.filter), plain: true, counts: selectedChildCounts(ctx, Project, info) });
}

/** A project of the tenant, or null: another tenant's id and a missing one look the same. Only read: a plain row. */
export async function findProject(ctx: RequestContext, id: string, field = 'id'): Promise<PlainRow<Project> | null> {
  const [project] = await findRows(ctx.em, Project, { id: requireUuid(id, field) }, { limit: 1 });
  return project ?? null;
}

/** A project of the tenant, or NOT_FOUND (for another tenant's id too); `lock` holds it FOR UPDATE. */
export async function requireProject(ctx: RequestContext, id: string, field = 'id', lock = false): Promise<Project> {
  const project = await ctx.em.findOne(
    Project,
    { id: requireUuid(id, field) },
    lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {},
  );
  return requireFound(project, 'Project');
}

/** Projects of the plan's limit: every project of the tenant, sample data included. */
export function countProjects(em: EntityManager): Promise<number> {
  return em.count(Project, {});
}

/** A DRAFT project owned by the caller, who also becomes its first member. */
export async function createProject(ctx: RequestContext, input: CreateProjectInput): Promise<Project> {
  const owner = actorOf(ctx);
  await enforceCountLimit(ctx.em, tenantOf(ctx), 'PROJECTS', () => countProjects(ctx.em));
  const project = ctx.em.create(Project, {
    name: input.name.trim(),
    description: cleanText(input.description),
    ownerId: owner.id,
  });
  await ctx.em.flush();
  await addProjectMember(ctx.em, project.id, owner.id);
  await recordUsageEvent(ctx.em, project.tenantId, UsageMetric.PROJECTS, `project:${project.id}`);
  return project;
}

/** Renames or redescribes a project: its owner may, and any MANAGER or OWNER of the tenant. */
export async function updateProject(ctx: RequestContext, id: string, input: UpdateProjectInput): Promise<Project> {
  const project = await requireProject(ctx, id);
  if (!roleAtLeast(ctx.role, Role.MANAGER) && project.ownerId !== actorOf(ctx).id) {
    throw new ForbiddenError('Only the project owner or a manager may edit it');
  }
  if (input.name !== undefined) project.name = input.name.trim();
  if (input.description !== undefined) project.description = cleanText(input.description);
  await ctx.em.flush();
  return project;
}

/**
 * Moves a project along the workflow table. The row is locked FOR UPDATE first, so of two
 * concurrent moves from the same status the second sees the first's result (and usually fails).
 */
export async function transitionProject(ctx: RequestContext, id: string, to: ProjectStatus): Promise<Project> {
  const project = await requireProject(ctx, id, 'id', true);
  const from = project.status;
  assertTransitionAllowed(from, to, ctx.role);
  project.status = to;
  recordAudit(ctx, 'project.transition', project.id, { from, to });
  await ctx.em.flush();
  return project;
}

/**
 * The advanced workflow's reopening (ENTERPRISE, gated in project.rules.ts): work on a COMPLETED
 * or ARCHIVED project starts again, outside the basic table's one-way moves.
 */
export async function reopenProject(ctx: RequestContext, id: string): Promise<Project> {
  const project = await requireProject(ctx, id, 'id', true);
  const from = project.status;
  if (from !== ProjectStatus.COMPLETED && from !== ProjectStatus.ARCHIVED) throw new InvalidTransitionError(from, ProjectStatus.ACTIVE);
  project.status = ProjectStatus.ACTIVE;
  recordAudit(ctx, 'project.reopened', project.id, { from, to: ProjectStatus.ACTIVE });
  await ctx.em.flush();
  return project;
}

/** Deletes a project with its tasks, comments and members (ON DELETE CASCADE); returns its id. */
export async function deleteProject(ctx: RequestContext, id: string): Promise<string> {
  const projectId = requireUuid(id, 'id');
  if ((await ctx.em.nativeDelete(Project, { id: projectId })) === 0) throw new NotFoundError('Project');
  recordAudit(ctx, 'project.delete', projectId);
  await ctx.em.flush();
  return projectId;
}
