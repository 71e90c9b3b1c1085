import { isAuthenticated, isPublic } from '../../engine/authorization/rules.js';

export const authRules = {
  Query: { me: isAuthenticated, myMemberships: isAuthenticated },
  Mutation: { login: isPublic, switchTenant: isAuthenticated },
};
