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

registerEnumType(PlanCode, { name: 'Plan' });
registerEnumType(TenantStatus, { name: 'TenantStatus' });
