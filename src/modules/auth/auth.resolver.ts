import { Arg, Ctx, ID, Mutation, Query, Resolver, Extensions } from 'type-graphql';
import { CREDENTIAL_MUTATION } from '../../engine/graphql/credential-mutations.js';
import type { RequestContext } from '../../engine/context.js';
import { OWN_SESSIONS } from '../../engine/graphql/own-sessions.js';
import { Membership } from '../../engine/identity/membership.entity.js';
import { User } from '../../engine/identity/user.entity.js';
import { AuthPayload, LoginInput } from './auth.inputs.js';
import { login, servedMembershipsOf, switchTenant } from './auth.service.js';
import { actorOf } from '../../engine/identity/actor.js';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Sign in; the token names the tenant, the role comes from the membership.' })
  @Extensions(CREDENTIAL_MUTATION)
  @Extensions(OWN_SESSIONS)
  login(
    @Arg('input', () => LoginInput, { description: 'The credentials.' }) input: LoginInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayload> {
    return login(ctx, input);
  }

  @Mutation(() => AuthPayload, { description: 'A token for another tenant you are a member of.' })
  switchTenant(
    @Arg('tenantId', () => ID, { description: 'A served tenant the caller is a member of; otherwise TENANT_NOT_FOUND.' }) tenantId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayload> {
    return switchTenant(ctx, tenantId);
  }

  @Query(() => User, { nullable: true, description: 'The signed-in user (UNAUTHENTICATED without a token).' })
  me(@Ctx() ctx: RequestContext): User {
    return actorOf(ctx);
  }

  @Query(() => [Membership], { nullable: true, description: 'Your memberships in every tenant.' })
  myMemberships(@Ctx() ctx: RequestContext): Promise<Membership[]> {
    return servedMembershipsOf(ctx, ctx.em, actorOf(ctx).id);
  }
}
