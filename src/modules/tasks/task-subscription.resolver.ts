import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { NotFoundError } from '../../engine/graphql/errors.js';
import { SubscriberGuard } from '../../engine/authorization/subscriber-guard.js';
import { requireUuid } from '../../engine/graphql/uuid.js';
import type { RequestContext } from '../../engine/context.js';
import { inTenantTransaction } from '../../engine/tenancy/tenant-session.js';
import { Role } from '../../engine/identity/roles.js';
import { Project } from '../projects/project.entity.js';
import { TaskChange, taskTopic, toTaskChange } from './task.events.js';
import { tenantContextOf } from '../../engine/tenancy/tenant-context.js';

/** The changes of one project's tasks; the project must be the subscriber's tenant's. */
async function taskChanges(ctx: RequestContext, projectId: string): Promise<AsyncIterable<TaskChange>> {
  const guard = await SubscriberGuard.open(ctx, Role.VIEWER);
  const id = requireUuid(projectId, 'projectId');
  const { tenant, user } = tenantContextOf(ctx);
  const tenantId = tenant.id;
  const exists = await inTenantTransaction(ctx.services.orm.em, tenantId, (em) => em.count(Project, { id }), user.id);
  if (!exists) throw new NotFoundError('Project');
  return guard.stream(taskTopic(tenantId, id), (event) => event.tenantId === tenantId && event.projectId === id, toTaskChange);
}

@Resolver()
export class TaskSubscriptionResolver {
  @Subscription(() => TaskChange, {
    description: 'Tasks of a project created, updated or deleted, as they commit.',
    subscribe: ({ args, context }) => taskChanges(context as RequestContext, (args as { projectId: string }).projectId),
  })
  taskChanged(
    @Arg('projectId', () => ID, { description: 'A project of the tenant; NOT_FOUND otherwise.' }) _projectId: string,
    @Root() change: TaskChange,
  ): TaskChange {
    return change;
  }
}
