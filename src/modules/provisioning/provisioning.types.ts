import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum ProvisioningStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}
registerEnumType(ProvisioningStatus, {
  name: 'ProvisioningStatus',
  description: 'Where a provisioning run stands.',
  valuesConfig: {
    PENDING: { description: 'Queued; no step has started yet.' },
    RUNNING: { description: 'Steps are running.' },
    COMPLETED: { description: 'Every step is done: the tenant is ACTIVE.' },
    FAILED: { description: 'A step failed for good; see failureReason.' },
  },
});

export enum ProvisioningStepStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  SKIPPED = 'SKIPPED',
  FAILED = 'FAILED',
}
registerEnumType(ProvisioningStepStatus, {
  name: 'ProvisioningStepStatus',
  description: 'Where one provisioning step stands.',
  valuesConfig: {
    PENDING: { description: 'Not started yet.' },
    RUNNING: { description: 'Running now (possibly a retry).' },
    COMPLETED: { description: 'Done.' },
    SKIPPED: { description: 'Not needed here (e.g. billing when it is not configured).' },
    FAILED: { description: 'Failed for good after its retries.' },
  },
});

/** One event of `provisioningProgress`: plain JSON, it crosses processes through Redis. */
@ObjectType({ description: 'One step of a provisioning run as provisioningProgress delivers it.' })
export class ProvisioningEvent {
  @Field(() => ID, { description: 'The provisioning run.' })
  provisioningId!: string;

  @Field(() => ProvisioningStatus, { description: 'The state of the run as a whole after this event.' })
  status!: ProvisioningStatus;

  @Field(() => String, { nullable: true, description: 'The step this event is about; null for the run as a whole.' })
  step!: string | null;

  @Field(() => ProvisioningStepStatus, { nullable: true, description: 'The state of the step; null for the run as a whole.' })
  stepStatus!: ProvisioningStepStatus | null;

  @Field(() => String, { description: 'What happened, for people.' })
  message!: string;

  @Field(() => Date, { description: 'When it happened (UTC).' })
  at!: Date;
}
