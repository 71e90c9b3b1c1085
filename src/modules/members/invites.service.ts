import type { Connection, ConnectionArgs } from '../../engine/graphql/connection.js';
import { paginate } from '../../engine/graphql/paginate.js';
import { ConflictError, ForbiddenError } from '../../engine/graphql/errors.js';
import { spend } from '../../engine/http/rate-limit.js';
import { requireUuid } from '../../engine/graphql/uuid.js';
import { requireFound } from '../../engine/graphql/require-found.js';
import type { RequestContext } from '../../engine/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { Membership } from '../../engine/identity/membership.entity.js';
import { normalizeEmail } from '../../engine/identity/user.service.js';
import { Invite, InviteStatus } from './invite.entity.js';
import { issueInviteToken } from './invite-token.js';
import type { InviteMemberArgs } from './members.inputs.js';
import { canManageRole } from './member-policy.js';
import { tenantContextOf, tenantOf } from '../../engine/tenancy/tenant-context.js';
import { actorOf } from '../../engine/identity/actor.js';
import { enforceCountLimit } from '../metering/count-quota.js';
import { countSeats } from './seats.js';

const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Invites an e-mail with a role; the returned invite carries the one-time token for the link.
 * A new invite for the same e-mail replaces (revokes) the one still open, if the caller could revoke it.
 */
export async function inviteMember(ctx: RequestContext, args: InviteMemberArgs): Promise<Invite> {
  if (!canManageRole(ctx.role, args.role)) throw new ForbiddenError('Managers may invite members and viewers only');
  // Each invite may send an e-mail: a tenant cannot be used to spray invitations.
  await spend(ctx.services.rateLimits.invite, tenantOf(ctx).id);
  const email = normalizeEmail(args.email);
  if (await ctx.em.count(Membership, { user: { email } })) throw new ConflictError('This person is already a member', 'email');

  const open = await ctx.em.find(Invite, { email, acceptedAt: null, revokedAt: null });
  // Replacing is revoking: an open invite the caller could not revoke (an owner's invite of a
  // manager, seen by a manager) stays, rather than being downgraded by the new one.
  if (open.some((previous) => !canManageRole(ctx.role, previous.role))) {
    throw new ConflictError('An invite for this e-mail with a role you cannot manage is open', 'email');
  }
  for (const previous of open) {
    previous.revokedAt = new Date();
    recordAudit(ctx, 'invite.revoked', previous.id, { email, reason: 'superseded' });
  }
  await ctx.em.flush();
  await enforceCountLimit(ctx.em, tenantOf(ctx), 'SEATS', () => countSeats(ctx.em));

  const { token, tokenHash } = issueInviteToken(tenantContextOf(ctx).tenant.id);
  const invite = ctx.em.create(Invite, {
    email,
    role: args.role,
    tokenHash,
    invitedBy: actorOf(ctx).id,
    expiresAt: new Date(Date.now() + INVITE_TTL_MS),
  });
  recordAudit(ctx, 'member.invited', invite.id, { email, role: args.role });
  await ctx.em.flush();
  invite.token = token;
  return invite;
}

/** Withdraws an invite that was not accepted; managers only those for members and viewers. */
export async function revokeInvite(ctx: RequestContext, id: string): Promise<Invite> {
  const invite = requireFound(await ctx.em.findOne(Invite, { id: requireUuid(id, 'id') }), 'Invite');
  if (!canManageRole(ctx.role, invite.role)) throw new ForbiddenError();
  if (invite.status === InviteStatus.ACCEPTED || invite.status === InviteStatus.REVOKED) {
    throw new ConflictError(`The invite is already ${invite.status.toLowerCase()}`, 'id');
  }
  invite.revokedAt = new Date();
  recordAudit(ctx, 'invite.revoked', invite.id, { email: invite.email, reason: 'revoked' });
  await ctx.em.flush();
  return invite;
}

/** The tenant's invites, newest first. */
export function listInvites(ctx: RequestContext, args: ConnectionArgs): Promise<Connection<Invite>> {
  return paginate(ctx.em, Invite, args);
}
