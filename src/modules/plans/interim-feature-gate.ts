import { rule } from 'graphql-shield';
import type { RequestContext } from '../../engine/context.js';
import { AppError } from '../../engine/graphql/errors.js';
import { cheapestPlanWith, planIncludes, type Feature } from './plan-catalogue.js';

/**
 * INTERIM plan gate used by the api-keys and settings modules until the shared
 * `requiresFeature(...)` rule and `PlanUpgradeRequiredError` land (issue 9, plans part); swap
 * these two exports for those and delete this file.
 */
export class InterimPlanUpgradeRequiredError extends AppError {
  readonly code = 'PLAN_UPGRADE_REQUIRED';
  constructor(feature: Feature) {
    const requiredPlan = cheapestPlanWith(feature);
    super(`This needs the ${requiredPlan} plan (${feature})`, 'PLAN_UPGRADE_REQUIRED', { feature, requiredPlan });
  }
}

type ShieldRule = ReturnType<ReturnType<typeof rule>>;
const gates = new Map<Feature, ShieldRule>();

/** Shield rule: the request's tenant plan includes `feature` (from the context, no database round trip). */
export function interimRequiresFeature(feature: Feature): ShieldRule {
  let gate = gates.get(feature);
  if (!gate) {
    gate = rule(`interimRequiresFeature:${feature}`, { cache: 'contextual' })((_parent, _args, ctx: RequestContext) =>
      ctx.tenant && planIncludes(ctx.tenant.plan, feature) ? true : new InterimPlanUpgradeRequiredError(feature),
    );
    gates.set(feature, gate);
  }
  return gate;
}

/** The same check inside a service, for a feature that only some inputs use (e.g. Slack notifications). */
export function assertPlanIncludes(ctx: RequestContext, feature: Feature): void {
  if (!ctx.tenant || !planIncludes(ctx.tenant.plan, feature)) throw new InterimPlanUpgradeRequiredError(feature);
}
