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

@InputType({ description: 'A new task; bad values answer BAD_USER_INPUT with field errors.' })
export class CreateTaskInput {
  @Field(() => ID, { description: 'The project the task belongs to (of this tenant).' })
  @IsId()
  projectId!: string;

  @Field(() => String, { description: '1 to 200 characters, not blank.' })
  @NonBlankText(TASK_TITLE_MAX)
  title!: string;

  @Field(() => ID, { nullable: true, description: 'A member of the tenant; someone other than yourself takes MANAGER.' })
  @IsOptional()
  @IsId()
  assigneeId?: string | null;

  @Field(() => String, { nullable: true, description: 'Free text up to 5000 characters.' })
  @IsOptional()
  @FreeText(TASK_DESCRIPTION_MAX)
  description?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'A calendar day, YYYY-MM-DD, in the years 1000 to 9999.' })
  @IsOptional()
  @Matches(FOUR_DIGIT_YEAR, { message: YEAR_MESSAGE })
  dueDate?: string | null;
}

@InputType({ description: 'Fields left out stay as they are; null clears description and dueDate.' })
export class UpdateTaskInput {
  @Field(() => String, { nullable: true, description: '1 to 200 characters, not blank; null is not allowed.' })
  @OptionalNotNull()
  @NonBlankText(TASK_TITLE_MAX)
  title?: string;

  @Field(() => String, { nullable: true, description: 'Free text up to 5000 characters; null clears it.' })
  @IsOptional()
  @FreeText(TASK_DESCRIPTION_MAX)
  description?: string | null;

  @Field(() => TaskStatus, { nullable: true, description: 'The new status; null is not allowed.' })
  @OptionalNotNull()
  @IsEnum(TaskStatus)
  status?: TaskStatus;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'A calendar day, YYYY-MM-DD, in the years 1000 to 9999; null clears it.' })
  @IsOptional()
  @Matches(FOUR_DIGIT_YEAR, { message: YEAR_MESSAGE })
  dueDate?: string | null;
}
