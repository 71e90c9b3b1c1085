import { Membership } from '../modules/users/membership.entity.js';
import { Provisioning, ProvisioningStep } from '../modules/provisioning/provisioning.entity.js';
import { TenantExport } from '../modules/lifecycle/tenant-export.entity.js';
import { PlatformAuditEvent } from '../modules/platform/platform-audit-event.entity.js';
import { Tenant } from '../modules/tenants/tenant.entity.js';
import { User } from '../modules/users/user.entity.js';
import { AuditEvent } from '../modules/audit/audit-event.entity.js';

/** Every entity, listed explicitly (no folder discovery, so the build output cannot drift). */
export const entities = [Tenant, User, Membership, AuditEvent, Provisioning, ProvisioningStep, PlatformAuditEvent, TenantExport];
