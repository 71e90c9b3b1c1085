import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';
import { Role } from '../../engine/identity/roles.js';

export enum InviteStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  REVOKED = 'REVOKED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(InviteStatus, { name: 'InviteStatus' });

/** An invitation to join the tenant with a role; only the SHA-256 of its secret is stored. */
@ObjectType()
@Entity({ tableName: 'invites' })
export class Invite extends TenantScopedEntity {
  @Field(() => String)
  @Property({ type: 'text' })
  email!: string;

  @Field(() => Role)
  @Enum({ items: () => Role })
  role!: Role;

  @Property({ type: 'text', hidden: true })
  tokenHash!: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  invitedBy!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  acceptedAt?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  acceptedBy?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  /** Set only on the invite `inviteMember` returns: the secret exists nowhere else. */
  @Field(() => String, { nullable: true, description: 'The secret for the invite link; returned once, by inviteMember.' })
  token?: Opt<string>;

  @Field(() => InviteStatus)
  get status(): Opt<InviteStatus> {
    if (this.acceptedAt) return InviteStatus.ACCEPTED;
    if (this.revokedAt) return InviteStatus.REVOKED;
    return this.expiresAt <= new Date() ? InviteStatus.EXPIRED : InviteStatus.PENDING;
  }
}
