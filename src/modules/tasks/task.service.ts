import { actorOf } from '../../engine/identity/actor.js';
import { BadUserInputError, ForbiddenError } from '../../engine/graphql/errors.js';
import { requireFound } from '../../engine/graphql/require-found.js';
import { requireUuid } from '../../engine/graphql/uuid.js';
import { cleanText } from '../../engine/graphql/validation.js';
import type { RequestContext } from '../../engine/context.js';
import { Role, roleAtLeast } from '../../engine/identity/roles.js';
import { addProjectMember } from '../projects/project-members.js';
import { requireProject } from '../projects/project.service.js';
import { Membership } from '../../engine/identity/membership.entity.js';
import { Task } from './task.entity.js';
import { notifyTaskAssigned } from '../notifications/notification.triggers.js';
import { publishTaskChange, TaskChangeKind } from './task.events.js';
import type { CreateTaskInput, UpdateTaskInput } from './task.inputs.js';

/** A task of the tenant, or null: another tenant's id and a missing one look the same. */
export function findTask(ctx: RequestContext, id: string): Promise<Task | null> {
  return ctx.em.findOne(Task, { id: requireUuid(id, 'id') });
}

/** A task of the tenant, or NOT_FOUND (for another tenant's id too). */
export async function requireTask(ctx: RequestContext, id: string, field = 'id'): Promise<Task> {
  return requireFound(await ctx.em.findOne(Task, { id: requireUuid(id, field) }), 'Task');
}

/**
 * The user id a task may be assigned to. Assigning to someone else takes MANAGER (members assign only themselves), and
 * the assignee must be a member of this tenant: a user of another tenant and an unknown id get the
 * same BAD_USER_INPUT (the database enforces it as well, through a foreign key to memberships).
 */
async function requireAssignee(ctx: RequestContext, assigneeId: string): Promise<string> {
  const userId = requireUuid(assigneeId, 'assigneeId');
  if (!roleAtLeast(ctx.role, Role.MANAGER) && userId !== actorOf(ctx).id) {
    throw new ForbiddenError('Assigning a task to someone else takes the MANAGER role');
  }
  if ((await ctx.em.count(Membership, { user: userId })) === 0) {
    throw BadUserInputError.field('assigneeId', 'Not a member of this tenant');
  }
  return userId;
}

/** Creates a TODO task in a project of the tenant; its assignee joins the project. */
export async function createTask(ctx: RequestContext, input: CreateTaskInput): Promise<Task> {
  const project = await requireProject(ctx, input.projectId, 'projectId');
  const assigneeId = input.assigneeId ? await requireAssignee(ctx, input.assigneeId) : null;
  const task = ctx.em.create(Task, {
    projectId: project.id,
    title: input.title.trim(),
    description: cleanText(input.description),
    assigneeId,
    dueDate: input.dueDate ?? null,
  });
  await ctx.em.flush();
  if (assigneeId) {
    await addProjectMember(ctx.em, project.id, assigneeId);
    await notifyTaskAssigned(ctx, task, assigneeId);
  }
  publishTaskChange(ctx, TaskChangeKind.CREATED, task);
  return task;
}

/** Edits title, description, status or due date; fields left out stay as they are. */
export async function updateTask(ctx: RequestContext, id: string, input: UpdateTaskInput): Promise<Task> {
  const task = await requireTask(ctx, id);
  if (input.title !== undefined) task.title = input.title.trim();
  if (input.description !== undefined) task.description = cleanText(input.description);
  if (input.status !== undefined) task.status = input.status;
  if (input.dueDate !== undefined) task.dueDate = input.dueDate;
  await ctx.em.flush();
  publishTaskChange(ctx, TaskChangeKind.UPDATED, task);
  return task;
}

/** Assigns a task to a member of the tenant (who joins the project), or unassigns it with null. */
export async function assignTask(ctx: RequestContext, id: string, assigneeId: string | null): Promise<Task> {
  const task = await requireTask(ctx, id);
  const previous = task.assigneeId;
  task.assigneeId = assigneeId ? await requireAssignee(ctx, assigneeId) : null;
  await ctx.em.flush();
  if (task.assigneeId) {
    await addProjectMember(ctx.em, task.projectId, task.assigneeId);
    if (task.assigneeId !== previous) await notifyTaskAssigned(ctx, task, task.assigneeId);
  }
  publishTaskChange(ctx, TaskChangeKind.UPDATED, task);
  return task;
}

/** Deletes a task with its comments; returns its id. */
export async function deleteTask(ctx: RequestContext, id: string): Promise<string> {
  const task = await requireTask(ctx, id);
  await ctx.em.nativeDelete(Task, { id: task.id });
  publishTaskChange(ctx, TaskChangeKind.DELETED, { id: task.id, projectId: task.projectId });
  return task.id;
}
