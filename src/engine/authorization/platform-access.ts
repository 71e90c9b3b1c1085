import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../context.js';
import { ForbiddenError, UnauthenticatedError } from '../graphql/errors.js';
import { asPlatformOperator } from '../tenancy/tenant-session.js';
import { PlatformAuditEvent } from './platform-audit-event.entity.js';

/**
 * The one way to read across tenants (isolation point 7 of docs/architecture.md). Checks the
 * caller is a platform operator, records who/what/why in platform_audit_events in the same
 * transaction, and runs `work` in the platform read (read-only across tenants) on the platform
 * role's own pool.
 */
export async function withPlatformAccess<T>(
  ctx: RequestContext,
  action: string,
  work: (em: EntityManager) => Promise<T>,
  data: Record<string, unknown> = {},
): Promise<T> {
  const operator = ctx.user;
  if (!operator) throw new UnauthenticatedError();
  if (!operator.isPlatformAdmin) throw new ForbiddenError();
  const platformOrm = ctx.services.platformOrm;
  if (!platformOrm) throw new ForbiddenError('Platform access is not configured on this gateway (DATABASE_PLATFORM_URL)');
  const result = await asPlatformOperator(platformOrm.em, operator.id, (em) => {
    em.create(PlatformAuditEvent, { operatorUserId: operator.id, action, reason: `graphql:${action}`, data });
    return work(em);
  });
  ctx.log.info({ action, operator: operator.id }, 'platform access');
  return result;
}
