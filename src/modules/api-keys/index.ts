import { defineModule } from '../../engine/module.js';
import { apiKeyDirectory } from './api-key-directory.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeyResolver } from './api-key.resolver.js';
import { apiKeyRules } from './api-key.rules.js';

/** Per-tenant API keys: issued by owners, accepted in `X-Api-Key` as a service principal of the tenant. */
export const apiKeysModule = defineModule({
  name: 'api-keys',
  entities: [ApiKey],
  resolvers: [ApiKeyResolver],
  rules: apiKeyRules,
  services: [apiKeyDirectory],
  credentialResolvers: [apiKeyDirectory],
});
