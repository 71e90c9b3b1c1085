import type { RequestContext } from '../../context.js';
import { AuditEvent } from './audit-event.entity.js';

/**
 * Appends an audit event in the request's transaction (so it commits or rolls back with the
 * change it describes). The tenant comes from the context, like every tenant row.
 */
export function recordAudit(
  ctx: RequestContext,
  action: string,
  targetId: string | undefined,
  data: Record<string, unknown> = {},
): AuditEvent {
  return ctx.em.create(AuditEvent, { actorUserId: ctx.user?.id, action, targetId, data, requestId: ctx.requestId });
}
