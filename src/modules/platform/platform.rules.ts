import { isPlatformOperator } from '../../common/rules.js';

export const platformRules = {
  Query: { tenants: isPlatformOperator, platformStats: isPlatformOperator },
};
