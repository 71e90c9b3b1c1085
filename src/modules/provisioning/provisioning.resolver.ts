import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription, Extensions } from 'type-graphql';
import { CREDENTIAL_MUTATION } from '../../engine/graphql/credential-mutations.js';
import type { RequestContext } from '../../engine/context.js';
import { OWN_SESSIONS } from '../../engine/graphql/own-sessions.js';
import { Provisioning, ProvisioningStep } from './provisioning.entity.js';
import { ProvisionTenantInput } from './provisioning.inputs.js';
import { ProvisionTenantPayload } from './provisioning.payload.js';
import { provisioningProgress } from './provisioning-progress.js';
import { findVisibleProvisioning, provisionTenant } from './provisioning.service.js';
import { ProvisioningEvent } from './provisioning.types.js';

@Resolver(() => Provisioning)
export class ProvisioningResolver {
  @Mutation(() => ProvisionTenantPayload, {
    description:
      'Self-service sign-up: a new tenant and its owner, provisioned in the background. The owner is a new, unverified account ' +
      'whatever accounts the e-mail has, or the signed-in account when its e-mail is `ownerEmail`.',
  })
  @Extensions(CREDENTIAL_MUTATION)
  @Extensions(OWN_SESSIONS)
  provisionTenant(
    @Arg('input', () => ProvisionTenantInput, { description: 'The organisation, its slug, plan and owner account.' })
    input: ProvisionTenantInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ProvisionTenantPayload> {
    return provisionTenant(ctx, input);
  }

  @Query(() => Provisioning, { nullable: true, description: 'A provisioning run: its owner or a platform operator only.' })
  @Extensions(OWN_SESSIONS)
  provisioning(
    @Arg('id', () => ID, { description: 'The provisioning run id.' }) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<Provisioning | null> {
    return findVisibleProvisioning(ctx, id);
  }

  @Subscription(() => ProvisioningEvent, {
    description: 'Every step of a provisioning run as it happens (history first), until it completes or fails.',
    subscribe: ({ args, context }) => provisioningProgress(context as RequestContext, (args as { id: string }).id),
  })
  provisioningProgress(
    @Arg('id', () => ID, { description: 'The provisioning run id.' }) _id: string,
    @Root() event: ProvisioningEvent,
  ): ProvisioningEvent {
    return event;
  }

  @FieldResolver(() => [ProvisioningStep], { description: 'Every step in order.' })
  steps(@Root() provisioning: Provisioning): ProvisioningStep[] {
    return provisioning.steps.isInitialized() ? provisioning.steps.getItems() : [];
  }
}
