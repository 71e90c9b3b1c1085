import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';

/** A comment on a task; author and task are resolved through DataLoaders. */
@ObjectType({ description: 'A comment on a task.' })
@Entity({ tableName: 'comments' })
export class Comment extends TenantScopedEntity {
  @Property({ type: 'uuid' })
  taskId!: string;

  /** Null once the author is no longer a member of the tenant. */
  @Property({ type: 'uuid', nullable: true })
  authorId?: string | null;

  @Field(() => String, { description: 'The comment text (1 to 10000 characters).' })
  @Property({ type: 'text' })
  body!: string;
}
