import { isAuthenticated, isPublic } from '../../common/rules.js';

export const authRules = {
  Query: { me: isAuthenticated, myMemberships: isAuthenticated },
  Mutation: { login: isPublic, switchTenant: isAuthenticated },
};
