import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { ConnectionArgs, type Connection } from '../../engine/graphql/connection.js';
import type { RequestContext } from '../../engine/context.js';
import type { AuditEvent } from './audit-event.entity.js';
import { listAuditEvents } from './audit.service.js';
import { AuditEventConnection } from './audit.types.js';

@Resolver()
export class AuditResolver {
  @Query(() => AuditEventConnection, { nullable: true, description: 'Owners: every change to the tenant, newest first.' })
  auditLog(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<Connection<AuditEvent>> {
    return listAuditEvents(ctx, args);
  }
}
