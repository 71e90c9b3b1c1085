import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AuditResolver } from './modules/audit/audit.resolver.js';
import { AuthResolver } from './modules/auth/auth.resolver.js';
import { CommentResolver, TaskCommentsResolver } from './modules/comments/comment.resolver.js';
import { HealthResolver } from './modules/health/health.resolver.js';
import { LifecycleResolver } from './modules/lifecycle/lifecycle.resolver.js';
import { InvitesResolver } from './modules/members/invites.resolver.js';
import { MembersResolver } from './modules/members/members.resolver.js';
import { NotificationResolver } from './modules/notifications/notification.resolver.js';
import { PlatformResolver } from './modules/platform/platform.resolver.js';
import { ProjectResolver } from './modules/projects/project.resolver.js';
import { ProvisioningResolver } from './modules/provisioning/provisioning.resolver.js';
import { ProjectTasksResolver } from './modules/tasks/project-tasks.resolver.js';
import { TaskResolver } from './modules/tasks/task.resolver.js';
import { TaskSubscriptionResolver } from './modules/tasks/task-subscription.resolver.js';
import { NotificationSubscriptionResolver } from './modules/notifications/notification-subscription.resolver.js';
import { MembershipTenantResolver, TenantResolver } from './modules/tenants/tenant.resolver.js';
import { applyPermissions } from './permissions.js';
import { createAppPubSub, type AppPubSub } from './pubsub.js';

const resolvers = [
  HealthResolver,
  AuthResolver,
  ProvisioningResolver,
  TenantResolver,
  MembershipTenantResolver,
  PlatformResolver,
  LifecycleResolver,
  ProjectResolver,
  ProjectTasksResolver,
  TaskResolver,
  TaskCommentsResolver,
  CommentResolver,
  MembersResolver,
  InvitesResolver,
  AuditResolver,
  NotificationResolver,
  TaskSubscriptionResolver,
  NotificationSubscriptionResolver,
] as const;

/** The schema as the code declares it, without permissions: what `schema/schema.graphql` holds. */
export function buildTypeSchema(pubSub: AppPubSub = createAppPubSub(undefined).pubSub): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    pubSub,
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
  });
}

/** The served schema: the declared one behind graphql-shield. */
export async function buildServedSchema(pubSub: AppPubSub): Promise<GraphQLSchema> {
  return applyPermissions(await buildTypeSchema(pubSub));
}
