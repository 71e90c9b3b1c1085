import type { RequestContext } from '../context.js';
import { TenantRequiredError, UnauthenticatedError } from '../graphql/errors.js';
import type { User } from '../identity/user.entity.js';
import type { Tenant } from './tenant.entity.js';

/** A request context known to have a signed-in user acting in a tenant. */
export interface TenantContext extends RequestContext {
  readonly tenant: Tenant;
  readonly user: User;
}

/**
 * Narrows a context for code that acts for a user in a tenant. The shield rules have already
 * required both; if a rule were missing this answers UNAUTHENTICATED or TENANT_REQUIRED instead
 * of reading a null (a missing tenant never means "all tenants").
 */
export function tenantContextOf(ctx: RequestContext): TenantContext {
  if (!ctx.user) throw new UnauthenticatedError();
  if (!ctx.tenant) throw new TenantRequiredError();
  return ctx as TenantContext;
}

/** The request's tenant; TENANT_REQUIRED without one. */
export function tenantOf(ctx: RequestContext): Tenant {
  if (!ctx.tenant) throw new TenantRequiredError();
  return ctx.tenant;
}
