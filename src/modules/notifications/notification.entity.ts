import type { Opt } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';

/** An in-app notification of one member; only its recipient ever reads it. */
@ObjectType()
@Entity({ tableName: 'notifications' })
export class Notification extends TenantScopedEntity {
  @Property({ type: 'uuid' })
  userId!: string;

  @Field(() => String, { description: 'What happened, e.g. invite.accepted or task.assigned.' })
  @Property({ type: 'text' })
  kind!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  body: Opt<string> = '';

  @Field(() => GraphQLJSON)
  @Property({ type: 'json' })
  data: Opt<Record<string, unknown>> = {};

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  readAt?: Date | null;

  @Field(() => Boolean)
  get read(): Opt<boolean> {
    return Boolean(this.readAt);
  }
}
