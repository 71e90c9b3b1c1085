import { isPlatformOperator } from '../../engine/authorization/rules.js';

export const platformRules = {
  Query: { tenants: isPlatformOperator, platformStats: isPlatformOperator },
};
