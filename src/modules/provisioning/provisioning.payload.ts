import { Field, ObjectType } from 'type-graphql';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { User } from '../../engine/identity/user.entity.js';
import { Provisioning } from './provisioning.entity.js';

@ObjectType({ description: 'What a sign-up returns right away; the tenant is provisioned in the background.' })
export class ProvisionTenantPayload {
  @Field(() => Tenant, { description: 'The new tenant (PROVISIONING until set up).' })
  tenant!: Tenant;

  @Field(() => User, { description: 'The owner account.' })
  owner!: User;

  @Field(() => String, { description: "The owner's token for the new tenant; tenant operations answer once it is ACTIVE." })
  token!: string;

  @Field(() => Provisioning, { description: 'Watch it with provisioningProgress(id) or provisioning(id).' })
  provisioning!: Provisioning;
}
