import { Field, ID, InputType } from 'type-graphql';
import { IsId, NonBlankText } from '../../engine/graphql/validation.js';

export const COMMENT_BODY_MAX = 10_000;

@InputType({ description: 'A new comment; bad values answer BAD_USER_INPUT with field errors.' })
export class AddCommentInput {
  @Field(() => ID, { description: 'The task to comment on (of this tenant).' })
  @IsId()
  taskId!: string;

  @Field(() => String, { description: '1 to 10000 characters, not blank.' })
  @NonBlankText(COMMENT_BODY_MAX)
  body!: string;
}
