import { defineModule } from '../../engine/module.js';
import { Comment } from './comment.entity.js';
import { CommentResolver, TaskCommentsResolver } from './comment.resolver.js';
import { commentRules } from './comment.rules.js';

/** Comments on tasks. */
export const commentsModule = defineModule({
  name: 'comments',
  entities: [Comment],
  resolvers: [CommentResolver, TaskCommentsResolver],
  rules: commentRules,
});
