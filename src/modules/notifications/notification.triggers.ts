import type { RequestContext } from '../../engine/context.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role } from '../../engine/identity/roles.js';
import { enqueueNotification } from './notification.jobs.js';

export interface AcceptedInvite {
  tenantId: string;
  inviteId: string;
  inviterId: string;
  member: { id: string; name: string; email: string };
  role: Role;
}

/** Tells the inviter their invite was accepted, from the joining transaction (`em`, in the tenant). */
export function notifyInviteAccepted(em: EntityManager, accepted: AcceptedInvite): Promise<void> {
  const { member } = accepted;
  return enqueueNotification(em, {
    tenantId: accepted.tenantId,
    userId: accepted.inviterId,
    kind: 'invite.accepted',
    title: `${member.name} accepted your invite`,
    body: `${member.name} (${member.email}) joined as ${accepted.role}.`,
    data: { inviteId: accepted.inviteId, userId: member.id, role: accepted.role },
  });
}

export interface AssignedTask {
  id: string;
  title: string;
  projectId: string;
}

/** Tells a member a task was assigned to them, once the request's transaction commits (nothing if it rolls back). */
export async function notifyTaskAssigned(ctx: RequestContext, task: AssignedTask, assigneeId: string): Promise<void> {
  if (!ctx.tenant || assigneeId === ctx.userId) return;
  await enqueueNotification(ctx.em, {
    tenantId: ctx.tenant.id,
    userId: assigneeId,
    kind: 'task.assigned',
    title: `New task: ${task.title}`,
    body: `${ctx.userName ?? 'Someone'} assigned you "${task.title}".`,
    data: { taskId: task.id, projectId: task.projectId },
  });
}
