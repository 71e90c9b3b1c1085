import { randomUUID } from 'node:crypto';
import type { Opt, Rel } from '@mikro-orm/core';
import { Collection } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, OneToMany, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { ProvisioningStatus, ProvisioningStepStatus } from './provisioning.types.js';

/**
 * One sign-up's provisioning run. A global record (not tenant-scoped): its owner watches it by
 * its random id before the tenant is served. Steps are recorded one row each.
 */
@ObjectType()
@Entity({ tableName: 'provisionings' })
export class Provisioning {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Field(() => Tenant)
  @ManyToOne(() => Tenant, { fieldName: 'tenant_id' })
  tenant!: Rel<Tenant>;

  @Property({ type: 'uuid' })
  ownerUserId!: string;

  @Field(() => ProvisioningStatus)
  @Enum({ items: () => ProvisioningStatus })
  status: Opt<ProvisioningStatus> = ProvisioningStatus.PENDING;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  currentStep?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  failureReason?: string;

  @Property({ type: 'boolean' })
  withSampleData: Opt<boolean> = true;

  /** Hash of (slug, owner e-mail): the same sign-up retried soon after finds this run again. */
  @Property({ type: 'text' })
  requestFingerprint!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date;

  @OneToMany(() => ProvisioningStep, (step) => step.provisioning, { orderBy: { position: 'asc' } })
  steps = new Collection<ProvisioningStep>(this);
}

@ObjectType()
@Entity({ tableName: 'provisioning_steps' })
export class ProvisioningStep {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @ManyToOne(() => Provisioning, { fieldName: 'provisioning_id' })
  provisioning!: Rel<Provisioning>;

  @Field(() => String)
  @Property({ type: 'text' })
  step!: string;

  @Property({ type: 'integer' })
  position!: number;

  @Field(() => ProvisioningStepStatus)
  @Enum({ items: () => ProvisioningStepStatus })
  status: Opt<ProvisioningStepStatus> = ProvisioningStepStatus.PENDING;

  @Field(() => Int)
  @Property({ type: 'integer' })
  attempts: Opt<number> = 0;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError?: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  finishedAt?: Date;
}
