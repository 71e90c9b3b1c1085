import type { Rel } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { TenantScopedEntity } from '../tenancy/tenant-scoped.entity.js';
import { Role } from './roles.js';
import { User } from './user.entity.js';

/** The only link between a user and a tenant, and the only source of the user's role there. */
@ObjectType({ description: "A user's membership of a tenant, with their role there." })
@Entity({ tableName: 'memberships' })
export class Membership extends TenantScopedEntity {
  @Field(() => User, { description: 'The member.' })
  @ManyToOne(() => User, { fieldName: 'user_id' })
  user!: Rel<User>;

  @Field(() => Role, { description: 'What the member may do in this tenant.' })
  @Enum({ items: () => Role })
  role!: Role;
}
