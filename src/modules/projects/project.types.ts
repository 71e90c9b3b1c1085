import { IsEnum, IsOptional, ValidateNested } from 'class-validator';
import { ArgsType, Field, InputType } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../engine/graphql/connection.js';
import { FreeText } from '../../engine/graphql/validation.js';
import { Project } from './project.entity.js';
import { ProjectStatus } from './project.enums.js';
import { PROJECT_NAME_MAX } from './project.inputs.js';

export const ProjectConnection = ConnectionType(Project);
export type ProjectConnection = InstanceType<typeof ProjectConnection>;

@InputType({ description: 'Narrows the projects list; every given condition must hold.' })
export class ProjectFilter {
  @Field(() => ProjectStatus, { nullable: true, description: 'Only projects in this status.' })
  @IsOptional()
  @IsEnum(ProjectStatus)
  status?: ProjectStatus;

  @Field(() => String, { nullable: true, description: 'Case-insensitive part of the name.' })
  @IsOptional()
  @FreeText(PROJECT_NAME_MAX)
  nameContains?: string;
}

@ArgsType()
export class ProjectsArgs extends ConnectionArgs {
  @Field(() => ProjectFilter, { nullable: true, description: 'Conditions the projects must meet; omitted: every project.' })
  @IsOptional()
  @ValidateNested()
  filter?: ProjectFilter;
}
