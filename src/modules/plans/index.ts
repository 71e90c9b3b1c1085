import { defineModule } from '../../engine/module.js';
import { planBilling } from './plan-billing.js';
import { PlanResolver } from './plan.resolver.js';
import { planRules } from './plan.rules.js';
import { trialTasks } from './trial.js';

/** Plans and their entitlements (`plan-catalogue.ts`, read by gates, quotas and billing), trials and `changePlan`. */
export const plansModule = defineModule({
  name: 'plans',
  resolvers: [PlanResolver],
  rules: planRules,
  tasks: trialTasks,
  services: [planBilling],
});
