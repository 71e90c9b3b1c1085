import { Field, ID, InputType } from 'type-graphql';
import { IsId, NonBlankText } from '../../engine/graphql/validation.js';

export const COMMENT_BODY_MAX = 10_000;

@InputType()
export class AddCommentInput {
  @Field(() => ID)
  @IsId()
  taskId!: string;

  @Field(() => String)
  @NonBlankText(COMMENT_BODY_MAX)
  body!: string;
}
