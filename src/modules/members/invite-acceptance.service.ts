import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createAccountClaim } from '../../engine/identity/email-claims.js';
import { hashPassword } from '../../engine/identity/passwords.js';
import { BadUserInputError, ConflictError, ForbiddenError, TenantSuspendedError } from '../../engine/graphql/errors.js';
import { spend } from '../../engine/http/rate-limit.js';
import type { RequestContext } from '../../engine/context.js';
import { inTenantTransaction } from '../../engine/tenancy/tenant-session.js';
import { prepareVerificationEmail } from '../accounts/accounts.service.js';
import { recordAuditIn } from '../audit/audit.service.js';
import type { AuthPayload } from '../auth/auth.inputs.js';
import { notifyInviteAccepted } from '../notifications/notification.triggers.js';
import { TenantStatus } from '../../engine/tenancy/tenant.enums.js';
import { Membership } from '../../engine/identity/membership.entity.js';
import { User } from '../../engine/identity/user.entity.js';
import { recordUsageEvent } from '../metering/usage-meter.js';
import { UsageMetric } from '../metering/usage-metric.js';
import { Invite, InviteStatus } from './invite.entity.js';
import { parseInviteToken } from './invite-token.js';
import type { AcceptInviteArgs } from './members.inputs.js';

const NEW_PASSWORD_MIN_LENGTH = 10;

/** Malformed, forged, foreign, unknown, expired, revoked and used tokens all get this one answer. */
function invalidInvite(): BadUserInputError {
  return BadUserInputError.field('token', 'This invite is invalid, expired or already used');
}

/**
 * The invited e-mail's account. An existing account joins only through its own bearer token
 * (never by a password typed here, which made every invite a password oracle). Anyone else gets a
 * new, unverified account with the invite's e-mail, whatever accounts the address already has:
 * the answer never depends on them, and joining never hands anyone an existing account.
 */
async function joiningUser(ctx: RequestContext, em: EntityManager, email: string, args: AcceptInviteArgs): Promise<User> {
  if (ctx.user?.email === email) {
    // Only an account that proved its address may join tenants beyond the one it signed up to.
    if (!ctx.user.emailVerifiedAt) throw new ForbiddenError('Confirm your e-mail address (verifyEmail) before joining another tenant');
    return em.findOneOrFail(User, { id: ctx.user.id });
  }
  const password = args.password ?? '';
  if (password.length < NEW_PASSWORD_MIN_LENGTH) {
    throw BadUserInputError.field('password', `A new account needs at least ${NEW_PASSWORD_MIN_LENGTH} characters`);
  }
  const passwordHash = await hashPassword(password);
  const name = args.name?.trim() || (email.split('@')[0] ?? email);
  return createAccountClaim(em, { email, name, passwordHash });
}

/**
 * Joins the invite's tenant with the invited role, as a new user or an existing one (a user may
 * belong to many tenants). The token names its tenant, so the invite is looked up inside that
 * tenant's transaction only, locked, and used once. The inviter is notified after the commit.
 */
export async function acceptInvite(ctx: RequestContext, args: AcceptInviteArgs): Promise<AuthPayload> {
  const parsed = parseInviteToken(args.token);
  // Per invite token whatever the address, and per address whatever the token.
  await spend(ctx.services.rateLimits.login, `invite:${parsed?.tokenHash ?? 'malformed'}`);
  await spend(ctx.services.rateLimits.loginAddress, ctx.clientIp ?? 'unknown');
  const tenant = parsed ? await ctx.services.tenants.byId(parsed.tenantId) : null;
  if (!parsed || !tenant?.isServed()) throw invalidInvite();

  let sendVerification: (() => void) | undefined;
  const user = await inTenantTransaction(ctx.services.orm.em, tenant.id, async (em) => {
    const invite = await em.findOne(Invite, { tokenHash: parsed.tokenHash }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!invite || invite.status !== InviteStatus.PENDING) throw invalidInvite();
    if (tenant.status === TenantStatus.SUSPENDED) throw new TenantSuspendedError();
    const user = await joiningUser(ctx, em, invite.email, args);
    if (user.id !== ctx.user?.id) {
      await em.flush(); // the token row references the new user
      sendVerification = await prepareVerificationEmail(ctx.services, em, user, tenant);
    }
    if (await em.count(Membership, { user: user.id })) throw new ConflictError('You are already a member of this tenant');
    const membership = em.create(Membership, { user, role: invite.role });
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
    await recordUsageEvent(em, tenant.id, UsageMetric.SEATS, `seat:${membership.id}`);
    await notifyInviteAccepted(em, {
      tenantId: tenant.id,
      inviteId: invite.id,
      inviterId: invite.invitedBy,
      member: { id: user.id, name: user.name, email: user.email },
      role: invite.role,
    });
    return user;
  });

  sendVerification?.();
  return { token: ctx.services.tokens.sign({ sub: user.id, tid: tenant.id }), user, tenant };
}
