import type { Opt } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';

/** Append-only: the app role may INSERT and SELECT these rows, never UPDATE or DELETE. */
@ObjectType({ description: "An entry of the tenant's append-only audit log: who did what to which target." })
@Entity({ tableName: 'audit_events' })
export class AuditEvent extends TenantScopedEntity {
  @Field(() => ID, { nullable: true, description: 'The user who acted; null when no user acted (e.g. a background job).' })
  @Property({ type: 'uuid', nullable: true })
  actorUserId?: string;

  @Field(() => String, { description: 'What was done, e.g. member.joined or plan.trial_expired.' })
  @Property({ type: 'text' })
  action!: string;

  @Field(() => String, { nullable: true, description: 'The id of what was acted on; null when there is none.' })
  @Property({ type: 'text', nullable: true })
  targetId?: string;

  @Field(() => GraphQLJSON, { description: 'Details of the action (JSON object).' })
  @Property({ type: 'json' })
  data: Opt<Record<string, unknown>> = {};

  @Property({ type: 'text', nullable: true })
  requestId?: string;
}
