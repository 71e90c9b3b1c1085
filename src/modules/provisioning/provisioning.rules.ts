import { isAuthenticated, isPublic } from '../../engine/authorization/rules.js';

export const provisioningRules = {
  Query: { provisioning: isAuthenticated },
  Mutation: { provisionTenant: isPublic },
  // Checked again when subscribing (provisioning-progress.ts): shield only wraps resolve.
  Subscription: { provisioningProgress: isAuthenticated },
};
