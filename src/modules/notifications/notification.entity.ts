import type { Opt } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';

/** An in-app notification of one member; only its recipient ever reads it. */
@ObjectType({ description: 'An in-app notification of the signed-in member; only its recipient can read it.' })
@Entity({ tableName: 'notifications' })
export class Notification extends TenantScopedEntity {
  @Property({ type: 'uuid' })
  userId!: string;

  @Field(() => String, { description: 'What happened, e.g. invite.accepted or task.assigned.' })
  @Property({ type: 'text' })
  kind!: string;

  @Field(() => String, { description: 'A one-line summary.' })
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { description: 'More detail; may be empty.' })
  @Property({ type: 'text' })
  body: Opt<string> = '';

  @Field(() => GraphQLJSON, { description: 'Structured details, e.g. ids of the task or project concerned (JSON object).' })
  @Property({ type: 'json' })
  data: Opt<Record<string, unknown>> = {};

  @Field(() => Date, { nullable: true, description: 'When the recipient marked it read; null while unread.' })
  @Property({ type: 'datetime', nullable: true })
  readAt?: Date | null;

  @Field(() => Boolean, { description: 'Whether it was marked read.' })
  get read(): Opt<boolean> {
    return Boolean(this.readAt);
  }
}
