import type { RequestContext } from '../../context.js';
import type { AppServices } from '../../services.js';
import type { Role } from '../auth/roles.js';

export interface AcceptedInvite {
  tenantId: string;
  inviteId: string;
  inviterId: string;
  member: { id: string; name: string; email: string };
  role: Role;
}

/** Tells the inviter their invite was accepted; call once the joining transaction has committed. */
export function notifyInviteAccepted(services: AppServices, accepted: AcceptedInvite): void {
  const { member } = accepted;
  services.notifications.notify({
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

/**
 * Tells a member a task was assigned to them, once the request's transaction commits (nothing if
 * it rolls back). For the tasks module: call it from assignTask/createTask with the new assignee.
 */
export function notifyTaskAssigned(ctx: RequestContext, task: AssignedTask, assigneeId: string): void {
  if (!ctx.tenant || assigneeId === ctx.user?.id) return;
  ctx.services.notifications.notify(
    {
      tenantId: ctx.tenant.id,
      userId: assigneeId,
      kind: 'task.assigned',
      title: `New task: ${task.title}`,
      body: `${ctx.user?.name ?? 'Someone'} assigned you "${task.title}".`,
      data: { taskId: task.id, projectId: task.projectId },
    },
    { afterCommitOf: ctx.em },
  );
}
