import { canWrite } from '../../common/rules.js';
import { Role } from '../auth/roles.js';

export const commentRules = {
  Mutation: { addComment: canWrite(Role.MEMBER) },
};
