import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import { actorOf } from '../../engine/identity/actor.js';
import { BadUserInputError, ForbiddenError } from '../../engine/graphql/errors.js';
import { requireFound } from '../../engine/graphql/require-found.js';
import { requireUuid } from '../../engine/graphql/uuid.js';
import { cleanText } from '../../engine/graphql/validation.js';
import type { RequestContext } from '../../engine/context.js';
import { Role, roleAtLeast } from '../../engine/identity/roles.js';
import { requireProjectRow } from '../projects/project.service.js';
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
 * The user id a task may be assigned to. Assigning to someone else takes MANAGER (members assign only themselves). That
 * the assignee is a member of this tenant is left to the database: the foreign key
 * (tenant_id, assignee_id) → memberships refuses a user of another tenant and an unknown id alike
 * when the change is flushed (`flushAssignment`), without a read of its own.
 */
function requireAssignee(ctx: RequestContext, assigneeId: string): string {
  const userId = requireUuid(assigneeId, 'assigneeId');
  if (!roleAtLeast(ctx.role, Role.MANAGER) && userId !== actorOf(ctx).id) {
    throw new ForbiddenError('Assigning a task to someone else takes the MANAGER role');
  }
  return userId;
}

/** The assignee's foreign key (migration 20261123000100_projects). */
const ASSIGNEE_MEMBERSHIP_FK = 'tasks_tenant_id_assignee_id_fkey';

/** Flushes a task's assignment: a refused assignee is the client's mistake, not a 500. */
async function flushAssignment(ctx: RequestContext): Promise<void> {
  try {
    await ctx.em.flush();
  } catch (error) {
    if (
      error instanceof ForeignKeyConstraintViolationException &&
      (error as { constraint?: string }).constraint === ASSIGNEE_MEMBERSHIP_FK
    ) {
      throw BadUserInputError.field('assigneeId', 'Not a member of this tenant');
    }
    throw error;
  }
}

/** Creates a TODO task in a project of the tenant; its assignee joins the project. */
export async function createTask(ctx: RequestContext, input: CreateTaskInput): Promise<Task> {
  const project = await requireProjectRow(ctx, input.projectId, 'projectId');
  const assigneeId = input.assigneeId ? requireAssignee(ctx, input.assigneeId) : null;
  const task = ctx.em.create(Task, {
    projectId: project.id,
    title: input.title.trim(),
    description: cleanText(input.description),
    assigneeId,
    dueDate: input.dueDate ?? null,
  });
  // The assignee joins the project with the INSERT (trigger tasks_assignee_joins_project).
  await flushAssignment(ctx);
  if (assigneeId) await notifyTaskAssigned(ctx, task, assigneeId);
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
  task.assigneeId = assigneeId ? requireAssignee(ctx, assigneeId) : null;
  // The assignee joins the project with the UPDATE (trigger tasks_assignee_joins_project).
  await flushAssignment(ctx);
  if (task.assigneeId && task.assigneeId !== previous) await notifyTaskAssigned(ctx, task, task.assigneeId);
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
