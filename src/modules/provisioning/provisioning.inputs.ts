import { IsBoolean, IsEmail, IsEnum, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { PlanCode } from '../../engine/tenancy/tenant.enums.js';

@InputType({ description: 'A self-service sign-up; bad values answer BAD_USER_INPUT with field errors, a taken slug CONFLICT.' })
export class ProvisionTenantInput {
  @Field(() => String, { description: 'The organisation name (1 to 200 characters).' })
  @Length(1, 200)
  name!: string;

  @Field(() => String, { description: '3-48 characters of a-z, 0-9 and single hyphens; NFKC-normalised.' })
  @MaxLength(200)
  slug!: string;

  @Field(() => PlanCode, {
    nullable: true,
    description: 'FREE by default; PRO and ENTERPRISE start a 14-day trial (see Tenant.trialEndsAt).',
  })
  @IsOptional()
  @IsEnum(PlanCode)
  plan?: PlanCode;

  @Field(() => String, { description: "The owner's e-mail address (at most 320 characters)." })
  @IsEmail()
  @MaxLength(320)
  ownerEmail!: string;

  @Field(() => String, { description: "The owner's password (10 to 200 characters)." })
  @Length(10, 200)
  ownerPassword!: string;

  @Field(() => String, { description: "The owner's display name (1 to 200 characters)." })
  @Length(1, 200)
  ownerName!: string;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Start with a sample project to try the workflow on.' })
  @IsOptional()
  @IsBoolean()
  withSampleData?: boolean;
}
