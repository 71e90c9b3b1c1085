import { Field, ObjectType } from 'type-graphql';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { User } from '../../engine/identity/user.entity.js';
import { Provisioning } from './provisioning.entity.js';

@ObjectType()
export class ProvisionTenantPayload {
  @Field(() => Tenant)
  tenant!: Tenant;

  @Field(() => User)
  owner!: User;

  @Field(() => String, { description: 'The owner\'s token for the new tenant; tenant operations answer once it is ACTIVE.' })
  token!: string;

  @Field(() => Provisioning, { description: 'Watch it with provisioningProgress(id) or provisioning(id).' })
  provisioning!: Provisioning;
}
