import type { Opt } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';

/** Append-only: the app role may INSERT and SELECT these rows, never UPDATE or DELETE. */
@ObjectType()
@Entity({ tableName: 'audit_events' })
export class AuditEvent extends TenantScopedEntity {
  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  actorUserId?: string;

  @Field(() => String)
  @Property({ type: 'text' })
  action!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  targetId?: string;

  @Field(() => GraphQLJSON)
  @Property({ type: 'json' })
  data: Opt<Record<string, unknown>> = {};

  @Property({ type: 'text', nullable: true })
  requestId?: string;
}
