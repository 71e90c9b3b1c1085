import { BadUserInputError, ConflictError, NotFoundError } from '../../engine/graphql/errors.js';
import { requireFound } from '../../engine/graphql/require-found.js';
import { actorOf } from '../../engine/identity/actor.js';
import { isUuid } from '../../engine/graphql/uuid.js';
import type { RequestContext } from '../../engine/context.js';
import { enqueueJob } from '../../engine/jobs/job-queue.js';
import { recordAudit } from '../audit/audit.service.js';
import { withPlatformAccess } from '../../engine/authorization/platform-access.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { TenantStatus } from '../../engine/tenancy/tenant.enums.js';
import { publishTenantChange } from '../../engine/tenancy/tenant-changes.js';
import { EXPORT_MAX_ATTEMPTS, EXPORT_TENANT_TASK, PURGE_TENANT_TASK, type ExportTenantJob } from './lifecycle.tasks.js';
import { TenantExport } from './tenant-export.entity.js';
import { tenantContextOf } from '../../engine/tenancy/tenant-context.js';

/** Soft-deletes the caller's tenant: it vanishes from every query at once; data is purged after retention. */
export async function deleteTenant(ctx: RequestContext, confirmSlug: string): Promise<boolean> {
  const tenant = await ctx.em.findOneOrFail(Tenant, { id: tenantContextOf(ctx).tenant.id });
  if (confirmSlug.trim().toLowerCase() !== tenant.slug) {
    throw BadUserInputError.field('confirmSlug', 'Type the tenant slug to confirm deletion');
  }
  tenant.deletedAt = new Date();
  tenant.status = TenantStatus.DELETED;
  recordAudit(ctx, 'tenant.deleted', tenant.id, { retentionMs: ctx.services.config.tenantRetentionMs });
  await enqueueJob(
    ctx.em,
    PURGE_TENANT_TASK,
    { tenantId: tenant.id },
    {
      jobKey: `purge:${tenant.id}`,
      runAt: new Date(Date.now() + ctx.services.config.tenantRetentionMs),
    },
  );
  await ctx.em.flush();
  // Dropped from every cache once the deletion commits: before it, a concurrent lookup would cache the still-active row again.
  ctx.services.afterCommit.schedule(ctx.em, () => publishTenantChange(ctx.services, tenant));
  return true;
}

/** Starts a complete export of the caller's tenant, produced in the background. */
export async function requestTenantExport(ctx: RequestContext): Promise<TenantExport> {
  const record = ctx.em.create(TenantExport, { requestedBy: actorOf(ctx).id });
  recordAudit(ctx, 'tenant.export_requested', record.id);
  await ctx.em.flush();
  const job: ExportTenantJob = { tenantId: tenantContextOf(ctx).tenant.id, exportId: record.id };
  await enqueueJob(ctx.em, EXPORT_TENANT_TASK, job, { jobKey: `export:${record.id}`, maxAttempts: EXPORT_MAX_ATTEMPTS });
  return record;
}

/** One export of the caller's tenant (another tenant's id looks missing). */
export function findTenantExport(ctx: RequestContext, id: string): Promise<TenantExport | null> {
  if (!isUuid(id)) return Promise.resolve(null);
  return ctx.em.findOne(TenantExport, { id }, { populate: ['archive'] });
}

async function changeStatus(ctx: RequestContext, tenantId: string, action: string, change: (tenant: Tenant) => void): Promise<Tenant> {
  if (!isUuid(tenantId)) throw new NotFoundError('Tenant');
  const tenant = await withPlatformAccess(
    ctx,
    action,
    async (em) => {
      const found = requireFound(await em.findOne(Tenant, { id: tenantId, purgedAt: null }), 'Tenant');
      change(found);
      await em.flush();
      return found;
    },
    { tenantId },
  );
  publishTenantChange(ctx.services, tenant);
  return tenant;
}

/** Platform operators: makes a tenant read-only (mutations answer TENANT_SUSPENDED). */
export function suspendTenant(ctx: RequestContext, tenantId: string, reason: string): Promise<Tenant> {
  return changeStatus(ctx, tenantId, 'tenant.suspend', (tenant) => {
    if (tenant.status !== TenantStatus.ACTIVE) throw new ConflictError(`A ${tenant.status} tenant cannot be suspended`);
    tenant.status = TenantStatus.SUSPENDED;
    tenant.statusReason = reason;
  });
}

/** Platform operators: a suspended tenant, or a deleted one not yet purged, becomes ACTIVE again. */
export function restoreTenant(ctx: RequestContext, tenantId: string): Promise<Tenant> {
  return changeStatus(ctx, tenantId, 'tenant.restore', (tenant) => {
    if (tenant.status !== TenantStatus.SUSPENDED && tenant.status !== TenantStatus.DELETED) {
      throw new ConflictError(`A ${tenant.status} tenant cannot be restored`);
    }
    tenant.status = TenantStatus.ACTIVE;
    tenant.statusReason = undefined;
    tenant.deletedAt = undefined;
  });
}
