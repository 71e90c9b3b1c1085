import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword, verifyPassword } from '../../engine/identity/passwords.js';
import { BadUserInputError, ConflictError, TenantSuspendedError, UnauthenticatedError } from '../../engine/graphql/errors.js';
import { spend } from '../../engine/http/rate-limit.js';
import type { RequestContext } from '../../engine/context.js';
import { inTenantTransaction } from '../../engine/tenancy/tenant-session.js';
import { recordAuditIn } from '../audit/audit.service.js';
import type { AuthPayload } from '../auth/auth.inputs.js';
import { notifyInviteAccepted } from '../notifications/notification.triggers.js';
import { TenantStatus } from '../../engine/tenancy/tenant.enums.js';
import { Membership } from '../../engine/identity/membership.entity.js';
import { User } from '../../engine/identity/user.entity.js';
import { Invite, InviteStatus } from './invite.entity.js';
import { parseInviteToken } from './invite-token.js';
import type { AcceptInviteArgs } from './members.inputs.js';

const NEW_PASSWORD_MIN_LENGTH = 10;

/** Malformed, forged, foreign, unknown, expired, revoked and used tokens all get this one answer. */
function invalidInvite(): BadUserInputError {
  return BadUserInputError.field('token', 'This invite is invalid, expired or already used');
}

/** The invited e-mail's account: a new one, or the existing one if the caller knows its password. */
async function joiningUser(em: EntityManager, email: string, args: AcceptInviteArgs): Promise<User> {
  const existing = await em.findOne(User, { email }, { populate: ['passwordHash'] });
  if (existing) {
    if (!(await verifyPassword(existing.passwordHash, args.password))) {
      throw new UnauthenticatedError('This e-mail already has an account: use its password');
    }
    return existing;
  }
  if (args.password.length < NEW_PASSWORD_MIN_LENGTH) {
    throw BadUserInputError.field('password', `A new account needs at least ${NEW_PASSWORD_MIN_LENGTH} characters`);
  }
  const name = args.name?.trim() || (email.split('@')[0] ?? email);
  return em.create(User, { email, name, passwordHash: await hashPassword(args.password) });
}

/**
 * Joins the invite's tenant with the invited role, as a new user or an existing one (a user may
 * belong to many tenants). The token names its tenant, so the invite is looked up inside that
 * tenant's transaction only, locked, and used once. The inviter is notified after the commit.
 */
export async function acceptInvite(ctx: RequestContext, args: AcceptInviteArgs): Promise<AuthPayload> {
  const parsed = parseInviteToken(args.token);
  // Like sign-in: an existing account's password is checked here, so guesses are limited per invite and address.
  await spend(ctx.services.rateLimits.login, `${ctx.clientIp ?? 'unknown'}|invite:${parsed?.tokenHash ?? 'malformed'}`);
  const tenant = parsed ? await ctx.services.tenants.byId(parsed.tenantId) : null;
  if (!parsed || !tenant?.isServed()) throw invalidInvite();

  const user = await inTenantTransaction(ctx.services.orm.em, tenant.id, async (em) => {
    const invite = await em.findOne(Invite, { tokenHash: parsed.tokenHash }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!invite || invite.status !== InviteStatus.PENDING) throw invalidInvite();
    if (tenant.status === TenantStatus.SUSPENDED) throw new TenantSuspendedError();
    const user = await joiningUser(em, invite.email, args);
    if (await em.count(Membership, { user: user.id })) throw new ConflictError('You are already a member of this tenant');
    em.create(Membership, { user, role: invite.role });
    invite.acceptedAt = new Date();
    invite.acceptedBy = user.id;
    recordAuditIn(em, {
      actorUserId: user.id,
      action: 'member.joined',
      targetId: user.id,
      data: { inviteId: invite.id, role: invite.role, invitedBy: invite.invitedBy },
      requestId: ctx.requestId,
    });
    await em.flush();
    await notifyInviteAccepted(em, {
      tenantId: tenant.id,
      inviteId: invite.id,
      inviterId: invite.invitedBy,
      member: { id: user.id, name: user.name, email: user.email },
      role: invite.role,
    });
    return user;
  });

  return { token: ctx.services.tokens.sign({ sub: user.id, tid: tenant.id }), user, tenant };
}
