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
@ObjectType({ description: 'The background setup of a newly signed-up tenant, step by step.' })
@Entity({ tableName: 'provisionings' })
export class Provisioning {
  @Field(() => ID, { description: 'Stable unique identifier (a UUID); pass it to provisioning and provisioningProgress.' })
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Field(() => Tenant, { description: 'The tenant being set up.' })
  @ManyToOne(() => Tenant, { fieldName: 'tenant_id' })
  tenant!: Rel<Tenant>;

  @Property({ type: 'uuid' })
  ownerUserId!: string;

  @Field(() => ProvisioningStatus, { description: 'The state of the run as a whole.' })
  @Enum({ items: () => ProvisioningStatus })
  status: Opt<ProvisioningStatus> = ProvisioningStatus.PENDING;

  @Field(() => String, { nullable: true, description: 'The step running now; null when none is.' })
  @Property({ type: 'text', nullable: true })
  currentStep?: string;

  @Field(() => String, { nullable: true, description: 'Why the run failed; null unless FAILED.' })
  @Property({ type: 'text', nullable: true })
  failureReason?: string;

  @Property({ type: 'boolean' })
  withSampleData: Opt<boolean> = true;

  /** Hash of (slug, owner e-mail): the same sign-up retried soon after finds this run again. */
  @Property({ type: 'text' })
  requestFingerprint!: string;

  @Field(() => Date, { description: 'When the sign-up started the run (UTC).' })
  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();

  @Field(() => Date, { nullable: true, description: 'When the run completed; null until then.' })
  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date;

  @OneToMany(() => ProvisioningStep, (step) => step.provisioning, { orderBy: { position: 'asc' } })
  steps = new Collection<ProvisioningStep>(this);
}

@ObjectType({ description: 'One step of a provisioning run.' })
@Entity({ tableName: 'provisioning_steps' })
export class ProvisioningStep {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @ManyToOne(() => Provisioning, { fieldName: 'provisioning_id' })
  provisioning!: Rel<Provisioning>;

  @Field(() => String, { description: 'The name of the step.' })
  @Property({ type: 'text' })
  step!: string;

  @Property({ type: 'integer' })
  position!: number;

  @Field(() => ProvisioningStepStatus, { description: 'The state of the step.' })
  @Enum({ items: () => ProvisioningStepStatus })
  status: Opt<ProvisioningStepStatus> = ProvisioningStepStatus.PENDING;

  @Field(() => Int, { description: 'How many times the step was tried.' })
  @Property({ type: 'integer' })
  attempts: Opt<number> = 0;

  @Field(() => String, { nullable: true, description: 'The error of the last failed attempt; null when none failed.' })
  @Property({ type: 'text', nullable: true })
  lastError?: string;

  @Field(() => Date, { nullable: true, description: 'When the step first started; null until then.' })
  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date;

  @Field(() => Date, { nullable: true, description: 'When the step completed, was skipped or failed for good; null until then.' })
  @Property({ type: 'datetime', nullable: true })
  finishedAt?: Date;
}
