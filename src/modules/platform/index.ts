import { defineModule } from '../../engine/module.js';
import { PlatformResolver } from './platform.resolver.js';
import { platformRules } from './platform.rules.js';

/** Platform operators' view across tenants (through the audited platform read). */
export const platformModule = defineModule({
  name: 'platform',
  resolvers: [PlatformResolver],
  rules: platformRules,
});
