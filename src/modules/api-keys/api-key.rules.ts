import { and } from 'graphql-shield';
import { canWrite, hasRole } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';
import { interimRequiresFeature } from '../plans/interim-feature-gate.js';

export const apiKeyRules = {
  Query: { apiKeys: and(hasRole(Role.OWNER), interimRequiresFeature('apiKeys')) },
  Mutation: {
    createApiKey: and(canWrite(Role.OWNER), interimRequiresFeature('apiKeys')),
    // Not gated by plan: after a downgrade an owner must still be able to shut old keys off.
    revokeApiKey: canWrite(Role.OWNER),
  },
};
