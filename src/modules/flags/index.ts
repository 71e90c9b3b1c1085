import { defineModule } from '../../engine/module.js';
import { flagStore } from './flag-store.service.js';
import { FeatureFlagDefault, TenantFeatureFlag } from './flag.entity.js';
import { FlagResolver } from './flag.resolver.js';
import { flagRules } from './flag.rules.js';

/** Feature flags: global default → plan default → tenant override, with a stable percentage rollout. */
export const flagsModule = defineModule({
  name: 'flags',
  entities: [FeatureFlagDefault, TenantFeatureFlag],
  resolvers: [FlagResolver],
  rules: flagRules,
  services: [flagStore],
});
