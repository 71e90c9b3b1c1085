import { IsEnum, IsOptional, Matches } from 'class-validator';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { FreeText, IsId, NonBlankText, OptionalNotNull } from '../../engine/graphql/validation.js';
import { TaskStatus } from './task.enums.js';

export const TASK_TITLE_MAX = 200;
export const TASK_DESCRIPTION_MAX = 5000;
/** LocalDate accepts year 0000, which PostgreSQL does not. */
const FOUR_DIGIT_YEAR = /^[1-9]\d{3}-/;
const YEAR_MESSAGE = 'dueDate must be in the years 1000 to 9999';

@InputType()
export class CreateTaskInput {
  @Field(() => ID)
  @IsId()
  projectId!: string;

  @Field(() => String)
  @NonBlankText(TASK_TITLE_MAX)
  title!: string;

  @Field(() => ID, { nullable: true, description: 'A member of the tenant; someone other than yourself takes MANAGER.' })
  @IsOptional()
  @IsId()
  assigneeId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @FreeText(TASK_DESCRIPTION_MAX)
  description?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true })
  @IsOptional()
  @Matches(FOUR_DIGIT_YEAR, { message: YEAR_MESSAGE })
  dueDate?: string | null;
}

@InputType({ description: 'Fields left out stay as they are; null clears description and dueDate.' })
export class UpdateTaskInput {
  @Field(() => String, { nullable: true })
  @OptionalNotNull()
  @NonBlankText(TASK_TITLE_MAX)
  title?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @FreeText(TASK_DESCRIPTION_MAX)
  description?: string | null;

  @Field(() => TaskStatus, { nullable: true })
  @OptionalNotNull()
  @IsEnum(TaskStatus)
  status?: TaskStatus;

  @Field(() => GraphQLLocalDate, { nullable: true })
  @IsOptional()
  @Matches(FOUR_DIGIT_YEAR, { message: YEAR_MESSAGE })
  dueDate?: string | null;
}
