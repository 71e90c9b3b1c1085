import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context.js';
import { ProvisionTenantInput } from './provisioning.inputs.js';
import { ProvisionTenantPayload } from './provisioning.types.js';
import { provisionTenant } from './provisioning.service.js';

@Resolver()
export class ProvisioningResolver {
  @Mutation(() => ProvisionTenantPayload, { description: 'Self-service sign-up: a new tenant and its owner.' })
  provisionTenant(
    @Arg('input', () => ProvisionTenantInput) input: ProvisionTenantInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ProvisionTenantPayload> {
    return provisionTenant(ctx, input);
  }
}
