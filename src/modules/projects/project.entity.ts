import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';
import { ProjectStatus } from './project.enums.js';

/** A project of the tenant; its relations (owner, members, tasks) are resolved through DataLoaders. */
@ObjectType()
@Entity({ tableName: 'projects' })
export class Project extends TenantScopedEntity {
  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => ProjectStatus)
  @Enum({ items: () => ProjectStatus })
  status: Opt<ProjectStatus> = ProjectStatus.DRAFT;

  /** The creator; null once they are no longer a member of the tenant. */
  @Property({ type: 'uuid', nullable: true })
  ownerId?: string | null;

  @Field(() => Date)
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
