import type { EntityManager } from '@mikro-orm/postgresql';
import { accountsWithPassword } from '../../engine/identity/password-credentials.js';
import { TenantNotFoundError, UnauthenticatedError } from '../../engine/graphql/errors.js';
import { spend } from '../../engine/http/rate-limit.js';
import type { RequestContext } from '../../engine/context.js';
import type { Tenant } from '../../engine/tenancy/tenant.entity.js';
import type { Membership } from '../../engine/identity/membership.entity.js';
import { asUser, findOwnMemberships } from '../../engine/tenancy/tenant-session.js';
import { User } from '../../engine/identity/user.entity.js';
import { normalizeEmail } from '../../engine/identity/user.service.js';
import type { AuthPayload, LoginInput } from './auth.inputs.js';

const INVALID_LOGIN = 'Invalid e-mail, password or tenant';

/** The user's memberships with their tenants, served tenants only (deleted ones vanish), oldest first; `em` runs as that user. */
async function servedMemberships(
  ctx: RequestContext,
  em: EntityManager,
  userId: string,
): Promise<{ membership: Membership; tenant: Tenant }[]> {
  const memberships = await findOwnMemberships(em, userId);
  const tenants = await Promise.all(memberships.map((m) => ctx.services.tenants.byId(m.tenantId, em)));
  return memberships.flatMap((membership, index) => {
    const tenant = tenants[index];
    return tenant?.isServed() ? [{ membership, tenant }] : [];
  });
}

/** The user's memberships in served tenants only, oldest first. */
export async function servedMembershipsOf(ctx: RequestContext, em: EntityManager, userId: string): Promise<Membership[]> {
  return (await servedMemberships(ctx, em, userId)).map((served) => served.membership);
}

async function servedTenantsOf(ctx: RequestContext, em: EntityManager, userId: string): Promise<Tenant[]> {
  return (await servedMemberships(ctx, em, userId)).map((served) => served.tenant);
}

/**
 * Same answer, and the same time spent, for an unknown e-mail, a wrong password or a foreign tenant.
 * An address may have several accounts (an unverified e-mail is a claim): the first, in sign-in
 * order, whose password this is, and with `tenantSlug` that is a member there, is signed in.
 */
export async function login(ctx: RequestContext, input: LoginInput): Promise<AuthPayload> {
  const email = normalizeEmail(input.email);
  const address = ctx.clientIp ?? 'unknown';
  const limits = ctx.services.rateLimits;
  await spend(limits.login, `${address}|${email}`);
  await spend(limits.loginAddress, address);
  await spend(limits.loginAccount, email);
  const candidates = await accountsWithPassword(ctx.services.orm.em.fork(), email, input.password);
  const wanted = input.tenantSlug?.trim().toLowerCase();
  for (const userId of candidates) {
    const signedIn = await signIn(ctx, userId, wanted);
    if (signedIn) return signedIn;
  }
  throw new UnauthenticatedError(INVALID_LOGIN);
}

/** A token for the account in the tenant named by `wanted` (null when it is not a member there), or its oldest by default. */
async function signIn(ctx: RequestContext, userId: string, wanted: string | undefined): Promise<AuthPayload | null> {
  const user = await ctx.services.orm.em.fork().findOne(User, { id: userId });
  if (!user) return null;
  const tenants = await asUser(ctx.services.orm.em, user.id, (userEm) => servedTenantsOf(ctx, userEm, user.id));
  const tenant = wanted === undefined ? (tenants[0] ?? null) : tenants.find((t) => t.slug === wanted);
  if (tenant === undefined) return null;
  return { token: ctx.services.tokens.sign({ sub: user.id, tid: tenant?.id }), user, tenant };
}

/** A new token for another tenant of the same user; "not a member" looks like "no such tenant". */
export async function switchTenant(ctx: RequestContext, tenantId: string): Promise<AuthPayload> {
  const user = ctx.user;
  if (!user) throw new UnauthenticatedError();
  const tenant = (await servedTenantsOf(ctx, ctx.em, user.id)).find((t) => t.id === tenantId.toLowerCase());
  if (!tenant) throw new TenantNotFoundError();
  return { token: ctx.services.tokens.sign({ sub: user.id, tid: tenant.id }), user, tenant };
}
