import { IsEmail, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { User } from '../../engine/identity/user.entity.js';

@InputType({ description: 'E-mail and password, optionally the tenant to sign in to. Wrong credentials answer UNAUTHENTICATED.' })
export class LoginInput {
  @Field(() => String, { description: 'The sign-in e-mail address.' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @Field(() => String, { description: 'The account password.' })
  @Length(1, 200)
  password!: string;

  @Field(() => String, { nullable: true, description: 'Sign in to this tenant; default: your oldest membership.' })
  @IsOptional()
  @MaxLength(200)
  tenantSlug?: string;
}

@ObjectType({ description: 'A signed-in session: the bearer token and who and where it is for.' })
export class AuthPayload {
  @Field(() => String, { description: 'Bearer token for the Authorization header.' })
  token!: string;

  @Field(() => User, { description: 'The signed-in user.' })
  user!: User;

  @Field(() => Tenant, {
    nullable: true,
    description: 'The tenant the token is for; null when the user has no membership of a served tenant.',
  })
  tenant!: Tenant | null;
}
