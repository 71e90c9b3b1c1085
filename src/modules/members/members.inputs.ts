import { IsEmail, IsEnum, IsOptional, Length, MaxLength } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { Role } from '../../engine/identity/roles.js';

@ArgsType()
export class InviteMemberArgs {
  @Field(() => String, { description: 'The e-mail address to invite (at most 320 characters).' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @Field(() => Role, { description: 'MANAGER may invite MEMBER or VIEWER; OWNER any role.' })
  @IsEnum(Role)
  role!: Role;
}

@ArgsType()
export class AcceptInviteArgs {
  @Field(() => String, { description: 'The token inviteMember returned.' })
  token!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'A new account: its password (10+ characters). An existing account accepts while signed in (bearer token), without a password.',
  })
  @IsOptional()
  @Length(1, 200)
  password?: string;

  @Field(() => String, { nullable: true, description: 'The name of a new account (default: the e-mail name).' })
  @IsOptional()
  @Length(1, 200)
  name?: string;
}

@ArgsType()
export class UpdateMemberRoleArgs {
  @Field(() => ID, { description: 'The member whose role changes; NOT_FOUND when not a member of the tenant.' })
  userId!: string;

  @Field(() => Role, { description: 'The new role.' })
  @IsEnum(Role)
  role!: Role;
}
