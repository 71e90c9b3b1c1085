import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isDatabaseUnavailable } from './db/connection-errors.js';
import { ServiceUnavailableError, UnauthenticatedError } from './graphql/errors.js';
import { RequestLoaders } from './graphql/loaders.js';
import { annotateRequestSpan } from './observability/tracing.js';
import { closeRequestSession, openRequestSession, readOnlyRequestSession, tenantFork } from './tenancy/tenant-session.js';
import { requestLogStore, type Logger } from './observability/logger.js';
import type { Role } from './identity/roles.js';
import type { CredentialResolver, ServicePrincipal } from './identity/credentials.js';
import type { Tenant } from './tenancy/tenant.entity.js';
import type { PlanCode } from './tenancy/tenant.enums.js';
import { resolveTenant, tenantHintsFromHeaders } from './tenancy/tenant-resolution.js';
import { Membership } from './identity/membership.entity.js';
import { User } from './identity/user.entity.js';
import { declaredBy } from './module.js';
import type { AppServices } from './services.js';

/** Everything a resolver may know about the request; built only by `createRequestContext`. */
export interface RequestContext {
  readonly requestId: string;
  readonly services: AppServices;
  /** A fork for this request only, filtered to `tenant` and inside its RLS transaction. */
  readonly em: EntityManager;
  readonly tenant: Tenant | null;
  /** The signed-in caller's id: what rules, rate limits and attributions need, without the entity. */
  readonly userId: string | null;
  /** The signed-in caller's name, for messages that quote it, without the entity. */
  readonly userName: string | null;
  /** The signed-in caller, managed by `em` (merged from the caller cache on first use). */
  readonly user: User | null;
  /** A service caller (API key) of `tenant`; set only when `user` is null. */
  readonly principal: ServicePrincipal | null;
  /** From the membership row in `tenant` (or the API key), never from a token claim. */
  readonly role: Role | null;
  /** The tenant's plan, from the cached tenant (plan gates read it without a query). */
  readonly plan: PlanCode | null;
  readonly loaders: RequestLoaders;
  readonly log: Logger;
  readonly clientIp?: string;
  /** Headers for the HTTP response (quota and rate-limit state); ignored over graphql-ws. */
  readonly responseHeaders: Map<string, string>;
}

/** The transport-neutral parts of a request (HTTP or a graphql-ws connection). */
export interface RequestInfo {
  headers: Record<string, string | string[] | undefined>;
  /** The `<slug>` of a `/t/<slug>/graphql` path. */
  pathSlug?: string;
  clientIp?: string;
  requestId?: string;
  /**
   * Keep the caller lookup's RLS transaction open for the resolvers (HTTP). graphql-ws operations
   * pass false: a subscription lives for minutes and must not pin a pooled connection; their
   * queries and mutations open one around execution (`beginRequestTransaction`). Either way an
   * operation whose root fields run their own sessions gets none (`OWN_SESSIONS`).
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

/** A credential header some module's resolver accepts (an API key), with that resolver. */
function serviceCredential(
  services: AppServices,
  headers: RequestInfo['headers'],
): { resolver: CredentialResolver; value: string } | undefined {
  for (const key of declaredBy(services.modules, 'credentialResolvers')) {
    const resolver = services.get(key);
    const value = headers[resolver.header];
    if (value !== undefined) return { resolver, value: (Array.isArray(value) ? value[0] : value)?.trim() ?? '' };
  }
  return undefined;
}

/**
 * The one context factory. It authenticates, resolves the tenant (refusing disagreement), forks
 * the EntityManager with the tenant filter set, and opens the request's transaction with
 * `app.tenant_id`/`app.user_id` set transaction-locally for row-level security.
 */
export async function createRequestContext(services: AppServices, info: RequestInfo): Promise<RequestContext> {
  const requestId = info.requestId ?? randomUUID();
  const token = bearerToken(info.headers);
  const credential = serviceCredential(services, info.headers);
  if (token && credential) throw new UnauthenticatedError('Send either a bearer token or an API key, not both');
  const claims = token ? services.tokens.verify(token) : undefined;
  const principal = credential ? await credential.resolver.resolve(credential.value) : null;
  const tenant = await resolveTenant(
    {
      ...tenantHintsFromHeaders(info.headers, services.config.baseDomain, info.pathSlug),
      tokenTenantId: claims?.tid,
      credentialTenantId: principal?.tenantId,
    },
    services.tenants,
  ).catch(retryableWhenUnavailable);

  const em = tenantFork(services.orm.em, tenant?.id);

  let caller: Caller = { userId: null, userName: null, role: principal?.role ?? null, user: () => null };
  // An anonymous request holds no connection yet: its transaction opens once the operation is
  // known to need one (`prepareRequestTransaction`).
  if (claims) {
    // app.user_id is the token's subject before the user is read: it only ever lets that user's
    // own membership rows through (memberships_self_select), and an unknown user is refused below.
    try {
      await openRequestSession(em, tenant?.id, claims.sub);
      caller = await findCaller(services, em, claims.sub, tenant?.id);
      if (!caller.userId) throw new UnauthenticatedError('Invalid or expired token');
      if (info.transaction === false) await closeRequestSession(em, true, true);
    } catch (error) {
      await closeRequestSession(em, false).catch(() => undefined);
      retryableWhenUnavailable(error);
    }
  }

  const logFields = requestLogStore.getStore();
  if (logFields) {
    logFields.tenant_id = tenant?.id;
    logFields.user_id = caller.userId ?? undefined;
    if (principal) logFields.api_key_id = principal.id;
  }
  annotateRequestSpan(requestId, tenant?.id);
  return Object.assign(new CallerUser(caller.user), {
    requestId,
    services,
    em,
    tenant,
    userId: caller.userId,
    userName: caller.userName,
    principal,
    role: caller.role,
    plan: tenant?.plan ?? null,
    loaders: new RequestLoaders(em),
    log: services.log,
    clientIp: info.clientIp,
    responseHeaders: new Map<string, string>(),
  });
}

/**
 * The context's `user`, made on first read. The getter sits on the prototype: Apollo copies a
 * context's own properties for each operation (`Object.assign`), which would read an own getter,
 * and the copy shares this slot, so the user is still made at most once.
 */
class CallerUser {
  private readonly slot: { readonly make: () => User | null; user?: User | null };

  constructor(make: () => User | null) {
    this.slot = { make };
  }

  get user(): User | null {
    return (this.slot.user ??= this.slot.make());
  }
}

/**
 * A signed-in caller: the id and role are what almost every request needs; the managed `User` is
 * made only when a resolver reads it (merging the cached row into the identity map costs as much as
 * a small query's mapping, and most reads never touch the entity).
 */
interface Caller {
  readonly userId: string | null;
  readonly userName: string | null;
  readonly role: Role | null;
  readonly user: () => User | null;
}

/**
 * The caller and their role in the request's tenant. A member is read once per process (the
 * membership joined with its user, through the tenant filter and RLS, naming the tenant) and then
 * served from `services.callers`, keyed by (tenant, user) and evicted on every membership or user
 * change in any process. Only a caller who is not a member of the tenant, or a request without a
 * tenant, reads the user alone, every time. `userId` is null when the user does not exist.
 */
async function findCaller(services: AppServices, em: EntityManager, userId: string, tenantId: string | undefined): Promise<Caller> {
  if (tenantId) {
    // The tenant is named here, not left to the ORM filter: RLS alone must give the same answer.
    const cached = services.callers.get(tenantId, userId);
    // Merged as a managed, unchanged entity: resolvers (and the users loader) see the caller as if read.
    if (cached) return { userId, userName: cached.user.name, role: cached.role, user: () => em.merge(User, { ...cached.user }) };
    const membership = await em.findOne(Membership, { user: userId, tenantId }, { populate: ['user'] });
    if (membership) {
      const { id, email, name, isPlatformAdmin, emailVerifiedAt, createdAt } = membership.user;
      services.callers.set(tenantId, userId, {
        role: membership.role,
        user: { id, email, name, isPlatformAdmin, emailVerifiedAt, createdAt },
      });
      return { userId, userName: membership.user.name, role: membership.role, user: () => membership.user };
    }
  }
  const user = await em.findOne(User, { id: userId });
  return { userId: user?.id ?? null, userName: user?.name ?? null, role: null, user: () => user };
}

/** Rethrows `error`; a pool that gave no connection in time (or a database restarting) becomes a retryable 503. */
function retryableWhenUnavailable(error: unknown): never {
  if (isDatabaseUnavailable(error)) throw new ServiceUnavailableError();
  throw error;
}

function openSession(em: EntityManager, tenantId: string | undefined, userId: string | undefined): Promise<void> {
  return openRequestSession(em, tenantId, userId).catch(retryableWhenUnavailable);
}

/** Opens the RLS transaction of a context made without one (a query or mutation over graphql-ws, an anonymous request). */
export async function beginRequestTransaction(context: RequestContext): Promise<void> {
  if (context.em.isInTransaction()) return;
  if (context.tenant || context.userId) await openSession(context.em, context.tenant?.id, context.userId ?? undefined);
}

/**
 * Before execution: an operation whose root fields run their own sessions (`OWN_SESSIONS`) must
 * not hold the request's connection while they ask the pool for theirs, so the caller lookup's
 * transaction is committed; any other operation runs inside the request transaction, `READ ONLY`
 * for a query when nothing of it has been sent yet.
 */
export async function prepareRequestTransaction(context: RequestContext, ownSessions: boolean, query = false): Promise<void> {
  if (ownSessions) return closeRequestSession(context.em, true);
  await beginRequestTransaction(context);
  if (query) await readOnlyRequestSession(context.em);
}

/**
 * Ends the request's transaction: commit when the operation succeeded, roll back otherwise.
 * `readOnly` (a query operation) commits without the unit-of-work flush.
 */
export function finishRequestContext(context: RequestContext, succeeded: boolean, readOnly = false): Promise<void> {
  return closeRequestSession(context.em, succeeded, readOnly);
}
