import { defineModule } from '../../engine/module.js';
import { Provisioning, ProvisioningStep } from './provisioning.entity.js';
import { ProvisioningResolver } from './provisioning.resolver.js';
import { provisioningRules } from './provisioning.rules.js';
import { provisioningTasks } from './provisioning.task.js';

/** Self-service sign-up and the asynchronous provisioning of a new tenant. */
export const provisioningModule = defineModule({
  name: 'provisioning',
  entities: [Provisioning, ProvisioningStep],
  resolvers: [ProvisioningResolver],
  rules: provisioningRules,
  tasks: provisioningTasks,
});
