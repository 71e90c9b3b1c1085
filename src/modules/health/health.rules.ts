import { isPublic } from '../../engine/authorization/rules.js';

export const healthRules = {
  Query: { apiVersion: isPublic, errorCodes: isPublic },
};
