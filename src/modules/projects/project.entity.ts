import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';
import { ProjectStatus } from './project.enums.js';

/** A project of the tenant; its relations (owner, members, tasks) are resolved through DataLoaders. */
@ObjectType({
  simpleResolvers: true,
  description: 'A project of the tenant: a named piece of work with tasks, moving through an approval workflow.',
})
@Entity({ tableName: 'projects' })
export class Project extends TenantScopedEntity {
  @Field(() => String, { description: 'The project name (1 to 200 characters).' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Free text up to 5000 characters; null when none.' })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => ProjectStatus, { description: 'Where the project is in the approval workflow (transitionProject moves it).' })
  @Enum({ items: () => ProjectStatus })
  status: Opt<ProjectStatus> = ProjectStatus.DRAFT;

  /** The creator; null once they are no longer a member of the tenant. */
  @Property({ type: 'uuid', nullable: true })
  ownerId?: string | null;

  @Field(() => Date, { description: 'When the project was last changed (UTC).' })
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
