import { ConnectionType } from '../../engine/graphql/connection.js';
import { AuditEvent } from './audit-event.entity.js';

export const AuditEventConnection = ConnectionType(AuditEvent);
export type AuditEventConnection = InstanceType<typeof AuditEventConnection>;
