import { and } from 'graphql-shield';
import { canWrite, hasRole } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';
import { requiresFeature } from '../plans/plan.rules.js';

export const apiKeyRules = {
  Query: { apiKeys: and(hasRole(Role.OWNER), requiresFeature('apiKeys')) },
  Mutation: {
    createApiKey: and(canWrite(Role.OWNER), requiresFeature('apiKeys')),
    // Not gated by plan: after a downgrade an owner must still be able to shut old keys off.
    revokeApiKey: canWrite(Role.OWNER),
  },
};
