import { and } from 'graphql-shield';
import { canWrite, isPublic, isViewer } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';
import { requiresFeature } from '../plans/plan.rules.js';

/** Settings are the owner's to change (the role matrix), like branding; every member reads them. */
export const settingsRules = {
  Query: { tenantSettings: isViewer, branding: isPublic },
  Mutation: {
    updateTenantSettings: canWrite(Role.OWNER),
    updateBranding: and(canWrite(Role.OWNER), requiresFeature('customBranding')),
  },
};
