import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';
import { TaskStatus } from './task.enums.js';

/** A task of one project; project, assignee and comments are resolved through DataLoaders. */
@ObjectType({
  simpleResolvers: true,
  description: 'A task of one project of the tenant, optionally assigned to a member and due on a day.',
})
@Entity({ tableName: 'tasks' })
export class Task extends TenantScopedEntity {
  @Property({ type: 'uuid' })
  projectId!: string;

  @Field(() => String, { description: 'The task title (1 to 200 characters).' })
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Free text up to 5000 characters; null when none.' })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => TaskStatus, { description: 'Where the task stands.' })
  @Enum({ items: () => TaskStatus })
  status: Opt<TaskStatus> = TaskStatus.TODO;

  /** A member of the tenant (database-enforced), or null. */
  @Property({ type: 'uuid', nullable: true })
  assigneeId?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'A calendar day, YYYY-MM-DD.' })
  @Property({ type: 'date', nullable: true })
  dueDate?: string | null;

  @Field(() => Date, { description: 'When the task was last changed (UTC).' })
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
