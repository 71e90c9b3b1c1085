import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ConnectionArgs, type Connection } from '../../engine/graphql/connection.js';
import type { RequestContext } from '../../engine/context.js';
import { Membership } from '../../engine/identity/membership.entity.js';
import { UpdateMemberRoleArgs } from './members.inputs.js';
import { listMembers, removeMember, updateMemberRole } from './members.service.js';
import { MembershipConnection } from './members.types.js';

@Resolver()
export class MembersResolver {
  @Query(() => MembershipConnection, { nullable: true, description: 'The members of this tenant, newest first.' })
  members(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<Connection<Membership>> {
    return listMembers(ctx, args);
  }

  @Mutation(() => Membership, { nullable: true, description: 'Owners: change a member role. The last owner cannot be demoted (CONFLICT).' })
  updateMemberRole(@Args(() => UpdateMemberRoleArgs) args: UpdateMemberRoleArgs, @Ctx() ctx: RequestContext): Promise<Membership> {
    return updateMemberRole(ctx, args.userId, args.role);
  }

  @Mutation(() => Boolean, {
    nullable: true,
    description: 'Owners remove anyone but the last owner (CONFLICT); managers only members and viewers.',
  })
  removeMember(
    @Arg('userId', () => ID, { description: 'The member to remove; NOT_FOUND when not a member of the tenant.' }) userId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return removeMember(ctx, userId);
  }
}
