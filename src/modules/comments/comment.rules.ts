import { canWrite } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';

export const commentRules = {
  Mutation: { addComment: canWrite(Role.MEMBER) },
};
