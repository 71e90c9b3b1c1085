import { isViewer } from '../../engine/authorization/rules.js';

export const tenantRules = {
  Query: { currentTenant: isViewer },
};
