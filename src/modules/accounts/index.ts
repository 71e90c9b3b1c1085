import { defineModule } from '../../engine/module.js';
import { accountMailer } from './account-mailer.js';
import { AccountToken } from './account-token.entity.js';
import { AccountsResolver } from './accounts.resolver.js';
import { accountsRules } from './accounts.rules.js';

/** Account self-service by e-mail: password reset and e-mail verification. */
export const accountsModule = defineModule({
  name: 'accounts',
  entities: [AccountToken],
  resolvers: [AccountsResolver],
  rules: accountsRules,
  services: [accountMailer],
});
