import type { EntityManager, EventArgs, EventSubscriber, FilterDef } from '@mikro-orm/core';
import { TenantScopedEntity } from './tenant-scoped.entity.js';
import { isUuid } from '../graphql/uuid.js';

export const TENANT_FILTER = 'tenant';

export interface TenantFilterParams {
  tenantId: string;
}

/** A tenant-scoped query ran without a tenant: a programming error, never "all tenants". */
export class TenantContextMissingError extends Error {
  constructor(entityName: string) {
    super(`Tenant context is not set: refusing to query ${entityName} without a tenant`);
    this.name = 'TenantContextMissingError';
  }
}

function requireTenantId(params: Partial<TenantFilterParams> | undefined, entityName: string): string {
  const tenantId = params?.tenantId;
  if (!isUuid(tenantId)) throw new TenantContextMissingError(entityName);
  return tenantId;
}

/**
 * The tenant an EntityManager is scoped to, for raw SQL that the ORM filter does not reach: such
 * SQL must name its tenant explicitly (RLS is the second layer, not the only one).
 */
export function tenantIdOf(em: EntityManager): string {
  return requireTenantId(em.getFilterParams<TenantFilterParams>(TENANT_FILTER), 'raw SQL');
}

/**
 * Registered globally and on by default, so a new entity cannot opt out by forgetting it: any
 * entity with a `tenantId` is scoped, and a missing (or `undefined`, which MikroORM would turn
 * into `IS NULL`) parameter throws instead of matching everything.
 */
export const tenantFilter: FilterDef = {
  name: TENANT_FILTER,
  default: true,
  args: false,
  cond: (params, _type, em: EntityManager, _options, entityName) => {
    if (!entityName || !em.getMetadata().getByClassName(entityName, false)?.properties.tenantId) return {};
    return { tenantId: requireTenantId(params, entityName) };
  },
};

/**
 * The tenant a new row of `entityName` is stamped with: `em`'s. A row that already names another
 * tenant is refused (client input never decides it).
 */
export function tenantStampOf(em: EntityManager, entityName: string, given?: string): string {
  const tenantId = requireTenantId(em.getFilterParams<TenantFilterParams>(TENANT_FILTER), entityName);
  if (given && given !== tenantId) throw new TenantContextMissingError(`${entityName} of another tenant`);
  return tenantId;
}

/** Stamps new rows with the tenant of the EntityManager that flushes them (`insertRow` stamps the rows it inserts). */
export class TenantStampSubscriber implements EventSubscriber<TenantScopedEntity> {
  beforeCreate({ entity, em, meta }: EventArgs<TenantScopedEntity>): void {
    if (!(entity instanceof TenantScopedEntity)) return;
    entity.tenantId = tenantStampOf(em, meta.className, entity.tenantId);
  }
}
