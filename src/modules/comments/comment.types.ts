import { ConnectionType } from '../../engine/graphql/connection.js';
import { Comment } from './comment.entity.js';

export const CommentConnection = ConnectionType(Comment);
export type CommentConnection = InstanceType<typeof CommentConnection>;
