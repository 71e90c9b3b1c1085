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
registerEnumType(InviteStatus, {
  name: 'InviteStatus',
  description: 'Where an invite stands.',
  valuesConfig: {
    PENDING: { description: 'Sent and still valid: it can be accepted.' },
    ACCEPTED: { description: 'Accepted: the invitee is a member.' },
    REVOKED: { description: 'Withdrawn before it was accepted.' },
    EXPIRED: { description: 'Not accepted before expiresAt.' },
  },
});

/** An invitation to join the tenant with a role; only the SHA-256 of its secret is stored. */
@ObjectType({ description: 'An invitation to join the tenant with a role, valid for 7 days.' })
@Entity({ tableName: 'invites' })
export class Invite extends TenantScopedEntity {
  @Field(() => String, { description: 'The e-mail address invited.' })
  @Property({ type: 'text' })
  email!: string;

  @Field(() => Role, { description: 'The role the invitee gets on accepting.' })
  @Enum({ items: () => Role })
  role!: Role;

  @Property({ type: 'text', hidden: true })
  tokenHash!: string;

  @Field(() => ID, { description: 'The id of the member who sent the invite.' })
  @Property({ type: 'uuid' })
  invitedBy!: string;

  @Field(() => Date, { description: 'After this the invite can no longer be accepted (UTC).' })
  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the invite was accepted; null until then.' })
  @Property({ type: 'datetime', nullable: true })
  acceptedAt?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  acceptedBy?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the invite was revoked; null unless it was.' })
  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  /** Set only on the invite `inviteMember` returns: the secret exists nowhere else. */
  @Field(() => String, { nullable: true, description: 'The secret for the invite link; returned once, by inviteMember.' })
  token?: Opt<string>;

  @Field(() => InviteStatus, { description: 'Derived from acceptedAt, revokedAt and expiresAt.' })
  get status(): Opt<InviteStatus> {
    if (this.acceptedAt) return InviteStatus.ACCEPTED;
    if (this.revokedAt) return InviteStatus.REVOKED;
    return this.expiresAt <= new Date() ? InviteStatus.EXPIRED : InviteStatus.PENDING;
  }
}
