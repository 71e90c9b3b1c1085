import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';

export enum ProvisioningStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}
registerEnumType(ProvisioningStatus, { name: 'ProvisioningStatus' });

@ObjectType()
export class ProvisioningRef {
  @Field(() => ID)
  id!: string;

  @Field(() => ProvisioningStatus)
  status!: ProvisioningStatus;
}

@ObjectType()
export class ProvisionTenantPayload {
  @Field(() => Tenant)
  tenant!: Tenant;

  @Field(() => User)
  owner!: User;

  @Field(() => String, { description: 'An access token for the owner in the new tenant.' })
  token!: string;

  @Field(() => ProvisioningRef)
  provisioning!: ProvisioningRef;
}
