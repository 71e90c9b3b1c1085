import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';
import { TaskStatus } from './task.enums.js';

/** A task of one project; project, assignee and comments are resolved through DataLoaders. */
@ObjectType()
@Entity({ tableName: 'tasks' })
export class Task extends TenantScopedEntity {
  @Property({ type: 'uuid' })
  projectId!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => TaskStatus)
  @Enum({ items: () => TaskStatus })
  status: Opt<TaskStatus> = TaskStatus.TODO;

  /** A member of the tenant (database-enforced), or null. */
  @Property({ type: 'uuid', nullable: true })
  assigneeId?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'A calendar day, YYYY-MM-DD.' })
  @Property({ type: 'date', nullable: true })
  dueDate?: string | null;

  @Field(() => Date)
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
