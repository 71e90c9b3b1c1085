import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { RequestContext } from '../../engine/context.js';
import { TaskStatus } from './task.enums.js';
import type { Task } from './task.entity.js';
import { tenantOf } from '../../engine/tenancy/tenant-context.js';

export enum TaskChangeKind {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  DELETED = 'DELETED',
}
registerEnumType(TaskChangeKind, {
  name: 'TaskChangeKind',
  description: 'What happened to a task.',
  valuesConfig: {
    CREATED: { description: 'The task was created.' },
    UPDATED: { description: 'The task was edited, moved to another status or (un)assigned.' },
    DELETED: { description: 'The task was deleted.' },
  },
});

/** What `taskChanged` subscribers get: a snapshot (plain JSON, it crosses processes through Redis). */
@ObjectType({ description: 'A change to one task as the taskChanged subscription delivers it: a snapshot after the change.' })
export class TaskChange {
  @Field(() => TaskChangeKind, { description: 'Whether the task was created, updated or deleted.' })
  kind!: TaskChangeKind;

  @Field(() => ID, { description: 'The task that changed.' })
  taskId!: string;

  @Field(() => ID, { description: 'The project of the task.' })
  projectId!: string;

  @Field(() => String, { nullable: true, description: 'The title after the change; null when not known (e.g. on delete).' })
  title!: string | null;

  @Field(() => TaskStatus, { nullable: true, description: 'The status after the change; null when not known (e.g. on delete).' })
  status!: TaskStatus | null;

  @Field(() => ID, { nullable: true, description: 'The assignee after the change; null when unassigned or not known.' })
  assigneeId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Who made the change.' })
  actorId!: string | null;

  @Field(() => Date, { description: 'When the change was made (UTC).' })
  at!: Date;
}

/** One topic per project, named by tenant and project. */
export function taskTopic(tenantId: string, projectId: string): `tasks:${string}` {
  return `tasks:${tenantId}:${projectId}`;
}

/** Announces a task change once the request's transaction commits (never if it rolls back). */
export function publishTaskChange(ctx: RequestContext, kind: TaskChangeKind, task: Pick<Task, 'id' | 'projectId'> & Partial<Task>): void {
  const tenantId = tenantOf(ctx).id;
  const event = {
    kind,
    taskId: task.id,
    projectId: task.projectId,
    title: task.title ?? null,
    status: task.status ?? null,
    assigneeId: task.assigneeId ?? null,
    actorId: ctx.userId,
    at: new Date().toISOString(),
    tenantId,
  };
  ctx.services.afterCommit.schedule(ctx.em, () => ctx.services.pubSub.publish(taskTopic(tenantId, task.projectId), event));
}

/** A task change as published: JSON-safe (`at` as ISO text) and named by its tenant. */
export type TaskEventMessage = Omit<TaskChange, 'at'> & { at: string; tenantId: string };

declare module '../../engine/pubsub/pubsub.js' {
  interface TopicMap {
    [topic: `tasks:${string}`]: TaskEventMessage;
  }
}

export function toTaskChange(event: TaskEventMessage): TaskChange {
  return { ...event, at: new Date(event.at) };
}
