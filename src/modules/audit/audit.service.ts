import type { EntityManager } from '@mikro-orm/postgresql';
import type { Connection, ConnectionArgs } from '../../engine/graphql/connection.js';
import { paginate } from '../../engine/graphql/paginate.js';
import type { RequestContext } from '../../engine/context.js';
import { AuditEvent } from './audit-event.entity.js';

export interface AuditEntry {
  actorUserId?: string;
  action: string;
  targetId?: string;
  data?: Record<string, unknown>;
  requestId?: string;
}

/** Appends an audit event in `em`'s transaction, for work that runs in a tenant transaction of its own. */
export function recordAuditIn(em: EntityManager, entry: AuditEntry): AuditEvent {
  return em.create(AuditEvent, { ...entry, data: entry.data ?? {} });
}

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
  const actorData = ctx.principal ? { ...data, actorApiKeyId: ctx.principal.id } : data;
  return recordAuditIn(ctx.em, { actorUserId: ctx.userId ?? undefined, action, targetId, data: actorData, requestId: ctx.requestId });
}

/** The tenant's audit events, newest first. */
export function listAuditEvents(ctx: RequestContext, args: ConnectionArgs): Promise<Connection<AuditEvent>> {
  return paginate(ctx.em, AuditEvent, args);
}
