import { isViewer } from '../../common/rules.js';

export const tenantRules = {
  Query: { currentTenant: isViewer },
};
