import { rule } from 'graphql-shield';
import { canWrite } from '../../engine/authorization/rules.js';
import type { RequestContext } from '../../engine/context.js';
import { Role } from '../../engine/identity/roles.js';
import { PlanUpgradeRequiredError, TenantRequiredError } from '../../engine/graphql/errors.js';
import { cheapestPlanWith, isFeature, planIncludes, type Feature } from './plan-catalogue.js';

type ShieldRule = ReturnType<ReturnType<typeof rule>>;

/** The rule name a plan gate carries; the coverage test reads gates back from it. */
export const FEATURE_RULE_PREFIX = 'requiresFeature:';

const featureRules = new Map<Feature, ShieldRule>();

/**
 * A plan gate: the request's tenant plan (from the context, no query) must include `feature`,
 * otherwise PLAN_UPGRADE_REQUIRED names the cheapest plan that does. Declare it next to the
 * field's role rule, after it: `and(hasRole(Role.OWNER), requiresFeature('auditLog'))`.
 */
export function requiresFeature(feature: Feature): ShieldRule {
  if (!isFeature(feature)) throw new Error(`Unknown feature ${String(feature)}`);
  let gate = featureRules.get(feature);
  if (!gate) {
    gate = rule(`${FEATURE_RULE_PREFIX}${feature}`, { cache: 'contextual' })((_parent, _args, ctx: RequestContext) => {
      if (!ctx.plan) return new TenantRequiredError();
      return planIncludes(ctx.plan, feature) ? true : new PlanUpgradeRequiredError(feature, cheapestPlanWith(feature));
    });
    featureRules.set(feature, gate);
  }
  return gate;
}

/** The same gate inside a service, for a feature only some inputs use (a Slack webhook in the settings). */
export function assertPlanIncludes(ctx: RequestContext, feature: Feature): void {
  if (!ctx.plan) throw new TenantRequiredError();
  if (!planIncludes(ctx.plan, feature)) throw new PlanUpgradeRequiredError(feature, cheapestPlanWith(feature));
}

export const planRules = {
  // A suspended tenant cannot change plan either: it is read-only until an operator restores it.
  Mutation: { changePlan: canWrite(Role.OWNER) },
};
