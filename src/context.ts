import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UnauthenticatedError } from './common/errors.js';
import { RequestLoaders } from './common/loaders.js';
import { TENANT_FILTER, type TenantFilterParams } from './db/tenant-filter.js';
import { requestLogStore, type Logger } from './logger.js';
import type { Role } from './modules/auth/roles.js';
import type { PlanCode } from './modules/tenants/tenant.enums.js';
import type { Tenant } from './modules/tenants/tenant.entity.js';
import { resolveTenant, tenantHintsFromHeaders } from './modules/tenants/tenant-resolution.js';
import { Membership } from './modules/users/membership.entity.js';
import { User } from './modules/users/user.entity.js';
import type { AppServices } from './services.js';

/** Everything a resolver may know about the request; built only by `createRequestContext`. */
export interface RequestContext {
  readonly requestId: string;
  readonly services: AppServices;
  /** A fork for this request only, filtered to `tenant` and inside its RLS transaction. */
  readonly em: EntityManager;
  readonly tenant: Tenant | null;
  readonly user: User | null;
  /** From the membership row in `tenant`, never from a token claim. */
  readonly role: Role | null;
  readonly plan: PlanCode | null;
  readonly loaders: RequestLoaders;
  readonly log: Logger;
  readonly clientIp?: string;
}

/** The transport-neutral parts of a request (HTTP or a graphql-ws connection). */
export interface RequestInfo {
  headers: Record<string, string | string[] | undefined>;
  /** The `<slug>` of a `/t/<slug>/graphql` path. */
  pathSlug?: string;
  clientIp?: string;
  requestId?: string;
  /**
   * Keep the request's RLS transaction open for the resolvers (HTTP). graphql-ws operations pass
   * false: a subscription lives for minutes and must not pin a pooled connection; their queries
   * and mutations open one around execution (`beginRequestTransaction`).
   */
  transaction?: boolean;
}

function bearerToken(headers: RequestInfo['headers']): string | undefined {
  const value = headers.authorization;
  const header = Array.isArray(value) ? value[0] : value;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <token>"');
  return match[1];
}

/**
 * The one context factory. It authenticates, resolves the tenant (refusing disagreement), forks
 * the EntityManager with the tenant filter set, and opens the request's transaction with
 * `app.tenant_id`/`app.user_id` set transaction-locally for row-level security.
 */
export async function createRequestContext(services: AppServices, info: RequestInfo): Promise<RequestContext> {
  const requestId = info.requestId ?? randomUUID();
  const token = bearerToken(info.headers);
  const claims = token ? services.tokens.verify(token) : undefined;
  const tenant = await resolveTenant(
    { ...tenantHintsFromHeaders(info.headers, services.config.baseDomain, info.pathSlug), tokenTenantId: claims?.tid },
    services.tenants,
  );

  const em = services.orm.em.fork();
  if (tenant) em.setFilterParams(TENANT_FILTER, { tenantId: tenant.id } satisfies TenantFilterParams);
  const user = claims ? await em.findOne(User, { id: claims.sub }) : null;
  if (claims && !user) throw new UnauthenticatedError('Invalid or expired token');

  let role: Role | null = null;
  if (tenant || user) {
    await beginScopedTransaction(em, tenant, user);
    try {
      if (tenant && user) role = (await em.findOne(Membership, { user: user.id }))?.role ?? null;
      if (info.transaction === false) await em.commit();
    } catch (error) {
      await em.rollback();
      throw error;
    }
  }

  const logFields = requestLogStore.getStore();
  if (logFields) {
    logFields.tenant_id = tenant?.id;
    logFields.user_id = user?.id;
  }
  return {
    requestId,
    services,
    em,
    tenant,
    user,
    role,
    plan: tenant?.plan ?? null,
    loaders: new RequestLoaders(em),
    log: services.log,
    clientIp: info.clientIp,
  };
}

function beginScopedTransaction(em: EntityManager, tenant: Tenant | null, user: User | null): Promise<void> {
  return em.begin({ sessionContext: { variables: { 'app.tenant_id': tenant?.id ?? '', 'app.user_id': user?.id ?? '' } } });
}

/** Opens the RLS transaction of a context made without one (a query or mutation over graphql-ws). */
export async function beginRequestTransaction(context: RequestContext): Promise<void> {
  if (context.tenant || context.user) await beginScopedTransaction(context.em, context.tenant, context.user);
}

/** Ends the request's transaction: commit when the operation succeeded, roll back otherwise. */
export async function finishRequestContext(context: RequestContext, succeeded: boolean): Promise<void> {
  if (!context.em.isInTransaction()) return;
  if (succeeded) {
    try {
      await context.em.commit();
    } catch (error) {
      await context.em.rollback().catch(() => undefined);
      throw error;
    }
  } else {
    await context.em.rollback();
  }
}
