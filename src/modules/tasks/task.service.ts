import { randomUUID } from 'node:crypto';
import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import { insertRow, type PlainRow } from '../../engine/graphql/plain-rows.js';
import { actorOf } from '../../engine/identity/actor.js';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../../engine/graphql/errors.js';
import { requireFound } from '../../engine/graphql/require-found.js';
import { requireUuid } from '../../engine/graphql/uuid.js';
import { cleanText } from '../../engine/graphql/validation.js';
import type { RequestContext } from '../../engine/context.js';
import { Role, roleAtLeast } from '../../engine/identity/roles.js';
import { Task } from './task.entity.js';
import { TaskStatus } from './task.enums.js';
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
 * when the change is written (`writeTask`), without a read of its own.
 */
function requireAssignee(ctx: RequestContext, assigneeId: string): string {
  const userId = requireUuid(assigneeId, 'assigneeId');
  if (!roleAtLeast(ctx.role, Role.MANAGER) && userId !== actorOf(ctx).id) {
    throw new ForbiddenError('Assigning a task to someone else takes the MANAGER role');
  }
  return userId;
}

/**
 * What a refusal of each of the task's foreign keys (migration 20261123000100_projects) means to
 * the client. Both are composite with the tenant: another tenant's project or member is refused
 * exactly like a missing one.
 */
const REFUSED_REFERENCE: Record<string, () => Error> = {
  tasks_tenant_id_project_id_fkey: () => new NotFoundError('Project'),
  tasks_tenant_id_assignee_id_fkey: () => BadUserInputError.field('assigneeId', 'Not a member of this tenant'),
};

/** Runs a task's write: a project or assignee the database refuses is the client's mistake, not a 500. */
async function writeTask<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const refused =
      error instanceof ForeignKeyConstraintViolationException && REFUSED_REFERENCE[(error as { constraint?: string }).constraint ?? ''];
    if (refused) throw refused();
    throw error;
  }
}

/**
 * Creates a TODO task in a project of the tenant; its assignee joins the project. The project is
 * not read first: the foreign key (tenant_id, project_id) refuses another tenant's project and a
 * missing one alike, and the INSERT is then the transaction's first statement, sent with its BEGIN.
 * Nothing changes the new task in this request, so it is inserted as a plain row.
 */
export async function createTask(ctx: RequestContext, input: CreateTaskInput): Promise<PlainRow<Task>> {
  const projectId = requireUuid(input.projectId, 'projectId');
  const assigneeId = input.assigneeId ? requireAssignee(ctx, input.assigneeId) : null;
  const now = new Date();
  // The assignee joins the project with the INSERT (trigger tasks_assignee_joins_project).
  const task = await writeTask(
    insertRow(ctx.em, Task, {
      id: randomUUID(),
      createdAt: now,
      updatedAt: now,
      projectId,
      title: input.title.trim(),
      description: cleanText(input.description),
      status: TaskStatus.TODO,
      assigneeId,
      dueDate: input.dueDate ?? null,
    }),
  );
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
  await writeTask(ctx.em.flush());
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
