import { TransactionEventBroadcaster } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Kysely } from 'kysely';
import { startReadOnly } from '../db/deferred-begin.js';
import { isUuid } from '../graphql/uuid.js';
import { Membership } from '../identity/membership.entity.js';
import { TENANT_FILTER, type TenantFilterParams } from './tenant-filter.js';

/**
 * The one owner of the tenant session. Row-level security reads `app.tenant_id`, `app.user_id`
 * and `app.own_memberships`; they are set here only, always transaction-locally, so a pooled
 * connection never carries a previous request's tenant. (The platform read is a login role of its
 * own, not a setting: see `asPlatformOperator`.) The ORM's tenant filter is set here too,
 * and lifted only by the two named reads below (the caller's own memberships, the platform read).
 */

/** Whose rows a transaction may see: RLS's view of it. */
interface SessionScope {
  tenantId?: string;
  userId?: string;
}

/** Find options that lift the tenant filter: only for work inside `asPlatformOperator`. */
export const ACROSS_TENANTS = { filters: { tenant: false } } as const;

/** A UUID as a SQL literal; anything else never reaches the session string. */
function uuidLiteral(value: string | undefined): string {
  if (value === undefined || value === '') return "''";
  if (!isUuid(value)) throw new Error('A tenant session takes UUIDs only');
  return `'${value.toLowerCase()}'`;
}

/**
 * BEGIN and the session settings in one round trip: `begin; select set_config('app.tenant_id',
 * '…', true), …` as one simple-protocol message (the driver defers BEGIN to the transaction's first
 * statement, `db/deferred-begin.ts`). The values are inlined, so they are strictly validated UUIDs
 * first. One `select` of `set_config`s rather than one `SET LOCAL` per setting: the same round trip,
 * but one statement instead of two or three for PostgreSQL (and for pg_stat_statements).
 */
async function begin(em: EntityManager, scope: SessionScope, readOnly = false): Promise<void> {
  const settings = [
    `set_config('app.tenant_id', ${uuidLiteral(scope.tenantId)}, true)`,
    `set_config('app.user_id', ${uuidLiteral(scope.userId)}, true)`,
  ];
  await em.begin(readOnly ? { readOnly: true } : {});
  try {
    await em.execute(`select ${settings.join(', ')}`, [], 'run');
  } catch (error) {
    await em.rollback().catch(() => undefined);
    throw error;
  }
}

/** Commits when `succeeded`, rolls back otherwise; a failed commit is rolled back and rethrown. */
async function end(em: EntityManager, succeeded: boolean, readOnly = false): Promise<void> {
  if (!succeeded) {
    await em.rollback();
    return;
  }
  try {
    if (readOnly) await commitWithoutFlush(em);
    else await em.commit();
  } catch (error) {
    await em.rollback().catch(() => undefined);
    throw error;
  }
}

/** The driver's transaction handle, as its connection's `commit` takes it. */
type DriverTransaction = Parameters<ReturnType<EntityManager['getConnection']>['commit']>[0];

/**
 * The commit of a read: `em.commit()` flushes first, i.e. computes a change set for every entity
 * the request loaded. A query operation changes nothing, so its transaction is committed as is
 * (anything a query resolver changed in memory is dropped, never written).
 */
async function commitWithoutFlush(em: EntityManager): Promise<void> {
  const trx = em.getTransactionContext<DriverTransaction>();
  if (!trx) return;
  await em.getConnection('write').commit(trx, new TransactionEventBroadcaster(em));
  em.resetTransactionContext();
}

/** Runs `work` in a transaction of its own with `scope`: committed when it returns, rolled back when it throws. */
async function inSession<T>(em: EntityManager, scope: SessionScope, work: (em: EntityManager) => Promise<T>): Promise<T> {
  await begin(em, scope);
  let result: T;
  try {
    result = await work(em);
  } catch (error) {
    await em.rollback();
    throw error;
  }
  await end(em, true);
  return result;
}

/** A fork of `root` whose ORM filter is scoped to `tenantId` (or to no tenant: tenant-scoped queries then throw). */
export function tenantFork(root: EntityManager, tenantId: string | undefined): EntityManager {
  const em = root.fork();
  if (tenantId) em.setFilterParams(TENANT_FILTER, { tenantId } satisfies TenantFilterParams);
  return em;
}

/** Opens a request's transaction: RLS sees the request's tenant and caller. */
export function openRequestSession(em: EntityManager, tenantId: string | undefined, userId: string | undefined): Promise<void> {
  return begin(em, { tenantId, userId });
}

/**
 * Makes the request's transaction `READ ONLY` (a query operation) while nothing of it has been sent
 * yet; otherwise it stays read-write (the caller was read from the database). PostgreSQL then
 * refuses any write a query might attempt.
 */
export async function readOnlyRequestSession(em: EntityManager): Promise<boolean> {
  const trx = em.getTransactionContext<Kysely<unknown>>();
  return trx ? startReadOnly(trx) : false;
}

/**
 * Ends a request's transaction, if one is open: commit when the operation succeeded, roll back
 * otherwise. `readOnly` (a query operation): committed without the unit-of-work flush.
 */
export async function closeRequestSession(em: EntityManager, succeeded: boolean, readOnly = false): Promise<void> {
  if (em.isInTransaction()) await end(em, succeeded, readOnly);
}

/**
 * Runs `work` in its own transaction scoped to one tenant, for work that has no request
 * context (provisioning, seeds, jobs): the ORM filter and RLS see exactly that tenant.
 */
export function inTenantTransaction<T>(
  root: EntityManager,
  tenantId: string,
  work: (em: EntityManager) => Promise<T>,
  userId?: string,
): Promise<T> {
  return inSession(tenantFork(root, tenantId), { tenantId, userId }, work);
}

/** Runs `work` as `userId` with no tenant (sign-in, the caller's memberships): RLS shows that user's own rows only. */
export function asUser<T>(root: EntityManager, userId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return inSession(root.fork(), { userId }, work);
}

/**
 * A user's own memberships in every tenant: the ORM filter is lifted here only, and RLS still
 * limits the rows to `user_id = app.user_id` (policy memberships_self_select), so `em` must be
 * in a session of that user (`asUser`, or the request's own). Inside a tenant's transaction that
 * policy shows the tenant's membership only, unless `app.own_memberships` is on: it is, for this
 * one read.
 */
export async function findOwnMemberships(em: EntityManager, userId: string): Promise<Membership[]> {
  await em.execute(`select set_config('app.own_memberships', 'on', true)`);
  try {
    return await em.find(Membership, { user: userId }, { ...ACROSS_TENANTS, orderBy: { createdAt: 'asc', id: 'asc' } });
  } finally {
    await em.execute(`select set_config('app.own_memberships', '', true)`);
  }
}

/**
 * The platform read. `platformRoot` must be the platform role's ORM (`services.platformOrm`): only
 * that login role is named by the SELECT-only `*_platform_read` RLS policies, so it reads across
 * tenants but never writes their rows; nothing the app role runs can switch it on. Callers check
 * the operator and audit the access (`withPlatformAccess`).
 */
export function asPlatformOperator<T>(
  platformRoot: EntityManager,
  operatorId: string,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  return inSession(platformRoot.fork(), { userId: operatorId }, work);
}
