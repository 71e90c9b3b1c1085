import { registerEnumType } from 'type-graphql';

export enum PlanCode {
  FREE = 'FREE',
  PRO = 'PRO',
  ENTERPRISE = 'ENTERPRISE',
}

export enum TenantStatus {
  PROVISIONING = 'PROVISIONING',
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  FAILED = 'FAILED',
  DELETED = 'DELETED',
}

registerEnumType(PlanCode, {
  name: 'Plan',
  description: 'The subscription plan of a tenant: it sets the quotas and the features available.',
  valuesConfig: {
    FREE: { description: 'The free plan, with the smallest quotas.' },
    PRO: { description: 'The paid plan for teams.' },
    ENTERPRISE: { description: 'The largest quotas and every feature.' },
  },
});
registerEnumType(TenantStatus, {
  name: 'TenantStatus',
  description: 'Where a tenant is in its lifecycle.',
  valuesConfig: {
    PROVISIONING: { description: 'Being set up after sign-up; tenant operations answer once it is ACTIVE.' },
    ACTIVE: { description: 'In use.' },
    SUSPENDED: { description: 'Read-only: reads work, writes answer TENANT_SUSPENDED.' },
    FAILED: { description: 'Provisioning failed (see provisioning(id).failureReason).' },
    DELETED: { description: 'Deleted; its data is purged after the retention period unless restored.' },
  },
});
