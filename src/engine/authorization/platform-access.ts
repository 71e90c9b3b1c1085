import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../context.js';
import { ForbiddenError, UnauthenticatedError } from '../graphql/errors.js';
import { asPlatformOperator } from '../tenancy/tenant-session.js';
import { PlatformAuditEvent } from './platform-audit-event.entity.js';

/**
 * The one way to read across tenants (isolation point 7 of docs/architecture.md). Checks the
 * caller is a platform operator, records who/what/why in platform_audit_events in the same
 * transaction, and runs `work` in the platform read (read-only across tenants).
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
  const result = await asPlatformOperator(ctx.services.orm.em, operator.id, (em) => {
    em.create(PlatformAuditEvent, { operatorUserId: operator.id, action, reason: `graphql:${action}`, data });
    return work(em);
  });
  ctx.log.info({ action, operator: operator.id }, 'platform access');
  return result;
}
