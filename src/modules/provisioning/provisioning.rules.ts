import { isPublic } from '../../common/rules.js';

export const provisioningRules = {
  Mutation: { provisionTenant: isPublic },
};
