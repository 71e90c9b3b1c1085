import { IsOptional } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { FreeText, NonBlankText, OptionalNotNull } from '../../engine/graphql/validation.js';

export const PROJECT_NAME_MAX = 200;
export const DESCRIPTION_MAX = 5000;

@InputType({ description: 'A new project; bad values answer BAD_USER_INPUT with field errors.' })
export class CreateProjectInput {
  @Field(() => String, { description: '1 to 200 characters, not blank.' })
  @NonBlankText(PROJECT_NAME_MAX)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Free text up to 5000 characters.' })
  @IsOptional()
  @FreeText(DESCRIPTION_MAX)
  description?: string | null;
}

@InputType({ description: 'Fields left out stay as they are; a null description clears it.' })
export class UpdateProjectInput {
  @Field(() => String, { nullable: true, description: '1 to 200 characters, not blank; null is not allowed.' })
  @OptionalNotNull()
  @NonBlankText(PROJECT_NAME_MAX)
  name?: string;

  @Field(() => String, { nullable: true, description: 'Free text up to 5000 characters; null clears it.' })
  @IsOptional()
  @FreeText(DESCRIPTION_MAX)
  description?: string | null;
}
