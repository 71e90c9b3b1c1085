import type { EntityManager } from '@mikro-orm/postgresql';
import { TENANT_FILTER, type TenantFilterParams } from './tenant-filter.js';

/**
 * Runs `work` in its own transaction scoped to one tenant, for work that has no request
 * context (provisioning, seeds, jobs): the ORM filter and RLS see exactly that tenant.
 */
export async function inTenantTransaction<T>(
  root: EntityManager,
  tenantId: string,
  work: (em: EntityManager) => Promise<T>,
  userId?: string,
): Promise<T> {
  const em = root.fork();
  em.setFilterParams(TENANT_FILTER, { tenantId } satisfies TenantFilterParams);
  await em.begin({ sessionContext: { variables: { 'app.tenant_id': tenantId, 'app.user_id': userId ?? '' } } });
  try {
    const result = await work(em);
    await em.commit();
    return result;
  } catch (error) {
    await em.rollback();
    throw error;
  }
}
