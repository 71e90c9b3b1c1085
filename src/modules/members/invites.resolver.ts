import { Arg, Args, Ctx, ID, Mutation, Query, Resolver, Extensions } from 'type-graphql';
import { CREDENTIAL_MUTATION } from '../../engine/graphql/credential-mutations.js';
import { ConnectionArgs, type Connection } from '../../engine/graphql/connection.js';
import type { RequestContext } from '../../engine/context.js';
import { OWN_SESSIONS } from '../../engine/graphql/own-sessions.js';
import { AuthPayload } from '../auth/auth.inputs.js';
import { Invite } from './invite.entity.js';
import { acceptInvite } from './invite-acceptance.service.js';
import { inviteMember, listInvites, revokeInvite } from './invites.service.js';
import { AcceptInviteArgs, InviteMemberArgs } from './members.inputs.js';
import { InviteConnection } from './members.types.js';

@Resolver()
export class InvitesResolver {
  @Query(() => InviteConnection, { nullable: true, description: 'Managers and owners: the invites of this tenant, newest first.' })
  invites(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<Connection<Invite>> {
    return listInvites(ctx, args);
  }

  @Mutation(() => Invite, {
    nullable: true,
    description: 'Invites an e-mail (valid 7 days). The token, for the invite link, is returned here only. A member already: CONFLICT.',
  })
  inviteMember(@Args(() => InviteMemberArgs) args: InviteMemberArgs, @Ctx() ctx: RequestContext): Promise<Invite> {
    return inviteMember(ctx, args);
  }

  @Mutation(() => Invite, { nullable: true, description: 'Withdraws an invite that was not accepted.' })
  revokeInvite(
    @Arg('id', () => ID, { description: 'The invite to revoke; NOT_FOUND when the tenant has no such invite.' }) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<Invite> {
    return revokeInvite(ctx, id);
  }

  @Mutation(() => AuthPayload, {
    description:
      "Public: joins the invite's tenant and signs in there: as a new, unverified account (name, password) whatever accounts " +
      "the e-mail has, or, signed in (bearer token) as the invited e-mail's verified account, as that account. " +
      'An invalid, forged, expired, revoked or used token answers BAD_USER_INPUT on `token`, always the same.',
  })
  @Extensions(CREDENTIAL_MUTATION)
  @Extensions(OWN_SESSIONS)
  acceptInvite(@Args(() => AcceptInviteArgs) args: AcceptInviteArgs, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    return acceptInvite(ctx, args);
  }
}
