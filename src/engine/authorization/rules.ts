import { GraphQLError } from 'graphql';
import { allow, and, rule } from 'graphql-shield';
import type { RequestContext } from '../context.js';
import { roleAtLeast, Role } from '../identity/roles.js';
import { TenantStatus } from '../tenancy/tenant.enums.js';
import { ForbiddenError, TenantRequiredError, TenantSuspendedError, UnauthenticatedError } from '../graphql/errors.js';

/** What a denial says when a rule has no typed error of its own: nothing about why. */
export const fallbackError = new GraphQLError('Forbidden', { extensions: { code: 'FORBIDDEN' } });

/** Open to anyone, including anonymous callers (login, sign-up, public branding). */
export const isPublic = allow;

export const isAuthenticated = rule({ cache: 'contextual' })((_parent, _args, ctx: RequestContext) =>
  ctx.userId ? true : new UnauthenticatedError(),
);

export const isPlatformOperator = rule({ cache: 'contextual' })((_parent, _args, ctx: RequestContext) => {
  if (!ctx.user) return new UnauthenticatedError();
  return ctx.user.isPlatformAdmin ? true : new ForbiddenError();
});

type ShieldRule = ReturnType<ReturnType<typeof rule>>;

const roleRules = new Map<Role, ShieldRule>();

/**
 * A member of the request's tenant, or a service principal (API key) of it, with at least `minimum`
 * (OWNER > MANAGER > MEMBER > VIEWER).
 */
export function hasRole(minimum: Role): ShieldRule {
  let roleRule = roleRules.get(minimum);
  if (!roleRule) {
    roleRule = rule(`hasRole:${minimum}`, { cache: 'contextual' })((_parent, _args, ctx: RequestContext) => {
      if (!ctx.userId && !ctx.principal) return new UnauthenticatedError();
      if (!ctx.tenant) return new TenantRequiredError();
      return roleAtLeast(ctx.role, minimum) ? true : new ForbiddenError();
    });
    roleRules.set(minimum, roleRule);
  }
  return roleRule;
}

/** A SUSPENDED tenant is read-only. */
export const tenantWritable = rule({ cache: 'contextual' })((_parent, _args, ctx: RequestContext) =>
  ctx.tenant?.status === TenantStatus.SUSPENDED ? new TenantSuspendedError() : true,
);

/** A mutation inside the tenant: the role, then the tenant's status. */
export function canWrite(minimum: Role) {
  return and(hasRole(minimum), tenantWritable);
}

export const isViewer = hasRole(Role.VIEWER);
