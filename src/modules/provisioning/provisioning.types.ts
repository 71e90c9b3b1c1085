import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum ProvisioningStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}
registerEnumType(ProvisioningStatus, { name: 'ProvisioningStatus' });

export enum ProvisioningStepStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  SKIPPED = 'SKIPPED',
  FAILED = 'FAILED',
}
registerEnumType(ProvisioningStepStatus, { name: 'ProvisioningStepStatus' });

/** One event of `provisioningProgress`: plain JSON, it crosses processes through Redis. */
@ObjectType()
export class ProvisioningEvent {
  @Field(() => ID)
  provisioningId!: string;

  @Field(() => ProvisioningStatus)
  status!: ProvisioningStatus;

  @Field(() => String, { nullable: true, description: 'The step this event is about; null for the run as a whole.' })
  step!: string | null;

  @Field(() => ProvisioningStepStatus, { nullable: true })
  stepStatus!: ProvisioningStepStatus | null;

  @Field(() => String)
  message!: string;

  @Field(() => Date)
  at!: Date;
}
