import { defineModule } from '../../engine/module.js';
import { HealthResolver } from './health.resolver.js';
import { healthRules } from './health.rules.js';

/** The API version, public. */
export const healthModule = defineModule({
  name: 'health',
  resolvers: [HealthResolver],
  rules: healthRules,
});
