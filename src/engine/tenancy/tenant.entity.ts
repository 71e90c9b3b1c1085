import { randomUUID } from 'node:crypto';
import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { PlanCode, TenantStatus } from './tenant.enums.js';

/** The tenant registry: a global table, looked up before any tenant is known. */
@ObjectType({ description: 'An organisation using Tessera; all its data is isolated from every other tenant.' })
@Entity({ tableName: 'tenants' })
export class Tenant {
  @Field(() => ID, { description: 'Stable unique identifier (a UUID).' })
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Field(() => String, { description: 'The organisation name.' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { description: 'Unique URL-safe name of the tenant.' })
  @Property({ type: 'text' })
  slug!: string;

  @Property({ type: 'text' })
  subdomain!: string;

  @Field(() => PlanCode, { description: 'The subscription plan, which decides features and limits.' })
  @Enum({ items: () => PlanCode })
  plan: Opt<PlanCode> = PlanCode.FREE;

  @Field(() => Date, {
    nullable: true,
    description: 'While trying a paid plan: when the trial ends (then FREE without a paid subscription).',
  })
  @Property({ type: 'datetime', nullable: true })
  trialEndsAt?: Date | null;

  @Field(() => TenantStatus, { description: 'Lifecycle state; only ACTIVE and SUSPENDED tenants are served.' })
  @Enum({ items: () => TenantStatus })
  status: Opt<TenantStatus> = TenantStatus.PROVISIONING;

  @Field(() => String, { nullable: true, description: 'Why the tenant is FAILED or SUSPENDED.' })
  @Property({ type: 'text', nullable: true })
  statusReason?: string;

  @Property({ type: 'json' })
  settings: Opt<Record<string, unknown>> = {};

  /** Billing provider references (e.g. the Stripe customer id). */
  @Property({ type: 'json' })
  billing: Opt<Record<string, string>> = {};

  @Field(() => Date, { description: 'When the tenant was created (UTC).' })
  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', nullable: true })
  deletedAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  purgedAt?: Date;

  /** Only ACTIVE and SUSPENDED tenants are served; the rest answer TENANT_NOT_FOUND. */
  isServed(): boolean {
    return !this.deletedAt && (this.status === TenantStatus.ACTIVE || this.status === TenantStatus.SUSPENDED);
  }
}
