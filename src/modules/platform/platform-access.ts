import type { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError, UnauthenticatedError } from '../../common/errors.js';
import type { RequestContext } from '../../context.js';
import { PlatformAuditEvent } from './platform-audit-event.entity.js';

/** Find options that lift the tenant filter: only ever passed inside `withPlatformAccess`. */
export const ACROSS_TENANTS = { filters: { tenant: false } } as const;

/**
 * The one way to read across tenants (DESIGN.md, isolation point 7). Checks the caller is a
 * platform operator, records who/what/why in platform_audit_events in the same transaction, and
 * runs `work` with `app.platform_read` on, which only the SELECT-only `*_platform_read` RLS
 * policies honour: the bypass can read, never write, another tenant's rows.
 */
export async function withPlatformAccess<T>(
  ctx: RequestContext,
  action: string,
  work: (em: EntityManager) => Promise<T>,
  data: Record<string, unknown> = {},
): Promise<T> {
  if (!ctx.user) throw new UnauthenticatedError();
  if (!ctx.user.isPlatformAdmin) throw new ForbiddenError();
  const em = ctx.services.orm.em.fork();
  await em.begin({
    sessionContext: { variables: { 'app.platform_read': 'on', 'app.user_id': ctx.user.id, 'app.tenant_id': '' } },
  });
  try {
    em.create(PlatformAuditEvent, { operatorUserId: ctx.user.id, action, reason: `graphql:${action}`, data });
    const result = await work(em);
    await em.commit();
    ctx.log.info({ action, operator: ctx.user.id }, 'platform access');
    return result;
  } catch (error) {
    await em.rollback();
    throw error;
  }
}
