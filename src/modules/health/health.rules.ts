import { isPublic } from '../../common/rules.js';

export const healthRules = {
  Query: { apiVersion: isPublic },
};
