import { IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { NonBlankText } from '../../common/validation.js';

export const COMMENT_BODY_MAX = 10_000;

@InputType()
export class AddCommentInput {
  @Field(() => ID)
  @IsUUID('all')
  taskId!: string;

  @Field(() => String)
  @NonBlankText(COMMENT_BODY_MAX)
  body!: string;
}
