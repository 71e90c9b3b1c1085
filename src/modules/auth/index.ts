import { defineModule } from '../../engine/module.js';
import { AuthResolver } from './auth.resolver.js';
import { authRules } from './auth.rules.js';

/** Sign-in, the caller (`me`) and switching tenants. */
export const authModule = defineModule({
  name: 'auth',
  resolvers: [AuthResolver],
  rules: authRules,
});
