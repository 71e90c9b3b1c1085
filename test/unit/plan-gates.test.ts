import { expect } from 'chai';
import { ruleTreeOf } from '../../src/engine/authorization/shield.js';
import { modules } from '../../src/modules/index.js';
import { FEATURES, cheapestPlanWith } from '../../src/modules/plans/plan-catalogue.js';
import { PLAN_GATED_FIELDS } from '../../src/modules/plans/plan-gates.js';
import { FEATURE_RULE_PREFIX, requiresFeature } from '../../src/modules/plans/plan.rules.js';

/** The features a (possibly composed) shield rule requires, read from the gates' names. */
function featuresOf(rule: unknown): string[] {
  // graphql-shield exports no rule classes: logic rules (and/or/chain) have getRules(), plain rules a name.
  const shape = rule as { getRules?: () => unknown[]; name?: unknown };
  if (typeof shape.getRules === 'function') return shape.getRules().flatMap(featuresOf);
  if (typeof shape.name === 'string' && shape.name.startsWith(FEATURE_RULE_PREFIX)) return [shape.name.slice(FEATURE_RULE_PREFIX.length)];
  return [];
}

describe('plan gates', () => {
  const ruleTree = ruleTreeOf(modules);
  const gates: Record<string, string[]> = {};
  for (const [type, fields] of Object.entries(ruleTree)) {
    for (const [field, rule] of Object.entries(fields)) {
      const features = featuresOf(rule);
      if (features.length) gates[`${type}.${field}`] = features;
    }
  }

  it('every field declared gated has its requiresFeature gate, and no gate is undeclared', () => {
    const declared = Object.fromEntries(Object.entries(PLAN_GATED_FIELDS).map(([field, feature]) => [field, [feature]]));
    expect(gates).to.deep.equal(declared);
  });

  it('no rule names a feature missing from the plan catalogue', () => {
    const unknown = Object.values(gates)
      .flat()
      .filter((feature) => !(FEATURES as readonly string[]).includes(feature));
    expect(unknown).to.deep.equal([]);
    expect(() => requiresFeature('teleportation' as never)).to.throw(/Unknown feature/);
  });

  it('every feature is included in some plan, PRO features by PRO and advancedWorkflow by ENTERPRISE only', () => {
    const required = Object.fromEntries(FEATURES.map((feature) => [feature, cheapestPlanWith(feature)]));
    expect(required).to.deep.equal({
      apiKeys: 'PRO',
      slackNotifications: 'PRO',
      auditLog: 'PRO',
      dataExport: 'PRO',
      customBranding: 'PRO',
      advancedWorkflow: 'ENTERPRISE',
    });
  });
});
