import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from '../../engine/identity/roles.js';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';

/** A service credential of one tenant. The secret is shown once; only its SHA-256 is stored. */
@ObjectType({ description: 'A service credential of the tenant, sent as the X-Api-Key header. The secret itself is never readable again.' })
@Entity({ tableName: 'api_keys' })
export class ApiKey extends TenantScopedEntity {
  @Field(() => String, { description: 'A label chosen by the owner who created it (1 to 100 characters).' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { description: 'The visible beginning of the secret (`tsk_` + 8 characters), to tell keys apart.' })
  @Property({ type: 'text' })
  prefix!: string;

  @Property({ type: 'text', hidden: true })
  secretHash!: string;

  @Field(() => Role, { description: 'The role every request made with the key acts with (never OWNER).' })
  @Enum({ items: () => Role })
  role!: Role;

  @Field(() => ID, { description: 'The id of the user who created the key.' })
  @Property({ type: 'uuid' })
  createdBy!: string;

  @Field(() => Date, { nullable: true, description: 'When the key stops working by itself; null: never (until revoked).' })
  @Property({ type: 'datetime', nullable: true })
  expiresAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When an owner revoked the key; null while it is not revoked.' })
  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Updated at most once a minute.' })
  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date | null;

  @Field(() => Boolean, { description: 'Neither revoked nor expired.' })
  get active(): Opt<boolean> {
    return !this.revokedAt && (!this.expiresAt || this.expiresAt > new Date());
  }
}
