import { Membership } from '../modules/users/membership.entity.js';
import { Provisioning, ProvisioningStep } from '../modules/provisioning/provisioning.entity.js';
import { TenantExport } from '../modules/lifecycle/tenant-export.entity.js';
import { PlatformAuditEvent } from '../modules/platform/platform-audit-event.entity.js';
import { Tenant } from '../modules/tenants/tenant.entity.js';
import { User } from '../modules/users/user.entity.js';
import { AuditEvent } from '../modules/audit/audit-event.entity.js';
import { Invite } from '../modules/members/invite.entity.js';
import { Notification } from '../modules/notifications/notification.entity.js';
import { Comment } from '../modules/comments/comment.entity.js';
import { Project } from '../modules/projects/project.entity.js';
import { Task } from '../modules/tasks/task.entity.js';

/** Every entity, listed explicitly (no folder discovery, so the build output cannot drift). */
export const entities = [
  Tenant,
  User,
  Membership,
  AuditEvent,
  Provisioning,
  ProvisioningStep,
  PlatformAuditEvent,
  TenantExport,
  Project,
  Task,
  Comment,
  Invite,
  Notification,
];
