import { defineModule } from '../../engine/module.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditResolver } from './audit.resolver.js';
import { auditRules } from './audit.rules.js';

/** The append-only audit log of a tenant and its query. */
export const auditModule = defineModule({
  name: 'audit',
  entities: [AuditEvent],
  resolvers: [AuditResolver],
  rules: auditRules,
});
