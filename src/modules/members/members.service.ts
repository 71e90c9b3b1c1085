import type { Connection, ConnectionArgs } from '../../engine/graphql/connection.js';
import { paginate } from '../../engine/graphql/paginate.js';
import { actorOf } from '../../engine/identity/actor.js';
import { ConflictError, ForbiddenError } from '../../engine/graphql/errors.js';
import { requireUuid } from '../../engine/graphql/uuid.js';
import type { RequestContext } from '../../engine/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { Role } from '../../engine/identity/roles.js';
import { Membership } from '../../engine/identity/membership.entity.js';
import { lockMembershipChange } from './member-locks.js';
import { canManageRole } from './member-policy.js';

const LAST_OWNER = 'A tenant must keep at least one owner';

/** The tenant's members with their users, newest first. */
export function listMembers(ctx: RequestContext, args: ConnectionArgs): Promise<Connection<Membership>> {
  return paginate(ctx.em, Membership, args, { populate: ['user'] });
}

/** Gives a member another role (owners only); the last owner cannot be demoted. */
export async function updateMemberRole(ctx: RequestContext, userId: string, role: Role): Promise<Membership> {
  const { actor, target, owners } = await lockMembershipChange(ctx.em, actorOf(ctx).id, requireUuid(userId, 'userId'));
  if (actor.role !== Role.OWNER) throw new ForbiddenError();
  const from = target.role;
  if (from !== role) {
    if (from === Role.OWNER && owners.length <= 1) throw new ConflictError(LAST_OWNER, 'role');
    target.role = role;
    recordAudit(ctx, 'member.role_changed', target.user.id, { from, to: role });
    await ctx.em.flush();
  }
  await ctx.em.populate(target, ['user']);
  return target;
}

/** Removes a member: owners any (never the last owner), managers members and viewers only. */
export async function removeMember(ctx: RequestContext, userId: string): Promise<boolean> {
  const { actor, target, owners } = await lockMembershipChange(ctx.em, actorOf(ctx).id, requireUuid(userId, 'userId'));
  if (!canManageRole(actor.role, target.role)) throw new ForbiddenError();
  if (target.role === Role.OWNER && owners.length <= 1) throw new ConflictError(LAST_OWNER, 'userId');
  recordAudit(ctx, 'member.removed', target.user.id, { role: target.role });
  ctx.em.remove(target);
  await ctx.em.flush();
  return true;
}
