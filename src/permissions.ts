import type { GraphQLSchema } from 'graphql';
import { deny, shield, type IRules } from 'graphql-shield';
import { applyMiddleware, type IMiddleware, type IMiddlewareFieldMap } from 'graphql-middleware';
import { fallbackError } from './common/rules.js';
import { auditRules } from './modules/audit/audit.rules.js';
import { authRules } from './modules/auth/auth.rules.js';
import { commentRules } from './modules/comments/comment.rules.js';
import { healthRules } from './modules/health/health.rules.js';
import { lifecycleRules } from './modules/lifecycle/lifecycle.rules.js';
import { membersRules } from './modules/members/members.rules.js';
import { notificationRules } from './modules/notifications/notification.rules.js';
import { platformRules } from './modules/platform/platform.rules.js';
import { projectRules } from './modules/projects/project.rules.js';
import { provisioningRules } from './modules/provisioning/provisioning.rules.js';
import { taskRules } from './modules/tasks/task.rules.js';
import { tenantRules } from './modules/tenants/tenant.rules.js';

type RuleMap = Record<string, Record<string, unknown>>;

const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'];

/** Every module's rules, merged; a root field missing here is denied. */
export const ruleTree: RuleMap = mergeRules([
  healthRules,
  authRules,
  provisioningRules,
  tenantRules,
  platformRules,
  lifecycleRules,
  projectRules,
  taskRules,
  commentRules,
  membersRules,
  auditRules,
  notificationRules,
]);

function mergeRules(maps: RuleMap[]): RuleMap {
  const merged: RuleMap = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      for (const field of Object.keys(fields)) {
        if (merged[type]?.[field]) throw new Error(`Two rules for ${type}.${field}`);
      }
      merged[type] = { ...merged[type], ...fields };
    }
  }
  return merged;
}

/**
 * graphql-shield, deny by default, on every root field and on the fields of types that have rules
 * of their own. Other object fields are reachable only through a guarded root field, so they are
 * not wrapped: shield's one promise per field is measurable on large lists (PITFALLS.md).
 */
export function applyPermissions(schema: GraphQLSchema): GraphQLSchema {
  const generator = shield(ruleTree as IRules, { fallbackRule: deny, fallbackError, allowExternalErrors: true });
  const guarded = new Set([...ROOT_TYPES, ...Object.keys(ruleTree)]);
  const everyType = generator.generate(schema) as Record<string, IMiddlewareFieldMap>;
  const middleware = Object.fromEntries(Object.entries(everyType).filter(([type]) => guarded.has(type)));
  return applyMiddleware(schema, middleware as IMiddleware);
}
