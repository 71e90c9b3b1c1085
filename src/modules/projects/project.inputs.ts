import { IsOptional } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { FreeText, NonBlankText, OptionalNotNull } from '../../engine/graphql/validation.js';

export const PROJECT_NAME_MAX = 200;
export const DESCRIPTION_MAX = 5000;

@InputType()
export class CreateProjectInput {
  @Field(() => String)
  @NonBlankText(PROJECT_NAME_MAX)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @FreeText(DESCRIPTION_MAX)
  description?: string | null;
}

@InputType({ description: 'Fields left out stay as they are; a null description clears it.' })
export class UpdateProjectInput {
  @Field(() => String, { nullable: true })
  @OptionalNotNull()
  @NonBlankText(PROJECT_NAME_MAX)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @FreeText(DESCRIPTION_MAX)
  description?: string | null;
}
