import { isPublic } from '../../engine/authorization/rules.js';

export const accountsRules = {
  Mutation: { requestPasswordReset: isPublic, resetPassword: isPublic, verifyEmail: isPublic },
};
